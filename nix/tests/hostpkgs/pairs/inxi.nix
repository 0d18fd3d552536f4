{ lib, stdenv, fetchurl, perl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "inxi";
  version = "3.3.26-1";

  src = fetchurl {
    url = "mirror://debian/pool/main/i/inxi/inxi_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-nHa5AESlhA2eMv2D0bPBuw18OciZBKw4fPa+M5eFRR4=";
  };

  # A Perl program: its #! line names perl, which patchShebangs points at this input.
  buildInputs = [ perl ];
  strictDeps = true;

  dontBuild = true;
  installPhase = ''
    runHook preInstall
    install -Dm755 inxi $out/bin/inxi
    install -Dm644 inxi.1 $out/share/man/man1/inxi.1
    runHook postInstall
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/inxi --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Full featured CLI system information tool";
    license = lib.licenses.gpl3Plus;
    mainProgram = "inxi";
    platforms = lib.platforms.unix;
  };
})
