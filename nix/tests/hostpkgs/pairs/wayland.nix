{ lib, stdenv, fetchurl, meson, ninja, pkg-config, expat, libffi, libxml2 }:

stdenv.mkDerivation (finalAttrs: {
  pname = "wayland";
  version = "1.21.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/w/wayland/wayland_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-GBuIhfFSre86+zYbtfI89GbUVd6G2xI0kvtQd1S57zY=";
  };

  nativeBuildInputs = [ meson ninja pkg-config ];
  buildInputs = [ expat libffi libxml2 ];
  strictDeps = true;

  mesonFlags = [
    "-Ddocumentation=false"
    "-Dtests=false"
  ];

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/wayland-scanner --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Core Wayland window system code and protocol";
    license = lib.licenses.mit;
    mainProgram = "wayland-scanner";
    platforms = lib.platforms.linux;
  };
})
