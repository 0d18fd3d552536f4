{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tree";
  version = "2.1.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tree/tree_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=";
  };

  strictDeps = true;

  makeFlags = [
    "CC:=$(CC)"
    "PREFIX=${placeholder "out"}"
    "MANDIR=${placeholder "out"}/share/man"
  ];

  meta = {
    description = "Command to produce a depth indented directory listing";
    homepage = "https://oldmanprogrammer.net/source.php?dir=projects/tree";
    license = lib.licenses.gpl2Plus;
    mainProgram = "tree";
    platforms = lib.platforms.all;
  };
})
