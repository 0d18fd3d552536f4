# rule: network-in-build
# line: 18
{ lib, stdenv, fetchurl, python3 }:

stdenv.mkDerivation (finalAttrs: {
  pname = "tabulate";
  version = "0.10.0";

  src = fetchurl {
    url = "https://example.invalid/tabulate-${finalAttrs.version}.tar.gz";
    hash = "sha256-4s/ej3lCD23u/97amq7DtrxavOlHZV0XrGYrEm5Ipg0=";
  };

  nativeBuildInputs = [ python3 ];

  buildPhase = ''
    runHook preBuild
    pip install requests
    python3 setup.py build
    runHook postBuild
  '';

  installPhase = ''
    runHook preInstall
    python3 setup.py install --prefix=$out
    runHook postInstall
  '';

  meta.license = lib.licenses.mit;
})
