# Language builders with nixpkgs' interfaces: rustPlatform.buildRustPackage and
# python3Packages.buildPythonApplication / buildPythonPackage. (buildNpmPackage and buildGoModule:
# see README.md in this directory.)
{ lib, self }:

{
  rustPlatform = import ./rust.nix { inherit lib self; };
  python3Packages = import ./python.nix { inherit lib self; };
}
