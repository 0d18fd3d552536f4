{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "lz4";
  version = "1.9.4";

  src = fetchurl {
    url = "mirror://debian/pool/main/l/lz4/lz4_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-Cw46oHyMBj3fQLCCvffjehVivaQKD/UnKVfz6Yfg5Us=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "PREFIX=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    description = "Extremely fast compression";
    license = lib.licenses.bsd2;
    mainProgram = "lz4";
    platforms = lib.platforms.unix;
  };
})
