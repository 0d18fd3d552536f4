# rule: write-outside-outputs
# line: 18
{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tree";
  version = "2.1.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tree/tree_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=";
  };

  makeFlags = [ "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    make install PREFIX=/usr/local
    runHook postInstall
  '';

  meta = {
    license = lib.licenses.gpl2Plus;
    mainProgram = "tree";
  };
})
