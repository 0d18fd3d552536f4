# lib tests: makeOverridable, callPackageWith, makeScope and lib.meta.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, tryOk, hello, noMain, multi, realDrv, sumFn, ovr, auto, scope, ... }:
let
  inherit (lib) licenses platforms;
in
{
  ## customisation
  testMakeOverridable = { expr = (ovr { a = 1; }).sum; expected = 11; };
  testMakeOverridableFunctionArgs = { expr = lib.functionArgs ovr; expected = { a = false; b = true; }; };
  testOverride = { expr = ((ovr { a = 1; }).override { b = 2; }).sum; expected = 3; };
  testOverrideChain = {
    expr = let r = (((ovr { a = 1; }).override { a = 2; }).override (old: { b = old.a * 100; })); in [ r.a r.b r.sum ];
    expected = [ 2 200 202 ];
  };
  testOverrideFunctionArgs = { expr = lib.functionArgs (ovr { a = 1; }).override; expected = { a = false; b = true; }; };
  testOverridableNonAttrs = { expr = lib.makeOverridable ({ x }: x * 2) { x = 4; }; expected = 8; };
  testOverrideDerivation = {
    expr = let d = lib.overrideDerivation realDrv (old: { name = old.name + "-renamed"; }); in [ d.name d.type d.builder ];
    expected = [ "plain-renamed" "derivation" "/bin/sh" ];
  };
  testOverridableOverrideDerivation = {
    expr = let d = (lib.makeOverridable (_: realDrv) { }).overrideDerivation (old: { name = "renamed"; }); in [ d.name (d ? override) ];
    expected = [ "renamed" true ];
  };
  testCallPackageWith = { expr = (lib.callPackageWith auto sumFn { }).sum; expected = 3; };
  testCallPackageWithOverrides = { expr = (lib.callPackageWith auto sumFn { b = 5; }).sum; expected = 6; };
  testCallPackageWithDefault = { expr = (lib.callPackageWith { a = 1; } sumFn { }).sum; expected = 11; };
  testCallPackageOnlyDeclared = { expr = lib.callPackageWith auto (args: builtins.attrNames args) { }; expected = [ ]; };
  testCallPackageWithPath = { expr = (lib.callPackageWith { x = 2; z = 9; } ./fixtures/pkg.nix { }).value; expected = 6; };
  testCallPackageOverride = { expr = ((lib.callPackageWith auto sumFn { }).override { a = 100; }).sum; expected = 102; };
  testCallPackageOverridable = { expr = (lib.callPackageWith auto (lib.makeOverridable sumFn) { }).sum; expected = 3; };
  testCallPackageMissingArg = { expr = tryOk (lib.callPackageWith { } ./fixtures/needs-foo.nix { }); expected = false; };
  testCallPackageMissingArgFn = { expr = tryOk (lib.callPackageWith { a = 1; } ({ a, foo }: a) { }); expected = false; };
  testCallPackagesWith = {
    expr = let s = lib.callPackagesWith auto ({ a, b }: { x = { v = a; }; y = { v = b; }; }) { }; in [ s.x.v s.y.v (s.x.override { a = 7; }).v ];
    expected = [ 1 2 7 ];
  };
  testMakeScope = { expr = [ scope.b (scope.overrideScope (final: prev: { a = 5; })).b ]; expected = [ 11 15 ]; };
  testMakeScopeNewScope = { expr = scope.newScope { x = 0; } ({ a, x }: a + x) { }; expected = 1; };

  ## meta
  testGetExe = { expr = lib.getExe hello; expected = "${hello.outPath}/bin/hello-cli"; };
  testGetExeNoMainProgram = { expr = lib.getExe noMain; expected = "${noMain.outPath}/bin/tool"; };
  testGetExePrime = { expr = [ (lib.getExe' hello "other") (lib.getExe' multi "m") (tryOk (lib.getExe' hello "a/b")) (tryOk (lib.getExe' { } "x")) ]; expected = [ "${hello.outPath}/bin/other" "/b/bin/m" false false ]; };
  testMetaGetExe = { expr = lib.meta.getExe hello; expected = "${hello.outPath}/bin/hello-cli"; };
  testPriorities = { expr = [ (lib.lowPrio hello).meta.priority (lib.hiPrio hello).meta.priority (lib.lowPrio hello).meta.mainProgram ]; expected = [ 10 (-10) "hello-cli" ]; };
  testAddMetaAttrs = { expr = (lib.addMetaAttrs { description = "d"; } hello).meta; expected = { mainProgram = "hello-cli"; description = "d"; }; };
  testAvailableOn = {
    expr = [
      (lib.meta.availableOn { system = "x86_64-linux"; } { meta.platforms = platforms.linux; })
      (lib.meta.availableOn "aarch64-darwin" { meta.platforms = platforms.linux; })
      (lib.meta.availableOn "x86_64-linux" { meta = { platforms = platforms.linux; badPlatforms = [ "x86_64-linux" ]; }; })
      (lib.meta.availableOn "x86_64-linux" { })
    ];
    expected = [ true false false true ];
  };
  testGetLicenseFromSpdxId = {
    expr = [ (lib.getLicenseFromSpdxId "Apache-2.0" == licenses.asl20) (lib.getLicenseFromSpdxId "mit").shortName (lib.getLicenseFromSpdxIdOr "Nope-1.0" null) ];
    expected = [ true "mit" null ];
  };
  testGetLicenseFromSpdxIdUnknown = { expr = (lib.getLicenseFromSpdxId "expected-test-warning-unknown-id").shortName; expected = "expected-test-warning-unknown-id"; };
  testSetName = { expr = [ (lib.meta.setName "x" hello).name (lib.meta.appendToName "wrapped" hello).name ]; expected = [ "x" "hello-wrapped-2.12.1" ]; };
  testExtendMkDerivation = {
    expr = let
      base = lib.setFunctionArgs (fa: lib.fix (lib.toFunction fa)) { name = false; };
      mkThing = lib.extendMkDerivation {
        constructDrv = base;
        excludeDrvArgNames = [ "extra" ];
        extendDrvArgs = finalAttrs: { extra ? "e", ... }@args: { name = "${args.name}-${extra}"; greeting = "hi ${finalAttrs.name}"; };
      };
    in [ (mkThing { name = "x"; extra = "y"; }) (mkThing (final: { name = "z"; })) (lib.functionArgs mkThing) ];
    expected = [ { name = "x-y"; greeting = "hi x-y"; } { name = "z-e"; greeting = "hi z-e"; } { name = false; extra = true; } ];
  };
  testDontDistributeLowPrioSet = {
    expr = [ (lib.dontDistribute hello).meta.hydraPlatforms (lib.lowPrioSet { h = hello; }).h.meta.priority ];
    expected = [ [ ] 10 ];
  };
}
