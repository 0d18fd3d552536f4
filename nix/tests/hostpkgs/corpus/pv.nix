{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "pv";
  version = "1.6.20";

  src = fetchurl {
    url = "mirror://debian/pool/main/p/pv/pv_${finalAttrs.version}.orig.tar.bz2";
    hash = "sha256-6DGVHv8HGPupse8oYSh3O50Ocj4fv66I1aMYiBT9xgM=";
  };

  strictDeps = true;

  configureFlags = [ "--disable-nls" ];

  meta = {
    description = "Tool for monitoring the progress of data through a pipeline";
    homepage = "https://www.ivarch.com/programs/pv.shtml";
    license = lib.licenses.artistic2;
    mainProgram = "pv";
    platforms = lib.platforms.unix;
  };
})
