# hostpkgs lib: version-string helpers (lib.versions), as in nixpkgs'
# lib/versions.nix. Components come from builtins.splitVersion, which
# splits on "." and "-" and between digits and letters.
{ lib }:
let
  inherit (builtins) splitVersion elemAt concatStringsSep;
in
rec {
  inherit splitVersion;
  major = v: elemAt (splitVersion v) 0;
  minor = v: elemAt (splitVersion v) 1;
  patch = v: elemAt (splitVersion v) 2;
  majorMinor = v: concatStringsSep "." (lib.lists.take 2 (splitVersion v));

  # Pad (or cut) the numeric part to n components, keeping any "-suffix".
  pad = n: version:
    let
      numeric = builtins.head (lib.strings.splitString "-" version);
      suffix = lib.strings.removePrefix numeric version;
    in concatStringsSep "." (lib.lists.take n (splitVersion numeric ++ builtins.genList (_: "0") n))
      + suffix;
}
