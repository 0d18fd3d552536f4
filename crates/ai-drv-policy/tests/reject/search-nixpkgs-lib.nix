# rule: search-path
# line: 6
{ stdenv, fetchurl, ncurses }:

let
  lib = import <nixpkgs/lib>;
in
stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  buildInputs = [ ncurses ];
  makeFlags = [ "CC:=$(CC)" ];

  meta.license = lib.licenses.free;
})
