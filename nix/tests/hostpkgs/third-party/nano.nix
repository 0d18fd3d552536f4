# A package file written the way nixpkgs' own files are (callPackage arguments, finalAttrs,
# lib helpers, passthru, meta with lib.licenses/lib.platforms/maintainers), used unchanged to
# check that hostpkgs evaluates and builds third-party nixpkgs code.
{
  lib,
  stdenv,
  fetchurl,
  pkg-config,
  ncurses,
  enableNls ? false,
  enableTiny ? false,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "nano";
  version = "7.2";

  src = fetchurl {
    url = "mirror://debian/pool/main/n/nano/nano_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-hvNEJ2i9KHPOxpP4PN+AtLRErTzBR2C3Q2FHT8h6RSY=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ ncurses ];

  outputs = [ "out" ];

  configureFlags = [
    "--sysconfdir=/etc"
    (lib.enableFeature enableNls "nls")
    (lib.enableFeature enableTiny "tiny")
  ];

  strictDeps = true;
  enableParallelBuilding = true;

  postInstall = lib.optionalString (!enableTiny) ''
    install -Dm644 doc/sample.nanorc $out/share/doc/nano/sample.nanorc
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/nano --version | grep -q "${finalAttrs.version}"
    runHook postInstallCheck
  '';

  passthru = {
    updateScript = [ "true" ];
  };

  meta = with lib; {
    homepage = "https://www.nano-editor.org/";
    description = "Small, user-friendly console text editor";
    license = licenses.gpl3Plus;
    maintainers = with maintainers; [ ];
    platforms = platforms.all;
    mainProgram = "nano";
  };
})
