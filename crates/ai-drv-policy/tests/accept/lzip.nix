{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "lzip";
  version = "1.23";

  src = fetchurl {
    url = "mirror://debian/pool/main/l/lzip/lzip_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-0mnY4gRXnLcEfWGHvOdBrLSEon4kzyTyDPAXxIV0FHw=";
  };

  strictDeps = true;

  meta = {
    description = "Lossless data compressor";
    license = lib.licenses.gpl2Plus;
    mainProgram = "lzip";
    platforms = lib.platforms.unix;
  };
})
