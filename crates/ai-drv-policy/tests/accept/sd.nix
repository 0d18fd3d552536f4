{ lib, rustPlatform, fetchCrate }:

rustPlatform.buildRustPackage rec {
  pname = "sd";
  version = "1.0.0";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-dTqSKu11kQ7e9MWygygHLpDrTvu5K20cCHJMLHp/8Og=";
  };

  cargoHash = "sha256-I5NHYXjZ2sGi6pR9RGX4IYfxWIBaPymWkaLgADqrR/g=";

  meta = {
    description = "Intuitive find & replace CLI";
    homepage = "https://github.com/chmln/sd";
    license = lib.licenses.mit;
    mainProgram = "sd";
  };
}
