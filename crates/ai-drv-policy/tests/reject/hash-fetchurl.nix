# rule: missing-hash
# line: 9
{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "figlet";
  version = "2.2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/figlet/figlet_${finalAttrs.version}.orig.tar.gz";
  };

  makeFlags = [ "prefix=$(out)" "CC:=$(CC)" ];

  meta = {
    license = lib.licenses.bsd3;
    mainProgram = "figlet";
  };
})
