{ lib, stdenv, fetchurl, ncurses, pcre, pcre2 }:

stdenv.mkDerivation (finalAttrs: {
  pname = "less";
  version = "590";

  src = fetchurl {
    url = "mirror://debian/pool/main/l/less/less_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-aq31S+i/V9DimZo8XWex3mOAi7kN6493sCjq+uOgjhA=";
  };

  buildInputs = [ ncurses pcre pcre2 ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Software Foundation; either version 3, or (at your option) any later version";
    license = with lib.licenses; [ gpl3Plus bsd2 ];
    mainProgram = "less";
    platforms = lib.platforms.unix;
  };
})
