# rule: privilege-escalation
# line: 18
{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "figlet";
  version = "2.2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/f/figlet/figlet_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=";
  };

  makeFlags = [ "prefix=$(out)" "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    sudo make install prefix=$out
    runHook postInstall
  '';

  meta = {
    license = lib.licenses.bsd3;
    mainProgram = "figlet";
  };
})
