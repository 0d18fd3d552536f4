{ lib, stdenv, fetchurl, perl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "stow";
  version = "2.3.1";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/stow/stow_${finalAttrs.version}.orig.tar.bz2";
    hash = "sha256-JqbP39rKDup0LbVId5jBX80BiJ3Ia8WqYmFOyUFaQi8=";
  };

  # configure looks perl up and writes its path into the installed programs.
  nativeBuildInputs = [ perl ];
  buildInputs = [ perl ];
  strictDeps = true;

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/stow --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Tool for managing the installation of multiple software packages in the same run-time directory tree";
    license = lib.licenses.gpl3Plus;
    mainProgram = "stow";
    platforms = lib.platforms.unix;
  };
})
