# rule: missing-hash
# line: 9
{ lib, stdenv, fetchFromGitHub, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchFromGitHub {
    owner = "mtoyoda";
    repo = "sl";
    rev = finalAttrs.version;
  };

  buildInputs = [ ncurses ];
  makeFlags = [ "CC:=$(CC)" ];

  meta = {
    description = "Steam Locomotive runs across your terminal when you type sl";
    license = lib.licenses.free;
    mainProgram = "sl";
  };
})
