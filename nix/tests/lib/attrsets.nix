# lib tests: lib.attrsets.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, tryOk, hello, multi, realDrv, ... }:
{
  ## attrsets
  testAttrByPath = { expr = [ (lib.attrByPath [ "a" "b" ] 0 { a.b = 1; }) (lib.attrByPath [ "a" "c" ] 0 { a.b = 1; }) (lib.attrByPath [ "a" "b" ] 0 { a = 5; }) ]; expected = [ 1 0 0 ]; };
  testHasAttrByPath = { expr = [ (lib.hasAttrByPath [ "a" "b" ] { a.b = 1; }) (lib.hasAttrByPath [ "a" "c" ] { a.b = 1; }) (lib.hasAttrByPath [ ] { }) ]; expected = [ true false true ]; };
  testSetAttrByPath = { expr = lib.setAttrByPath [ "a" "b" ] 1; expected = { a.b = 1; }; };
  testGetAttrFromPath = { expr = [ (lib.getAttrFromPath [ "a" "b" ] { a.b = 2; }) (tryOk (lib.getAttrFromPath [ "x" ] { })) ]; expected = [ 2 false ]; };
  testAttrVals = { expr = lib.attrVals [ "a" "c" ] { a = 1; b = 2; c = 3; }; expected = [ 1 3 ]; };
  testAttrValuesNames = { expr = [ (lib.attrValues { b = 2; a = 1; }) (lib.attrNames { b = 2; a = 1; }) ]; expected = [ [ 1 2 ] [ "a" "b" ] ]; };
  testCatAttrs = { expr = lib.catAttrs "a" [ { a = 1; } { b = 0; } { a = 2; } ]; expected = [ 1 2 ]; };
  testFilterAttrs = { expr = lib.filterAttrs (n: v: v > 1 && n != "c") { a = 1; b = 2; c = 3; }; expected = { b = 2; }; };
  testFilterAttrsRecursive = {
    expr = lib.filterAttrsRecursive (n: v: v != null) { a = { b = null; c = 1; }; d = null; };
    expected = { a = { c = 1; }; };
  };
  testFoldAttrs = { expr = lib.foldAttrs (n: a: [ n ] ++ a) [ ] [ { a = 2; } { a = 3; b = 7; } ]; expected = { a = [ 2 3 ]; b = [ 7 ]; }; };
  testCollect = { expr = lib.collect builtins.isList { a = { b = [ "b" ]; }; c = [ 1 ]; d = 2; }; expected = [ [ "b" ] [ 1 ] ]; };
  testMapAttrs = { expr = lib.mapAttrs (n: v: n + toString v) { a = 1; }; expected = { a = "a1"; }; };
  testMapAttrsPrime = { expr = lib.mapAttrs' (n: v: lib.nameValuePair ("x" + n) (v + 1)) { a = 1; }; expected = { xa = 2; }; };
  testMapAttrsToList = { expr = lib.mapAttrsToList (n: v: n + v) { b = "2"; a = "1"; }; expected = [ "a1" "b2" ]; };
  testMapAttrsRecursive = {
    expr = lib.mapAttrsRecursive (path: v: lib.concatStringsSep "-" path) { n = { a = 1; }; m = 2; };
    expected = { n = { a = "n-a"; }; m = "m"; };
  };
  testMapAttrsRecursiveCond = {
    expr = lib.mapAttrsRecursiveCond (as: !(as ? stop)) (path: v: "x") { a = { stop = true; b = 1; }; c = { d = 1; }; };
    expected = { a = "x"; c = { d = "x"; }; };
  };
  testGenAttrs = { expr = [ (lib.genAttrs [ "a" "b" ] (n: n + n)) (lib.genAttrs' [ "a" ] (n: lib.nameValuePair "x${n}" n)) ]; expected = [ { a = "aa"; b = "bb"; } { xa = "a"; } ]; };
  testIsDerivation = { expr = map lib.isDerivation [ hello realDrv { } "x" ]; expected = [ true true false false ]; };
  testToDerivation = { expr = let d = lib.toDerivation (toString (builtins.toFile "plain-file" "x")); in [ d.name d.type d.outputName ]; expected = [ "plain-file" "derivation" "out" ]; };
  testOptionalAttrs = { expr = [ (lib.optionalAttrs true { a = 1; }) (lib.optionalAttrs false { a = 1; }) ]; expected = [ { a = 1; } { } ]; };
  testZipAttrsWith = { expr = lib.zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ]; expected = { a = [ 1 2 ]; b = [ 3 ]; }; };
  testZipAttrs = { expr = lib.zipAttrs [ { a = 1; } { a = 2; } ]; expected = { a = [ 1 2 ]; }; };
  testRecursiveUpdate = {
    expr = lib.recursiveUpdate { a = { b = 1; c = 2; }; x = 1; y = { z = 1; }; } { a = { b = 10; d = 4; }; x = { y = 1; }; y = 5; };
    expected = { a = { b = 10; c = 2; d = 4; }; x = { y = 1; }; y = 5; };
  };
  testRecursiveUpdateUntil = {
    expr = lib.recursiveUpdateUntil (path: l: r: path == [ "foo" ]) { foo.bar = 1; foo.baz = 2; bar = 3; } { foo.bar = 1; foo.quz = 2; baz = 4; };
    expected = { foo.bar = 1; foo.quz = 2; bar = 3; baz = 4; };
  };
  testMatchAttrs = {
    expr = [ (lib.matchAttrs { cpu.bits = 64; } { cpu = { bits = 64; name = "x"; }; os = "l"; }) (lib.matchAttrs { cpu.bits = 32; } { cpu.bits = 64; }) (lib.matchAttrs { a = 1; } { }) ];
    expected = [ true false false ];
  };
  testGetOutputs = {
    expr = map (d: d.outPath) [ (lib.getBin multi) (lib.getDev multi) (lib.getLib multi) (lib.getMan multi) (lib.getDev multi.bin) (lib.getBin hello) (lib.getOutput "dev" multi) ];
    expected = [ "/b" "/d" "/l" "/o" "/b" hello.outPath "/d" ];
  };
  testChooseDevOutputs = { expr = map (d: d.outPath) (lib.chooseDevOutputs [ multi hello ]); expected = [ "/d" hello.outPath ]; };
  testRecurseIntoAttrs = {
    expr = [ (lib.recurseIntoAttrs { a = 1; }) (lib.dontRecurseIntoAttrs { a = 1; }) ];
    expected = [ { a = 1; recurseForDerivations = true; } { a = 1; recurseForDerivations = false; } ];
  };
  testCartesianProduct = {
    expr = lib.cartesianProductOfSets { a = [ 1 2 ]; b = [ "x" "y" ]; };
    expected = [ { a = 1; b = "x"; } { a = 1; b = "y"; } { a = 2; b = "x"; } { a = 2; b = "y"; } ];
  };
  testUpdateManyAttrsByPath = {
    expr = lib.updateManyAttrsByPath [ { path = [ "a" "b" ]; update = old: old + 1; } { path = [ ]; update = old: old // { z = 0; }; } { path = [ "n" "m" ]; update = _: "new"; } ] { a.b = 1; n = { }; };
    expected = { a.b = 2; z = 0; n.m = "new"; };
  };
  testAttrBuiltins = {
    expr = [ (lib.getAttr "a" { a = 1; }) (lib.hasAttr "b" { a = 1; }) (lib.removeAttrs { a = 1; b = 2; } [ "a" ]) (lib.intersectAttrs { a = 0; } { a = 1; b = 2; }) ];
    expected = [ 1 false { b = 2; } { a = 1; } ];
  };
  testConcatMapAttrs = { expr = lib.concatMapAttrs (n: v: { ${n} = v; "${n}2" = v * 2; }) { a = 1; }; expected = { a = 1; a2 = 2; }; };
  testAttrsToList = { expr = lib.attrsToList { b = 2; a = 1; }; expected = [ { name = "a"; value = 1; } { name = "b"; value = 2; } ]; };
  testGetAttrs = { expr = lib.getAttrs [ "a" "c" ] { a = 1; b = 2; c = 3; }; expected = { a = 1; c = 3; }; };
  testOverrideExisting = { expr = lib.attrsets.overrideExisting { a = 1; b = 2; } { a = 3; c = 4; }; expected = { a = 3; b = 2; }; };
  testUnionOfDisjoint = { expr = [ (lib.attrsets.unionOfDisjoint { a = 1; } { b = 2; }) (tryOk (lib.attrsets.unionOfDisjoint { a = 1; } { a = 2; })) ]; expected = [ { a = 1; b = 2; } false ]; };
  testFoldlAttrs = { expr = lib.foldlAttrs (acc: n: v: acc + n + toString v) "" { b = 2; a = 1; }; expected = "a1b2"; };
  testMapCartesianProduct = { expr = lib.mapCartesianProduct ({ a, b }: a * b) { a = [ 1 2 ]; b = [ 10 ]; }; expected = [ 10 20 ]; };
  testZipAttrsWithNames = { expr = lib.zipAttrsWithNames [ "a" ] (n: vs: vs) [ { a = 1; b = 1; } { a = 2; } ]; expected = { a = [ 1 2 ]; }; };
  testShowAttrPath = { expr = [ (lib.showAttrPath [ "a" "b-c" "1x" ]) (lib.showAttrPath [ ]) ]; expected = [ "a.b-c.\"1x\"" "<root attribute path>" ]; };
}
