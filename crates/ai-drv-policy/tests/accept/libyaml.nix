{ lib, stdenv, fetchurl, autoreconfHook }:

stdenv.mkDerivation (finalAttrs: {
  pname = "libyaml";
  version = "0.2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/liby/libyaml/libyaml_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-+iQNvyYr4FPziYAG1QLVFJNsgY5CKv3PM5IcY77Zvy4=";
  };

  nativeBuildInputs = [ autoreconfHook ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "C library for parsing and emitting YAML";
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
})
