# rule: missing-file
# line: 14
{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  patches = [ ./sixel-256.support.patch ];

  buildInputs = [ ncurses ];
  makeFlags = [ "CC:=$(CC)" ];

  meta = {
    description = "Steam Locomotive runs across your terminal when you type sl";
    license = lib.licenses.free;
    mainProgram = "sl";
  };
})
