{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tree";
  version = "2.1.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tree/tree_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "PREFIX=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    license = lib.licenses.gpl2Plus;
    mainProgram = "tree";
    platforms = lib.platforms.unix;
  };
})
