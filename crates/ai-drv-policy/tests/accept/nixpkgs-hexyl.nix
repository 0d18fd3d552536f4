{ lib, rustPlatform, fetchCrate }:

rustPlatform.buildRustPackage rec {
  pname = "hexyl";
  version = "0.17.0";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-lEkBSJSPf4ZQvkmXZDGpOFoiAzbPQmB3/j8a/GtcbeQ=";
  };

  cargoHash = "sha256-NJfj7m+tFRhlbjyy6D2ktlCpjt0bB6+a0TJCwVLwuTU=";

  # Cargo.toml asks for Rust 1.88, and the code uses one method stabilised in 1.87
  # (`is_multiple_of`); with that spelled out, it builds with the Rust 1.85 at hand.
  postPatch = ''
    substituteInPlace src/lib.rs \
      --replace-fail "i.is_multiple_of(self.group_size as usize)" "i % (self.group_size as usize) == 0"
  '';
  cargoBuildFlags = [ "--ignore-rust-version" ];
  cargoTestFlags = [ "--ignore-rust-version" ];

  meta = {
    description = "Command-line hex viewer";
    longDescription = ''
      `hexyl` is a simple hex viewer for the terminal. It uses a colored
      output to distinguish different categories of bytes (NULL bytes,
      printable ASCII characters, ASCII whitespace characters, other ASCII
      characters and non-ASCII).
    '';
    homepage = "https://github.com/sharkdp/hexyl";
    license = with lib.licenses; [ asl20 mit ];
    mainProgram = "hexyl";
  };
}
