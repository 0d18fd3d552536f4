# rule: absolute-path
# line: 9
{ lib, stdenv, ncurses }:

stdenv.mkDerivation {
  pname = "sl";
  version = "5.02";

  src = /nix/store/3k1ilcfmbryr6wv0c0p9bkb4f6gl4q9k-sl-5.02-source;

  buildInputs = [ ncurses ];
  makeFlags = [ "CC:=$(CC)" ];

  meta.license = lib.licenses.free;
}
