{ lib, stdenv, fetchurl, python3 }:

stdenv.mkDerivation (finalAttrs: {
  pname = "grc";
  version = "1.13.1";

  src = fetchurl {
    url = "mirror://debian/pool/main/g/grc/grc_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-haNbuKGR4BHkNy9Io009ab0m3NYPK3w0MDRSx7LoKIM=";
  };

  # Python programs: their #! lines name python3, which patchShebangs points at this input.
  buildInputs = [ python3 ];
  strictDeps = true;

  postPatch = ''
    substituteInPlace grc --replace-fail "/etc/grc.conf" "$out/etc/grc.conf"
    substituteInPlace grcat --replace-fail "/usr/local/share/grc" "$out/share/grc"
  '';

  dontBuild = true;
  installPhase = ''
    runHook preInstall
    sh ./install.sh "$out" "$out"
    runHook postInstall
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/grc --version
    echo "checking for x... yes" | $out/bin/grcat conf.configure
    runHook postInstallCheck
  '';

  meta = {
    description = "Generic text colouriser";
    license = lib.licenses.gpl2Plus;
    mainProgram = "grc";
    platforms = lib.platforms.unix;
  };
})
