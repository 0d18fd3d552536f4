{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "bzip2";
  version = "1.0.8";

  src = fetchurl {
    url = "mirror://debian/pool/main/b/bzip2/bzip2_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-q1oDF27hBtPw+pDjgdpHjdrkBZGBU8yiSOaCzQxKImk=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "PREFIX=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    license = lib.licenses.bsd3;
    mainProgram = "bzip2";
    platforms = lib.platforms.unix;
  };
})
