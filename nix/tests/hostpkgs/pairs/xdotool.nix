{ lib, stdenv, fetchurl, pkg-config, perl, xorg, libxkbcommon }:

stdenv.mkDerivation (finalAttrs: {
  pname = "xdotool";
  version = "3.20160805.1";

  src = fetchurl {
    url = "mirror://debian/pool/main/x/xdotool/xdotool_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-FyPEi5tDepY3ot3zARwZ35bdD566REeOQKX1QZ9tWlY=";
  };

  # perl: pod2man writes the manual page.
  nativeBuildInputs = [ pkg-config perl ];
  buildInputs = [
    xorg.libX11
    xorg.libXtst
    xorg.libXinerama
    xorg.xorgproto
    libxkbcommon
  ];
  strictDeps = true;
  enableParallelBuilding = true;

  # Without a VERSION file the version is made of the build date.
  postPatch = ''
    printf 'MAJOR=3\nRELEASE=20160805\nREVISION=1\n' > VERSION
  '';

  makeFlags = [
    "CC:=$(CC)"
    "PREFIX=${placeholder "out"}"
    "INSTALLMAN=${placeholder "out"}/share/man"
  ];

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/xdotool --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Fake keyboard/mouse input, window management, and more";
    license = lib.licenses.bsd3;
    mainProgram = "xdotool";
    platforms = lib.platforms.linux;
  };
})
