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

  # The project's own flags include -Werror, which newer compilers trip over.
  cmakeFlags = [
    "-DENABLE_CUSTOM_COMPILER_FLAGS=OFF"
    "-DENABLE_CJSON_TEST=OFF"
  ];

  meta = {
    description = "Ultralightweight JSON parser in ANSI C";
    homepage = "https://github.com/DaveGamble/cJSON";
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
})
