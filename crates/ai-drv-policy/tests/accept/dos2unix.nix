{ lib, stdenv, fetchurl, gettext }:

stdenv.mkDerivation (finalAttrs: {
  pname = "dos2unix";
  version = "7.4.3";

  src = fetchurl {
    url = "mirror://debian/pool/main/d/dos2unix/dos2unix_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-to20GVba+TOChCOqMFEOAMEtKe9ZFucV6NTmlP5mynI=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "prefix=$(out)"
    "CC:=$(CC)"
  ];
  nativeBuildInputs = [ gettext ];

  meta = {
    description = "DOS/Mac to Unix and vice versa text file format converter";
    license = lib.licenses.bsd2;
    mainProgram = "dos2unix";
    platforms = lib.platforms.unix;
  };
})
