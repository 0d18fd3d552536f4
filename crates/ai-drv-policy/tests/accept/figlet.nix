{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "figlet";
  version = "2.2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/figlet/figlet_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "prefix=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    description = "Program that creates large characters out of ordinary screen characters";
    license = lib.licenses.bsd3;
    mainProgram = "figlet";
    platforms = lib.platforms.unix;
  };
})
