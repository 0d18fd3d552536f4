# rule: network-in-build
# line: 16
{ lib, stdenv, fetchurl, nodejs }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cowsay-js";
  version = "1.6.0";

  src = fetchurl {
    url = "https://example.invalid/cowsay-${finalAttrs.version}.tgz";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };

  nativeBuildInputs = [ nodejs ];

  buildPhase = "npm install && npm run build";

  installPhase = ''
    mkdir -p $out/lib/node_modules/cowsay
    cp -r . $out/lib/node_modules/cowsay
  '';

  meta.license = lib.licenses.mit;
})
