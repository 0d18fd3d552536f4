{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "zlib";
  version = "1.2.13.dfsg";

  src = fetchurl {
    url = "mirror://debian/pool/main/z/zlib/zlib_${finalAttrs.version}.orig.tar.bz2";
    hash = "sha256-cf63lH48AO8SX4O3mk5Sm94xFx5bq+SLOR8GdY0asKE=";
  };

  strictDeps = true;

  meta = {
    description = "General purpose data compression library";
    license = lib.licenses.zlib;
    platforms = lib.platforms.unix;
  };
})
