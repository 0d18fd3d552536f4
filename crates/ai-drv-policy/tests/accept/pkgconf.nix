{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "pkgconf";
  version = "1.8.1";

  src = fetchurl {
    url = "mirror://debian/pool/main/p/pkgconf/pkgconf_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-ZENhraKUK+BWVdRFLrAYeRZHwxu6Qpsofx9o3rLcaEA=";
  };

  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Library which provides access to most of pkgconf's functionality";
    license = lib.licenses.isc;
    mainProgram = "pkgconf";
    platforms = lib.platforms.unix;
  };
})
