{ lib, stdenv, fetchurl, cmake, pkg-config, libbsd }:

stdenv.mkDerivation (finalAttrs: {
  pname = "json-c";
  version = "0.16";

  src = fetchurl {
    url = "mirror://debian/pool/main/j/json-c/json-c_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-Psru3/2ZpgsSYoGfnmDX2YOEQHOrx05JXLgislGQQYU=";
  };

  nativeBuildInputs = [ cmake pkg-config ];
  buildInputs = [ libbsd ];
  strictDeps = true;

  meta = {
    description = "JSON implementation in C";
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
})
