{ lib, python3Packages, fetchPypi }:

python3Packages.buildPythonApplication rec {
  pname = "tabulate";
  version = "0.10.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-4s/ej3lCD23u/97amq7DtrxavOlHZV0XrGYrEm5Ipg0=";
  };

  build-system = with python3Packages; [ setuptools setuptools-scm ];

  pythonImportsCheck = [ "tabulate" ];
  postPatch = ''
    substituteInPlace pyproject.toml \
      --replace-fail 'license = "MIT"' 'license = { text = "MIT" }' \
      --replace-fail 'license-files = ["LICENSE"]' ""
  '';

  meta = {
    description = "Pretty-print tabular data";
    homepage = "https://github.com/astanin/python-tabulate";
    license = lib.licenses.mit;
    mainProgram = "tabulate";
  };
}
