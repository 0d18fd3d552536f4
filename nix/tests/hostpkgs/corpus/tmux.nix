{ lib, stdenv, fetchurl, pkg-config, bison, libevent, ncurses, libutempter }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tmux";
  version = "3.3a";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tmux/tmux_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-5P00eEO9B3LE9I1t3mJbCxCbejgP8V2yHpfBGk3N+T8=";
  };

  nativeBuildInputs = [ pkg-config bison ];
  buildInputs = [ ncurses libevent libutempter ];
  strictDeps = true;
  enableParallelBuilding = true;

  configureFlags = [
    "--sysconfdir=/etc"
    "--localstatedir=/var"
    "--enable-utempter"
  ];

  meta = {
    description = "Terminal multiplexer";
    homepage = "https://tmux.github.io/";
    license = lib.licenses.bsd3;
    mainProgram = "tmux";
    platforms = lib.platforms.unix;
  };
})
