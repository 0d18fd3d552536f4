{ lib, stdenv, fetchurl, autoreconfHook, pkg-config, ncurses, libcap, libnl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "htop";
  version = "3.2.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/h/htop/htop_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
  };

  nativeBuildInputs = [ autoreconfHook pkg-config ];
  buildInputs = [ ncurses libcap libnl ];
  strictDeps = true;
  enableParallelBuilding = true;

  configureFlags = [
    "--enable-unicode"
    "--sysconfdir=/etc"
    "--enable-affinity"
    "--enable-capabilities"
    "--enable-delayacct"
  ];

  meta = {
    description = "Interactive process viewer";
    homepage = "https://htop.dev";
    license = lib.licenses.gpl2Only;
    mainProgram = "htop";
    platforms = lib.platforms.linux;
  };
})
