{ lib, stdenv, fetchurl, cmake }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cjson";
  version = "1.7.15";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cjson/cjson_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-Uwj9S9kM73qgYFWFFN5qGkoIGZdKJubtE5c8X2JMJLI=";
  };

  nativeBuildInputs = [ cmake ];
  strictDeps = true;

  meta = {
    description = "Ultralightweight JSON parser in ANSI C";
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
})
