{ lib, stdenv, fetchurl, pkg-config, file, ncurses, zlib }:

stdenv.mkDerivation (finalAttrs: {
  pname = "nano";
  version = "7.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/n/nano/nano_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-hvNEJ2i9KHPOxpP4PN+AtLRErTzBR2C3Q2FHT8h6RSY=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ file ncurses zlib ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Simple editor, inspired by Pico";
    homepage = "http://www.gnu.org/software/nano/";
    license = lib.licenses.gpl3Plus;
    mainProgram = "nano";
    platforms = lib.platforms.unix;
  };
})
