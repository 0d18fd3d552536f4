{ lib, stdenv, fetchurl, libbsd, libnsl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "socat";
  version = "1.7.4.4";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/socat/socat_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-D49LnVxguMU9F7YNeaurxKD1Gzu20r066KakudaPGV4=";
  };

  buildInputs = [ libbsd libnsl ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Relay for bidirectional data transfer between two independent data channels";
    license = with lib.licenses; [ gpl2Plus bsdOriginal ];
    mainProgram = "socat";
    platforms = lib.platforms.unix;
  };
})
