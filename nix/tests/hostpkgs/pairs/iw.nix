{ lib, stdenv, fetchurl, pkg-config, libnl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "iw";
  version = "5.19";

  src = fetchurl {
    url = "mirror://debian/pool/main/i/iw/iw_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-8We76UfdU7uevAwdzvXbatc6wdYITyxvk3bFw2DMTU4=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ libnl ];
  strictDeps = true;
  enableParallelBuilding = true;

  makeFlags = [
    "CC:=$(CC)"
    "PREFIX=${placeholder "out"}"
    "SBINDIR=${placeholder "out"}/bin"
  ];

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/iw --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Tool to use nl80211";
    license = lib.licenses.isc;
    mainProgram = "iw";
    platforms = lib.platforms.linux;
  };
})
