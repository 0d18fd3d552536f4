# rule: missing-hash
# line: 5
{ lib, rustPlatform, fetchCrate }:

rustPlatform.buildRustPackage rec {
  pname = "hexyl";
  version = "0.17.0";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-lEkBSJSPf4ZQvkmXZDGpOFoiAzbPQmB3/j8a/GtcbeQ=";
  };

  meta = {
    description = "Command-line hex viewer";
    license = with lib.licenses; [ mit asl20 ];
    mainProgram = "hexyl";
  };
}
