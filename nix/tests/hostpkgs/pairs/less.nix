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

  configureFlags = [
    "--sysconfdir=/etc"
    "--with-regex=posix"
  ];

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/less --version
    runHook postInstallCheck
  '';

  meta = {
    description = "More advanced file pager than 'more'";
    license = lib.licenses.gpl3Plus;
    mainProgram = "less";
    platforms = lib.platforms.unix;
  };
})
