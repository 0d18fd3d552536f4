# rule: eval-exec
# line: 6
{ lib, stdenv, fetchurl }:

let
  inherit (builtins) exec;
  arch = exec [ "uname" "-m" ];
in
stdenv.mkDerivation (finalAttrs: {
  pname = "figlet";
  version = "2.2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/figlet/figlet_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=";
  };

  makeFlags = [ "prefix=$(out)" "CC:=$(CC)" "ARCH=${arch}" ];

  meta = {
    description = "Program for making large letters out of ordinary text";
    license = lib.licenses.bsd3;
    mainProgram = "figlet";
  };
})
