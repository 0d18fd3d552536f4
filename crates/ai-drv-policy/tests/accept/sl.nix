{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  buildInputs = [ ncurses ];
  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [ "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    install -Dm644 -t $out/share/man/man1 sl.1
    runHook postInstall
  '';

  meta = {
    description = "Cure your bad habit of mistyping";
    mainProgram = "sl";
    platforms = lib.platforms.unix;
  };
})
