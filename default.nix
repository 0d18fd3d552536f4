# ai-drv for Nix users without flakes. Two uses:
#
#   nix-build --argstr msg 'Generate a derivation for building `sl`'   # the package, as the seed did
#   (import ./. { }).mkAIDerivation "…"                                 # the library
#
# The package set is ai-drv's hostpkgs (Debian's packages; builds need the options `ai-drv doctor`
# prints) unless `pkgs` is given, e.g. `import ./. { pkgs = import <nixpkgs> { }; }`.
{
  system ? builtins.currentSystem,
  pkgs ? import ./nix/hostpkgs { inherit system; },
  # A prompt: when given, the result is `mkAIDerivation msg`.
  msg ? null,
  server ? "http://127.0.0.1:5000",
  lock ? null,
  # ai-drv itself (for recursive mode); nix/package.nix builds it with rustPlatform.
  ai-drv ? if builtins.pathExists ./nix/package.nix then pkgs.callPackage ./nix/package.nix { } else null,
}:

let
  aiDrvLib = import ./nix/lib {
    inherit
      pkgs
      server
      lock
      ai-drv
      ;
  };
in
if msg != null then
  aiDrvLib.mkAIDerivation msg
else
  {
    inherit (aiDrvLib) mkAIDerivation;
    lib = aiDrvLib;
  }
  // (if ai-drv != null then { inherit ai-drv; } else { })
