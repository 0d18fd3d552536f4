{
  lib,
  stdenv,
  fetchurl,
  autoreconfHook,
  pkg-config,
  gpm,
  libcap,
  libelf,
  libnl,
  libunwind,
  lm_sensors,
  ncurses,
  systemd,
  xz,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "htop";
  version = "3.2.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/h/htop/htop_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
  };

  nativeBuildInputs = [ autoreconfHook pkg-config ];
  buildInputs = [
    gpm
    libcap
    libelf
    libnl
    libunwind
    lm_sensors
    ncurses
    systemd
    xz
  ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Cross-platform interactive process viewer";
    homepage = "https://htop.dev/";
    license = lib.licenses.gpl2Plus;
    mainProgram = "htop";
    platforms = lib.platforms.linux;
  };
})
