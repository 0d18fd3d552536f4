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

  makeFlags = [
    "PREFIX=$(out)"
    "BUILD_STATIC=no"
    "CC:=$(CC)"
  ];

  meta = {
    description = "Extremely fast compression algorithm";
    homepage = "https://lz4.github.io/lz4/";
    license = with lib.licenses; [ bsd2 gpl2Plus ];
    mainProgram = "lz4";
    platforms = lib.platforms.all;
  };
})
