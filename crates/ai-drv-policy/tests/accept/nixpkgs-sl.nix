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

  makeFlags = [ "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    install -Dm644 -t $out/share/man/man1 sl.1
    install -Dm644 sl.1.ja $out/share/man/ja/man1/sl.1
    runHook postInstall
  '';

  meta = {
    description = "Steam Locomotive runs across your terminal when you type \"sl\"";
    homepage = "http://www.tkl.iis.u-tokyo.ac.jp/~toyoda/index_e.html";
    license = lib.licenses.free; # Toyoda Masashi's license: use, copy and redistribute freely
    mainProgram = "sl";
    platforms = lib.platforms.unix;
  };
})
