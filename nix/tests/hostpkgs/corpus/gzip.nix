{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "gzip";
  version = "1.12";

  src = fetchurl {
    url = "mirror://debian/pool/main/g/gzip/gzip_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-zl4D5Rn2N+H4FAEazjXE+HszwLur7sNbr1+9NHnpGVY=";
  };

  strictDeps = true;
  enableParallelBuilding = true;

  # The scripts (zgrep, zless…) run with /bin/sh and the grep found on PATH.
  makeFlags = [
    "SHELL=/bin/sh"
    "GREP=grep"
  ];

  meta = {
    description = "GNU zip compression program";
    homepage = "https://www.gnu.org/software/gzip/";
    license = lib.licenses.gpl3Plus;
    mainProgram = "gzip";
    platforms = lib.platforms.all;
  };
})
