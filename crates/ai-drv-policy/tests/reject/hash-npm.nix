# rule: missing-hash
# line: 5
{ lib, buildNpmPackage, fetchurl }:

buildNpmPackage (finalAttrs: {
  pname = "cowsay-js";
  version = "1.6.0";

  src = fetchurl {
    url = "https://example.invalid/cowsay/-/cowsay-${finalAttrs.version}.tgz";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };

  dontNpmBuild = true;

  meta = {
    description = "Cowsay in JavaScript";
    license = lib.licenses.mit;
    mainProgram = "cowsay";
  };
})
