# rule: missing-hash
# line: 10
{ lib, python3Packages }:

python3Packages.buildPythonApplication rec {
  pname = "pyfiglet";
  version = "1.0.4";
  pyproject = true;

  src = python3Packages.fetchPypi {
    inherit pname version;
  };

  build-system = with python3Packages; [ setuptools ];

  meta = {
    description = "Pure-python FIGlet implementation";
    license = lib.licenses.mit;
    mainProgram = "pyfiglet";
  };
}
