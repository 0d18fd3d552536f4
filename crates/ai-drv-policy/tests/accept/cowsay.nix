{ lib, stdenv, fetchurl, perl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cowsay";
  version = "3.03+dfsg2";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cowsay/cowsay_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-O4mWXH1rGfMhhn5Z0U1K7IINNgaPVtKx54NJi+60GD4=";
  };

  nativeBuildInputs = [ perl ];
  strictDeps = true;
  dontConfigure = true;
  dontBuild = true;

  installPhase = ''
    runHook preInstall
    sh install.sh $out </dev/null
    runHook postInstall
  '';

  meta = {
    description = "First major version of cowsay had one cow and one message template";
    license = lib.licenses.artistic1;
    mainProgram = "cowsay";
    platforms = lib.platforms.unix;
  };
})
