{ lib, stdenv, fetchurl, autoreconfHook, flex, oniguruma }:

stdenv.mkDerivation (finalAttrs: {
  pname = "jq";
  version = "1.6";

  src = fetchurl {
    url = "mirror://debian/pool/main/j/jq/jq_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-O6lAuXVxyGaSPwQJZ4Az0ztamHWN/BdPrYOX7ZCLxNk=";
  };

  nativeBuildInputs = [ autoreconfHook flex ];
  buildInputs = [ oniguruma ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "Lightweight and flexible command-line JSON processor";
    homepage = "https://stedolan.github.io/jq";
    license = lib.licenses.mit;
    mainProgram = "jq";
    platforms = lib.platforms.unix;
  };
})
