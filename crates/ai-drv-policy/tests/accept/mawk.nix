{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "mawk";
  version = "1.3.4.20200120";

  src = fetchurl {
    url = "mirror://debian/pool/main/m/mawk/mawk_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-f9TNHh+ukpD+CJFxGBu8YpHf2bypOcqATw3bhRyLgjc=";
  };

  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Implementation of new/posix awk version 1.3.4";
    license = lib.licenses.gpl2Only;
    mainProgram = "mawk";
    platforms = lib.platforms.unix;
  };
})
