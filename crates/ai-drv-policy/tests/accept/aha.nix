{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "aha";
  version = "0.5.1";

  src = fetchurl {
    url = "mirror://debian/pool/main/a/aha/aha_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-auoTSH9rXD5FOkR6ZzRfgJUoL1rNlzREZoFrBevQs7E=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "PREFIX=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    description = "Ansi HTML Adapter";
    license = with lib.licenses; [ lgpl2Plus mpl11 ];
    mainProgram = "aha";
    platforms = lib.platforms.unix;
  };
})
