{ lib, stdenv, fetchurl, libedit }:

stdenv.mkDerivation (finalAttrs: {
  pname = "dash";
  version = "0.5.12";

  src = fetchurl {
    url = "mirror://debian/pool/main/d/dash/dash_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-akdKxG6LCzKRbExg32lMggWNMpfYs4W3RQgDDKSo8oo=";
  };

  buildInputs = [ libedit ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    license = lib.licenses.bsd3;
    mainProgram = "dash";
    platforms = lib.platforms.unix;
  };
})
