{ lib, stdenv, fetchurl, pkg-config, gtk3, libpng }:

stdenv.mkDerivation (finalAttrs: {
  pname = "pixman";
  version = "0.42.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/p/pixman/pixman_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-6hSA762i/ZSLx1Nm98NJ4cltMpfQmj/mJibjjiNKYl4=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ gtk3 libpng ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
})
