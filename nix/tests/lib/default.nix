# Tests for nix/hostpkgs/lib: one attribute set of cases { expr; expected; }
# in the style of nixpkgs' lib/tests/misc.nix, gathered from the topic files
# below (each a function of the shared values in ./common.nix). Run them
# with ./run.sh, which evaluates ./run.nix. Failing calls are tested through
# builtins.tryEval, so only `throw`/`assert` failures are expected.
let
  common = import ./common.nix;
  files = [
    ./trivial.nix
    ./strings.nix
    ./lists.nix
    ./attrsets.nix
    ./customisation.nix
    ./data.nix
    ./sources.nix
  ];
  add = acc: file:
    let
      cases = import file common;
      dup = builtins.attrNames (builtins.intersectAttrs acc cases);
    in
    if dup == [ ] then acc // cases
    else throw "duplicate test names in ${toString file}: ${builtins.concatStringsSep ", " dup}";
in
builtins.foldl' add { } files
