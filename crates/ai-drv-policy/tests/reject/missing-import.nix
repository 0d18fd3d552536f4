# rule: missing-file
# line: 6
{ lib, stdenv, fetchurl, ncurses }:

let
  extraFlags = import ./flags.nix { inherit lib; };
in
stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  buildInputs = [ ncurses ];
  makeFlags = [ "CC:=$(CC)" ] ++ extraFlags;

  meta.license = lib.licenses.free;
})
