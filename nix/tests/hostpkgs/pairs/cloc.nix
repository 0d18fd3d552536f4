{ lib, stdenv, fetchurl, makeWrapper, perl, perlPackages }:

let
  perlModules = [
    perlPackages.AlgorithmDiff
    perlPackages.ParallelForkManager
    perlPackages.RegexpCommon
  ];
in
stdenv.mkDerivation (finalAttrs: {
  pname = "cloc";
  version = "1.96";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cloc/cloc_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-Vg4R7Mc8B5KKu5VqNV2FZEgfygySl10kNXNV6wu44W8=";
  };

  sourceRoot = "cloc-${finalAttrs.version}/Unix";

  nativeBuildInputs = [ makeWrapper ];
  # A Perl program: its #! line names perl, which patchShebangs points at this input.
  buildInputs = [ perl ] ++ perlModules;
  strictDeps = true;

  dontBuild = true;
  installPhase = ''
    runHook preInstall
    install -Dm755 cloc $out/bin/cloc
    runHook postInstall
  '';

  postFixup = ''
    wrapProgram $out/bin/cloc --prefix PERL5LIB : "${lib.makeSearchPath "share/perl5" perlModules}"
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    $out/bin/cloc --version
    runHook postInstallCheck
  '';

  meta = {
    description = "Program that counts lines of source code";
    license = lib.licenses.gpl2Plus;
    mainProgram = "cloc";
    platforms = lib.platforms.all;
  };
})
