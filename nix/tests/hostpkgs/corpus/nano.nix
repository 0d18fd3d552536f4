{ lib, stdenv, fetchurl, pkg-config, ncurses, file }:

stdenv.mkDerivation (finalAttrs: {
  pname = "nano";
  version = "7.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/n/nano/nano_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-hvNEJ2i9KHPOxpP4PN+AtLRErTzBR2C3Q2FHT8h6RSY=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ ncurses file ];
  strictDeps = true;
  enableParallelBuilding = true;

  configureFlags = [
    "--sysconfdir=/etc"
    "--disable-nls"
  ];

  meta = {
    description = "Small, user-friendly console text editor";
    homepage = "https://www.nano-editor.org/";
    license = lib.licenses.gpl3Plus;
    mainProgram = "nano";
    platforms = lib.platforms.unix;
  };
})
