{ lib, python3Packages, fetchPypi }:

python3Packages.buildPythonApplication rec {
  pname = "pyfiglet";
  version = "1.0.4";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-25yZQO0b8wSN7/U07VL/La+7ws12ELF7teyh321CeO8=";
  };

  build-system = with python3Packages; [ setuptools ];

  pythonImportsCheck = [ "pyfiglet" ];

  meta = {
    description = "Pure-python FIGlet implementation";
    homepage = "https://github.com/pwaller/pyfiglet";
    license = lib.licenses.mit;
    mainProgram = "pyfiglet";
  };
}
