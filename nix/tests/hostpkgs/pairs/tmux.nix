{ lib, stdenv, fetchurl, pkg-config, libevent, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tmux";
  version = "3.3a";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tmux/tmux_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-5P00eEO9B3LE9I1t3mJbCxCbejgP8V2yHpfBGk3N+T8=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ libevent ncurses ];
  strictDeps = true;
  enableParallelBuilding = true;

  configureFlags = [
    "--sysconfdir=/etc"
    "--localstatedir=/var"
  ];

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/tmux -V
    runHook postInstallCheck
  '';

  meta = {
    description = "Terminal multiplexer";
    license = lib.licenses.bsd3;
    mainProgram = "tmux";
    platforms = lib.platforms.unix;
  };
})
