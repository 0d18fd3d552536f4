# lib tests: licenses, platforms, generators, cli and fetchers.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, tryOk, hello, ... }:
let
  inherit (lib) licenses platforms;
in
{
  ## licenses
  testLicenseMit = {
    expr = licenses.mit;
    expected = { shortName = "mit"; spdxId = "MIT"; fullName = "MIT License"; url = "https://spdx.org/licenses/MIT.html"; free = true; redistributable = true; deprecated = false; };
  };
  testLicenseSpdxIds = {
    expr = map (l: l.spdxId) (with licenses; [ asl20 gpl2Only gpl2Plus gpl3Plus lgpl21Plus agpl3Only mpl20 bsd3 bsd0 cc0 zlib unicode-dfs-2016 psfl ]);
    expected = [ "Apache-2.0" "GPL-2.0-only" "GPL-2.0-or-later" "GPL-3.0-or-later" "LGPL-2.1-or-later" "AGPL-3.0-only" "MPL-2.0" "BSD-3-Clause" "0BSD" "CC0-1.0" "Zlib" "Unicode-DFS-2016" "Python-2.0" ];
  };
  testLicenseUnfree = { expr = with licenses; [ unfree.free unfreeRedistributable.redistributable bsl11.free publicDomain.free ]; expected = [ false true false true ]; };
  testLicenseDeprecatedAliases = { expr = map (l: [ l.spdxId l.deprecated ]) (with licenses; [ gpl2 lgpl21 ]); expected = [ [ "GPL-2.0" true ] [ "LGPL-2.1" true ] ]; };
  testLicensesCount = { expr = builtins.length (builtins.attrNames licenses) >= 60; expected = true; };
  testLicensesWellFormed = {
    expr = builtins.attrNames (lib.filterAttrs (n: l: !(builtins.isString l.shortName && builtins.isString l.fullName && builtins.isBool l.free
      && (l ? spdxId || !l.free || l ? url || builtins.elem n [ "free" "publicDomain" "unfreeRedistributableFirmware" ]))) licenses);
    expected = [ ];
  };
  testLicensesSpdxUnique = {
    expr = let ids = map (l: l.spdxId) (builtins.filter (l: l ? spdxId) (builtins.attrValues licenses)); in builtins.length ids == builtins.length (lib.unique ids);
    expected = true;
  };

  ## platforms
  testPlatformsLinux = { expr = [ (builtins.elem "x86_64-linux" platforms.linux) (builtins.elem "x86_64-darwin" platforms.linux) ]; expected = [ true false ]; };
  testPlatformsDarwin = { expr = lib.sort builtins.lessThan platforms.darwin; expected = [ "aarch64-darwin" "armv7a-darwin" "i686-darwin" "x86_64-darwin" ]; };
  testPlatformsX86 = { expr = builtins.all (s: builtins.elem s platforms.x86) (platforms.i686 ++ platforms.x86_64); expected = true; };
  testPlatformsArch = { expr = [ (builtins.elem "aarch64-linux" platforms.aarch64) (builtins.elem "x86_64-linux" platforms.aarch64) (builtins.elem "i686-linux" platforms.i686) ]; expected = [ true false true ]; };
  testPlatformsOs = {
    expr = [ platforms.illumos (builtins.elem "x86_64-windows" platforms.windows) (builtins.elem "x86_64-freebsd" platforms.freebsd)
      (builtins.elem "x86_64-openbsd" platforms.openbsd) (builtins.elem "x86_64-netbsd" platforms.netbsd) (builtins.elem "x86_64-cygwin" platforms.cygwin) ];
    expected = [ [ "x86_64-solaris" ] true true true true true ];
  };
  testPlatformsUnix = {
    expr = [ (builtins.elem "x86_64-darwin" platforms.unix) (builtins.elem "x86_64-linux" platforms.unix) (builtins.elem "x86_64-windows" platforms.unix) ];
    expected = [ true true false ];
  };
  testPlatformsSubsetOfAll = {
    expr = lib.attrNames (lib.filterAttrs (n: l: !(builtins.all (s: builtins.elem s platforms.all) l)) platforms);
    expected = [ ];
  };
  testMesaPlatforms = { expr = builtins.elem "aarch64-linux" platforms.mesaPlatforms; expected = true; };

  ## generators, cli, fetchers
  testToKeyValue = { expr = lib.generators.toKeyValue { } { a = 1; b = "x"; c = true; }; expected = "a=1\nb=x\nc=true\n"; };
  testToKeyValueDup = { expr = lib.generators.toKeyValue { listsAsDuplicateKeys = true; } { a = [ 1 2 ]; }; expected = "a=1\na=2\n"; };
  testToINI = { expr = lib.generators.toINI { } { s1 = { k = true; }; s2 = { v = "x"; }; }; expected = "[s1]\nk=true\n\n[s2]\nv=x\n"; };
  testGeneratorsToJSON = { expr = lib.generators.toJSON { } { a = [ 1 ]; }; expected = ''{"a":[1]}''; };
  testToPretty = {
    expr = [ (lib.generators.toPretty { multiline = false; } [ 1 "a" { b = null; } ]) (lib.generators.toPretty { } [ 1 2 ]) (lib.generators.toPretty { } { }) ];
    expected = [ "[ 1 \"a\" { b = null; } ]" "[\n  1\n  2\n]" "{ }" ];
  };
  testMkKeyValueDefault = { expr = lib.generators.mkKeyValueDefault { } ":" "a:b" 1; expected = "a\\:b:1"; };
  testCli = {
    expr = lib.cli.toGNUCommandLineShell { } { verbose = true; quiet = false; file = "a b"; level = [ 1 2 ]; none = null; v = true; };
    expected = "--file 'a b' --level 1 --level 2 -v --verbose";
  };
  testProxyImpureEnvVars = { expr = builtins.all (v: builtins.elem v lib.fetchers.proxyImpureEnvVars) [ "http_proxy" "HTTPS_PROXY" "no_proxy" ]; expected = true; };
  testNormalizeHash = {
    expr = [ (lib.fetchers.normalizeHash { } { hash = ""; foo = 1; }) (lib.fetchers.normalizeHash { } { sha256 = "abc"; }) (tryOk (lib.fetchers.normalizeHash { } { })) (lib.fetchers.normalizeHash { required = false; } { x = 1; }) ];
    expected = [ { foo = 1; outputHash = lib.fakeHash; outputHashAlgo = null; } { outputHash = "abc"; outputHashAlgo = "sha256"; } false { x = 1; } ];
  };
  testToINIWithGlobalSection = {
    expr = lib.generators.toINIWithGlobalSection { } { globalSection = { g = 1; }; sections = { s = { k = "v"; }; }; };
    expected = "g=1\n\n[s]\nk=v\n";
  };
  testToYAML = { expr = lib.generators.toYAML { } [ 1 ]; expected = "[1]"; };
  testMkValueStringDefault = {
    expr = map (lib.generators.mkValueStringDefault { }) [ 1 "s" true null hello ] ++ [ (tryOk (lib.generators.mkValueStringDefault { } [ 1 ])) ];
    expected = [ "1" "s" "true" "null" hello.outPath false ];
  };
  testToPrettyFunction = { expr = [ (lib.generators.toPretty { } (x: x)) (lib.generators.toPretty { } ({ a, b ? 1 }: a)) (lib.generators.toPretty { } hello) ]; expected = [ "<function>" "<function, args: {a, b?}>" "<derivation hello-2.12.1>" ]; };
  testCliSeparator = { expr = lib.cli.toGNUCommandLine { optionValueSeparator = "="; } { jobs = 4; }; expected = [ "--jobs=4" ]; };
  testWithNormalizedHash = {
    expr = let f = lib.fetchers.withNormalizedHash { } ({ outputHash, outputHashAlgo, url }: { inherit outputHash outputHashAlgo url; }); in [ (f { sha256 = "h"; url = "u"; }) (lib.functionArgs f) ];
    expected = [ { outputHash = "h"; outputHashAlgo = "sha256"; url = "u"; } { hash = false; url = false; } ];
  };
  testSystems = { expr = [ (builtins.elem "x86_64-linux" lib.systems.flakeExposed) (lib.systems.doubles.linux == platforms.linux) ]; expected = [ true true ]; };
}
