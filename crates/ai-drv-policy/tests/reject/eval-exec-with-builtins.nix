# rule: eval-exec
# line: 17
{ lib, stdenv, fetchurl, ncurses }:

with builtins;

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  buildInputs = [ ncurses ];
  NIX_CFLAGS_COMPILE = toString (exec [ "sh" "-c" "echo -DVERSION=5.02" ]);

  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    runHook postInstall
  '';

  meta = {
    description = "Steam Locomotive runs across your terminal";
    license = lib.licenses.free;
    mainProgram = "sl";
  };
})
