{ lib, stdenv, fetchurl, autoreconfHook, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "htop";
  version = "3.2.2";

  # The release tag's tree: configure.ac, no configure.
  src = fetchurl {
    url = "mirror://debian/pool/main/h/htop/htop_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
  };

  nativeBuildInputs = [ autoreconfHook ];
  buildInputs = [ ncurses ];
  strictDeps = true;
  enableParallelBuilding = true;

  configureFlags = [ "--sysconfdir=/etc" ];

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/htop --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Interactive process viewer";
    license = lib.licenses.gpl2Only;
    mainProgram = "htop";
    platforms = lib.platforms.linux;
  };
})
