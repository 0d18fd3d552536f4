{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "fzy";
  version = "1.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/fzy/fzy_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-gCV/10V54TQ4sF7fUNzcjPDNsYcLSivFlnvR/b7R+s8=";
  };

  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "PREFIX=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    description = "Fast, simple fuzzy text selector for the terminal";
    license = lib.licenses.mit;
    mainProgram = "fzy";
    platforms = lib.platforms.unix;
  };
})
