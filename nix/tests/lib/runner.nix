# Test runner: given an attrset of cases { expr; expected; }, evaluates
# every case (errors raised with throw/assert count as failures) and reports
# { total; passed; failures = [ { name; expected; actual; } ]; }
# with values rendered by lib.generators.toPretty. ./run.nix applies it to
# ./default.nix.
tests:
let
  lib = import ../../hostpkgs/lib;
  show = lib.generators.toPretty { multiline = false; };
  check = name:
    let
      t = tests.${name};
      r = builtins.tryEval (builtins.deepSeq t.expr t.expr);
    in
    if r.success && r.value == t.expected then [ ]
    else [ {
      inherit name;
      expected = show t.expected;
      actual = if r.success then show r.value else "<evaluation failed (throw or assert)>";
    } ];
  names = builtins.attrNames tests;
  failures = builtins.concatMap check names;
in
{
  total = builtins.length names;
  passed = builtins.length names - builtins.length failures;
  inherit failures;
}
