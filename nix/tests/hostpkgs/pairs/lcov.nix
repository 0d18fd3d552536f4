{ lib, stdenv, fetchurl, perl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "lcov";
  version = "1.16";

  src = fetchurl {
    url = "mirror://debian/pool/main/l/lcov/lcov_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-jm5V2EGhWZfYTaq9BW/GTluIPbZ9reO5PwjbLRJlr40=";
  };

  # bin/updateversion.pl runs while installing; the installed programs are Perl programs too,
  # whose #! lines patchShebangs points at the perl of buildInputs.
  nativeBuildInputs = [ perl ];
  buildInputs = [ perl ];
  strictDeps = true;

  # The release's .version still says 1.14.
  postPatch = ''
    printf 'VERSION=%s\nRELEASE=1\nFULL=%s\n' ${finalAttrs.version} ${finalAttrs.version} > .version
  '';

  makeFlags = [
    "PREFIX=$(out)"
    # Keep the programs' own `#!/usr/bin/env perl` (the default writes /usr/bin/perl).
    "LCOV_PERL_PATH="
  ];
  dontBuild = true;

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/lcov --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Code coverage tool that enhances GNU gcov";
    license = lib.licenses.gpl2Plus;
    mainProgram = "lcov";
    platforms = lib.platforms.all;
  };
})
