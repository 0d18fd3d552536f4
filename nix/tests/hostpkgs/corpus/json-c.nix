{ lib, stdenv, fetchurl, cmake }:

stdenv.mkDerivation (finalAttrs: {
  pname = "json-c";
  version = "0.16";

  src = fetchurl {
    url = "mirror://debian/pool/main/j/json-c/json-c_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-Psru3/2ZpgsSYoGfnmDX2YOEQHOrx05JXLgislGQQYU=";
  };

  nativeBuildInputs = [ cmake ];
  strictDeps = true;

  cmakeFlags = [
    "-DBUILD_STATIC_LIBS=OFF"
    "-DDISABLE_EXTRA_LIBS=ON"
  ];

  meta = {
    description = "JSON implementation in C";
    longDescription = ''
      JSON-C implements a reference counting object model that allows you to
      easily construct JSON objects in C, output them as JSON formatted strings
      and parse JSON formatted strings back into the C representation of JSON
      objects.
    '';
    homepage = "https://github.com/json-c/json-c/wiki";
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
})
