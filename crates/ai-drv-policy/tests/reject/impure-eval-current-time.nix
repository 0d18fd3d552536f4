# rule: impure-eval
# line: 7
{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "figlet";
  version = "unstable-${toString builtins.currentTime}";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/figlet/figlet_2.2.5.orig.tar.gz";
    hash = "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=";
  };

  makeFlags = [ "prefix=$(out)" "CC:=$(CC)" ];

  meta = {
    license = lib.licenses.bsd3;
    mainProgram = "figlet";
  };
})
