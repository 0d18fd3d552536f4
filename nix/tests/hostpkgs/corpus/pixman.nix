{ lib, stdenv, fetchurl, meson, ninja, pkg-config }:

stdenv.mkDerivation (finalAttrs: {
  pname = "pixman";
  version = "0.42.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/p/pixman/pixman_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-6hSA762i/ZSLx1Nm98NJ4cltMpfQmj/mJibjjiNKYl4=";
  };

  nativeBuildInputs = [ meson ninja pkg-config ];
  strictDeps = true;

  # Meson features default to enabled; turn off what does not apply to this platform and the
  # optional demos (gtk) and test image output (libpng).
  mesonFlags = [
    "-Dloongson-mmi=disabled"
    "-Dvmx=disabled"
    "-Darm-simd=disabled"
    "-Dneon=disabled"
    "-Da64-neon=disabled"
    "-Diwmmxt=disabled"
    "-Dmips-dspr2=disabled"
    "-Dgtk=disabled"
    "-Dlibpng=disabled"
    "-Dopenmp=disabled"
    "-Dtests=disabled"
  ];

  meta = {
    description = "Low-level library for pixel manipulation";
    homepage = "http://pixman.org";
    license = lib.licenses.mit;
    platforms = lib.platforms.all;
  };
})
