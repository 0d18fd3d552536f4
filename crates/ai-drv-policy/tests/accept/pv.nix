{ lib, stdenv, fetchurl, gettext }:

stdenv.mkDerivation (finalAttrs: {
  pname = "pv";
  version = "1.6.20";

  src = fetchurl {
    url = "mirror://debian/pool/main/p/pv/pv_${finalAttrs.version}.orig.tar.bz2";
    hash = "sha256-6DGVHv8HGPupse8oYSh3O50Ocj4fv66I1aMYiBT9xgM=";
  };

  nativeBuildInputs = [ gettext ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "If this is not a packaged release, first run \"./generate.sh\"";
    platforms = lib.platforms.unix;
  };
})
