{ lib, stdenv, fetchurl, cmake, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cmatrix";
  version = "2.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cmatrix/cmatrix_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-rZO6OazTg2lqtqnrvtElns8tPPn0nWuXA4xm+AdJ6Zo=";
  };

  nativeBuildInputs = [ cmake ];
  buildInputs = [ ncurses ];
  strictDeps = true;

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/cmatrix -V
    runHook postInstallCheck
  '';

  meta = {
    description = "Simulates the falling characters theme from The Matrix movie";
    license = lib.licenses.gpl3Plus;
    mainProgram = "cmatrix";
    platforms = lib.platforms.unix;
  };
})
