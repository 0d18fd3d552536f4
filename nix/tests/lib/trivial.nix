# lib tests: trivial helpers, fixed points, warnings and assertions, release info.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, tryOk, ... }:
{
  ## trivial
  testId = { expr = lib.id 5; expected = 5; };
  testConst = { expr = lib.const 1 2; expected = 1; };
  testFlip = { expr = lib.flip (a: b: a - b) 1 10; expected = 9; };
  testPipe = { expr = lib.pipe 2 [ (x: x + 1) (x: x * 3) ]; expected = 9; };
  testPipeEmpty = { expr = lib.pipe "v" [ ]; expected = "v"; };
  testConcat = { expr = lib.concat [ 1 ] [ 2 3 ]; expected = [ 1 2 3 ]; };
  testOrAnd = { expr = [ (lib.or false true) (lib.and true false) (lib.xor true false) ]; expected = [ true false true ]; };
  testBoolToString = { expr = map lib.boolToString [ true false ]; expected = [ "true" "false" ]; };
  testMergeAttrs = { expr = lib.mergeAttrs { a = 1; b = 1; } { b = 2; }; expected = { a = 1; b = 2; }; };
  testMod = { expr = [ (lib.mod 7 3) (lib.mod (-7) 3) (lib.mod 6 3) ]; expected = [ 1 (-1) 0 ]; };
  testMinMax = { expr = [ (lib.min 3 (-1)) (lib.max 3 (-1)) (lib.min "a" "b") ]; expected = [ (-1) 3 "a" ]; };
  testCompare = { expr = [ (lib.compare 1 2) (lib.compare 2 2) (lib.compare "b" "a") ]; expected = [ (-1) 0 1 ]; };
  testFix = { expr = (lib.fix (self: { a = 1; b = self.a + 1; })).b; expected = 2; };
  testFixPrime = { expr = let r = lib.fix' (self: { a = 1; b = self.a + 1; }); in (r.__unfix__ r).b; expected = 2; };
  testExtends = {
    expr = lib.fix (lib.extends (final: prev: { a = prev.a + 10; }) (self: { a = 1; b = self.a * 2; }));
    expected = { a = 11; b = 22; };
  };
  testComposeExtensions = {
    expr = lib.fix (lib.extends (lib.composeExtensions (f: p: { a = p.a + 1; }) (f: p: { a = p.a * 10; })) (_: { a = 1; }));
    expected = { a = 20; };
  };
  testMakeExtensible = {
    expr = ((lib.makeExtensible (self: { a = 1; b = self.a + 1; })).extend (final: prev: { a = 10; })).b;
    expected = 11;
  };
  testLibExtend = { expr = let l = lib.extend (final: prev: { answer = 42; }); in [ l.answer (l.id 1) ]; expected = [ 42 1 ]; };
  testToFunction = { expr = [ (lib.toFunction 5 null) (lib.toFunction (x: x + 1) 1) ]; expected = [ 5 2 ]; };
  testIsFunction = {
    expr = map lib.isFunction [ (x: x) { __functor = self: x: x; } { } 1 ];
    expected = [ true true false false ];
  };
  testFunctionArgs = { expr = lib.functionArgs ({ a, b ? 1, ... }: a); expected = { a = false; b = true; }; };
  testFunctionArgsPlain = { expr = lib.functionArgs (x: x); expected = { }; };
  testSetFunctionArgs = {
    expr = let f = lib.setFunctionArgs (args: args.a * 2) { a = false; }; in [ (f { a = 4; }) (lib.functionArgs f) ];
    expected = [ 8 { a = false; } ];
  };
  testMirrorFunctionArgs = {
    expr = lib.functionArgs (lib.mirrorFunctionArgs ({ q ? 1 }: q) (args: args));
    expected = { q = true; };
  };
  testWarnReturnsValue = { expr = lib.warn "expected test warning: lib.warn" 7; expected = 7; };
  testWarnIf = { expr = [ (lib.warnIf false "never shown" 1) (lib.warnIfNot true "never shown" 2) ]; expected = [ 1 2 ]; };
  testThrowIf = { expr = [ (tryOk (lib.throwIf true "boom" 1)) (lib.throwIf false "boom" 1) ]; expected = [ false 1 ]; };
  testThrowIfNot = { expr = [ (tryOk (lib.throwIfNot false "boom" 1)) (lib.throwIfNot true "boom" 1) ]; expected = [ false 1 ]; };
  testAssertMsg = { expr = [ (lib.assertMsg true "no") (tryOk (lib.assertMsg false "no")) ]; expected = [ true false ]; };
  testAssertOneOf = {
    expr = [ (lib.assertOneOf "mode" "a" [ "a" "b" ]) (tryOk (lib.assertOneOf "mode" "c" [ "a" "b" ])) ];
    expected = [ true false ];
  };
  testInNixShellIsBool = { expr = builtins.isBool lib.inNixShell; expected = true; };
  testInPureEvalMode = { expr = lib.inPureEvalMode; expected = false; };
  testVersion = {
    expr = [ lib.version lib.trivial.release lib.nixpkgsVersion (lib.versionAtLeast lib.version "24.05") ];
    expected = [ "25.05-hostpkgs" "25.05" "25.05-hostpkgs" true ];
  };
  testOldestSupportedRelease = { expr = [ lib.oldestSupportedRelease (lib.isInOldestRelease 2405) ]; expected = [ 2411 true ]; };
  testImportJSON = { expr = lib.importJSON ./fixtures/data.json; expected = { name = "demo"; list = [ 1 2 ]; nested.ok = true; }; };
  testImportTOML = { expr = lib.importTOML ./fixtures/data.toml; expected = { name = "demo"; section.value = 42; }; };
  testPathExists = { expr = [ (lib.pathExists ./fixtures/data.json) (lib.pathExists ./fixtures/absent) ]; expected = [ true false ]; };
  testReadFile = { expr = lib.readFile ./fixtures/text.txt; expected = "hello world\n"; };
  testFakeHashes = {
    expr = [ lib.fakeHash (builtins.stringLength lib.fakeSha256) (builtins.stringLength lib.fakeSha512)
      (lib.strings.stringToCharacters lib.fakeSha256 == lib.replicate 52 "0") ];
    expected = [ "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" 52 128 true ];
  };
  testToHexString = { expr = map lib.toHexString [ 0 9 10 255 4096 ]; expected = [ "0" "9" "A" "FF" "1000" ]; };
  testToBaseDigits = { expr = [ (lib.toBaseDigits 2 6) (lib.toBaseDigits 10 0) (lib.toBaseDigits 16 255) ]; expected = [ [ 1 1 0 ] [ 0 ] [ 15 15 ] ]; };
  testSeq = { expr = [ (lib.seq 1 2) (tryOk (lib.deepSeq [ (throw "x") ] 1)) ]; expected = [ 2 false ]; };
  testHashString = {
    expr = lib.hashString "sha256" "";
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  };
  testMatchSplit = { expr = [ (lib.match "a(.)c" "abc") (lib.split "," "a,b") ]; expected = [ [ "b" ] [ "a" [ ] "b" ] ]; };
  testDefaultToMapNullable = { expr = [ (lib.defaultTo 1 null) (lib.defaultTo 1 2) (lib.mapNullable (x: x + 1) null) (lib.mapNullable (x: x + 1) 1) ]; expected = [ 1 2 null 2 ]; };
  testSplitByAndCompare = {
    expr = lib.sort (a: b: lib.splitByAndCompare (lib.hasPrefix "+") lib.compare lib.compare a b < 0) [ "b" "+z" "a" "+c" ];
    expected = [ "+c" "+z" "a" "b" ];
  };
  testConverge = { expr = lib.converge (x: if x > 10 then x else x * 2) 1; expected = 16; };
  testToExtension = {
    expr = [ (lib.fix (lib.extends (lib.toExtension { a = 2; }) (_: { a = 1; b = 0; })))
      (lib.fix (lib.extends (lib.toExtension (prev: { a = prev.a + 1; })) (_: { a = 1; }))) ];
    expected = [ { a = 2; b = 0; } { a = 2; } ];
  };
  testComposeManyExtensions = {
    expr = lib.fix (lib.extends (lib.composeManyExtensions [ (f: p: { a = p.a + 1; }) (f: p: { a = p.a * 10; }) (f: p: { b = f.a; }) ]) (_: { a = 1; }));
    expected = { a = 20; b = 20; };
  };
  testCheckListOfEnum = {
    expr = [ (lib.checkListOfEnum "test: features" [ "x" "y" ] [ "y" ] "ok") (tryOk (lib.checkListOfEnum "test: features" [ "x" ] [ "z" ] "ok")) ];
    expected = [ "ok" false ];
  };
  testTraceHelpers = { expr = [ (lib.traceIf false "never shown" 1) (lib.debug.traceValFn (x: "expected test trace: ${toString x}") 3) ]; expected = [ 1 3 ]; };
}
