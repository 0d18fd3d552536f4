# rule: absolute-path
# line: 9
{ lib, stdenv, ncurses }:

stdenv.mkDerivation {
  pname = "sl";
  version = "5.02";

  src = ~/src/sl;

  buildInputs = [ ncurses ];
  makeFlags = [ "CC:=$(CC)" ];

  meta.license = lib.licenses.free;
}
