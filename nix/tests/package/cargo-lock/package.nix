# A small crate with one registry dependency, built with hostpkgs' `cargoLock` interface (see
# ../run.sh). `lockFileContents` replaces the lock file the dependencies are vendored from, to
# test the check that it matches the source's.
{
  lib,
  rustPlatform,
  lockFileContents ? null,
}:

rustPlatform.buildRustPackage {
  pname = "cargo-lock-test";
  version = "0.1.0";
  src = lib.cleanSourceWith {
    name = "cargo-lock-test-source";
    src = ./.;
    filter =
      path: type:
      !(builtins.elem (baseNameOf path) [
        "package.nix"
        "target"
      ]);
  };
  cargoLock =
    if lockFileContents == null then { lockFile = ./Cargo.lock; } else { inherit lockFileContents; };
  doCheck = false;
}
