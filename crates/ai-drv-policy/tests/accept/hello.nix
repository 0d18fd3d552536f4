{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "hello";
  version = "2.10";

  src = fetchurl {
    url = "mirror://debian/pool/main/h/hello/hello_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=";
  };

  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Hello prints a friendly greeting";
    homepage = "http://www.gnu.org/software/hello/";
    license = lib.licenses.gpl3Plus;
    mainProgram = "hello";
    platforms = lib.platforms.unix;
  };
})
