{ lib, stdenv, fetchurl, autoreconfHook }:

stdenv.mkDerivation (finalAttrs: {
  pname = "patchelf";
  version = "0.14.3";

  src = fetchurl {
    url = "mirror://debian/pool/main/p/patchelf/patchelf_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-gnqMqRTGlBPxyg2WemN5gKJO3wAKk4Uxp35mMxfIU7s=";
  };

  nativeBuildInputs = [ autoreconfHook ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Simple utility for modifying existing ELF executables and libraries";
    license = lib.licenses.gpl3Plus;
    mainProgram = "patchelf";
    platforms = lib.platforms.unix;
  };
})
