{ lib, stdenv, fetchurl, pkg-config, libevent, libutempter, ncurses, systemd, utf8proc }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tmux";
  version = "3.3a";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tmux/tmux_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-5P00eEO9B3LE9I1t3mJbCxCbejgP8V2yHpfBGk3N+T8=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ libevent libutempter ncurses systemd utf8proc ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Terminal multiplexer";
    license = lib.licenses.isc;
    mainProgram = "tmux";
    platforms = lib.platforms.linux;
  };
})
