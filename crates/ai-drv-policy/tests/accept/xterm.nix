{ lib, stdenv, fetchurl, ncurses, xorg }:

stdenv.mkDerivation (finalAttrs: {
  pname = "xterm";
  version = "379";

  src = fetchurl {
    url = "mirror://debian/pool/main/x/xterm/xterm_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-p93ydO6EuX+xKDZ1AJ1Tyi0CoP/VzlpRGNr8NiPrsxA=";
  };

  buildInputs = [ ncurses xorg.libX11 xorg.libXt xorg.xorgproto xorg.libXaw ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Abandon All Hope, Ye Who Enter Here";
    license = lib.licenses.x11;
    mainProgram = "xterm";
    platforms = lib.platforms.unix;
  };
})
