{ lib, stdenv, fetchurl, autoreconfHook, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cmatrix";
  version = "2.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cmatrix/cmatrix_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-rZO6OazTg2lqtqnrvtElns8tPPn0nWuXA4xm+AdJ6Zo=";
  };

  nativeBuildInputs = [ autoreconfHook ];
  buildInputs = [ ncurses ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Based on the screensaver from The Matrix website";
    license = lib.licenses.gpl3Plus;
    mainProgram = "cmatrix";
    platforms = lib.platforms.unix;
  };
})
