{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "less";
  version = "590";

  src = fetchurl {
    url = "mirror://debian/pool/main/l/less/less_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-aq31S+i/V9DimZo8XWex3mOAi7kN6493sCjq+uOgjhA=";
  };

  buildInputs = [ ncurses ];
  strictDeps = true;
  enableParallelBuilding = true;

  # Look for ‘sysless’ in /etc.
  configureFlags = [
    "--sysconfdir=/etc"
    "--with-regex=posix"
  ];

  meta = {
    description = "More advanced file pager than ‘more’";
    homepage = "https://www.greenwoodsoftware.com/less/";
    license = lib.licenses.gpl3Plus;
    mainProgram = "less";
    platforms = lib.platforms.unix;
  };
})
