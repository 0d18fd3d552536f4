{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "figlet";
  version = "2.2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/figlet/figlet_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=";
  };

  strictDeps = true;

  makeFlags = [
    "prefix=$(out)"
    "MANDIR=$(out)/share/man"
    "CC:=$(CC)"
    "LD:=$(CC)"
  ];

  doCheck = true;

  meta = {
    description = "Program for making large letters out of ordinary text";
    homepage = "http://www.figlet.org/";
    license = lib.licenses.afl21;
    mainProgram = "figlet";
    platforms = lib.platforms.unix;
  };
})
