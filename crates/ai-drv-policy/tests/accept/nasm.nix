{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "nasm";
  version = "2.16.01";

  src = fetchurl {
    url = "mirror://debian/pool/main/n/nasm/nasm_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-x3dF9IAjde/u4uxcCta38DfqnIfJKxSaljf/CZ8WJVg=";
  };

  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Netwide Assembler";
    license = lib.licenses.bsd2;
    mainProgram = "nasm";
    platforms = lib.platforms.unix;
  };
})
