# lib tests: lib.strings and lib.versions.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, tryOk, hello, multi, ... }:
{
  ## strings
  testConcatStrings = { expr = lib.concatStrings [ "a" "b" "c" ]; expected = "abc"; };
  testConcatStringsSep = { expr = lib.concatStringsSep "/" [ "usr" "bin" ]; expected = "usr/bin"; };
  testConcatMapStrings = { expr = lib.concatMapStrings (x: x + ";") [ "a" "b" ]; expected = "a;b;"; };
  testConcatMapStringsSep = { expr = lib.concatMapStringsSep "-" toString [ 1 2 3 ]; expected = "1-2-3"; };
  testConcatImapStringsSep = { expr = lib.concatImapStringsSep "-" (i: x: x + toString i) [ "a" "b" ]; expected = "a1-b2"; };
  testConcatLines = { expr = [ (lib.concatLines [ "a" "b" ]) (lib.concatLines [ ]) ]; expected = [ "a\nb\n" "" ]; };
  testIntersperse = {
    expr = [ (lib.intersperse "/" [ "a" "b" "c" ]) (lib.intersperse "/" [ "a" ]) (lib.intersperse "/" [ ]) ];
    expected = [ [ "a" "/" "b" "/" "c" ] [ "a" ] [ ] ];
  };
  testSplitString = { expr = lib.splitString "." "a.b.c"; expected = [ "a" "b" "c" ]; };
  testSplitStringLeadingSep = { expr = lib.splitString "/" "/usr/bin/"; expected = [ "" "usr" "bin" "" ]; };
  testSplitStringMultiChar = { expr = lib.splitString "::" "a::b:c"; expected = [ "a" "b:c" ]; };
  testSplitStringEmpty = { expr = lib.splitString "," ""; expected = [ "" ]; };
  testSplitStringRegexChars = { expr = lib.splitString "*" "a*b"; expected = [ "a" "b" ]; };
  testHasPrefix = { expr = [ (lib.hasPrefix "foo" "foobar") (lib.hasPrefix "bar" "foobar") (lib.hasPrefix "" "x") ]; expected = [ true false true ]; };
  testHasSuffix = { expr = [ (lib.hasSuffix ".nix" "a.nix") (lib.hasSuffix "long-suffix" "x") ]; expected = [ true false ]; };
  testHasInfix = {
    expr = [ (lib.hasInfix "oo" "foo") (lib.hasInfix "." "abc") (lib.hasInfix "" "") (lib.hasInfix "a+b" "xa+by") ];
    expected = [ true false true true ];
  };
  testRemovePrefix = { expr = [ (lib.removePrefix "foo." "foo.bar") (lib.removePrefix "xx" "foo") ]; expected = [ "bar" "foo" ]; };
  testRemoveSuffix = { expr = [ (lib.removeSuffix ".nix" "a.nix") (lib.removeSuffix "toolong" "a") ]; expected = [ "a" "a" ]; };
  testToLowerUpper = { expr = [ (lib.toLower "AbC-1") (lib.toUpper "AbC-1") ]; expected = [ "abc-1" "ABC-1" ]; };
  testOptionalString = { expr = [ (lib.optionalString true "x") (lib.optionalString false "x") ]; expected = [ "x" "" ]; };
  testStringToCharacters = { expr = [ (lib.stringToCharacters "abc") (lib.stringToCharacters "") ]; expected = [ [ "a" "b" "c" ] [ ] ]; };
  testStringBuiltins = {
    expr = [ (lib.stringLength "abc") (lib.substring 1 2 "abcd") (lib.replaceStrings [ "a" ] [ "A" ] "banana") ];
    expected = [ 3 "bc" "bAnAnA" ];
  };
  testEscape = { expr = lib.escape [ "(" ")" ] "(foo)"; expected = "\\(foo\\)"; };
  testEscapeShellArgSafe = { expr = lib.escapeShellArg "foo/bar-1.0_x:y@z%,+"; expected = "foo/bar-1.0_x:y@z%,+"; };
  testEscapeShellArgQuotes = { expr = lib.escapeShellArg "it's \"quoted\""; expected = "'it'\\''s \"quoted\"'"; };
  testEscapeShellArgSpecial = {
    expr = map lib.escapeShellArg [ "" "a b" "$HOME" "--x=y" 5 ];
    expected = [ "''" "'a b'" "'$HOME'" "'--x=y'" "5" ];
  };
  testEscapeShellArgs = { expr = lib.escapeShellArgs [ "a" "b c" "d'e" ]; expected = "a 'b c' 'd'\\''e'"; };
  testEscapeURLReserved = {
    expr = lib.escapeURL " ?&=#+%!<>\"{}|\\^[]`\t:/@$'()*,;";
    expected = "%20%3F%26%3D%23%2B%25%21%3C%3E%22%7B%7D%7C%5C%5E%5B%5D%60%09%3A%2F%40%24%27%28%29%2A%2C%3B";
  };
  testEscapeURLUnreserved = { expr = lib.escapeURL "AZaz09-_.~"; expected = "AZaz09-_.~"; };
  testEscapeURLUnicode = { expr = lib.escapeURL "ü/é ß"; expected = "ü%2Fé%20ß"; };
  testEscapeNixString = { expr = lib.escapeNixString "a\"b\${c}\n"; expected = "\"a\\\"b\\\${c}\\n\""; };
  testEscapeRegex = { expr = lib.escapeRegex "a.b*[c]"; expected = "a\\.b\\*\\[c]"; };
  testEscapeC = { expr = lib.escapeC [ " " "\n" ] "a b\n"; expected = "a\\x20b\\x0a"; };
  testEscapeXML = { expr = lib.escapeXML "<a href=\"x\">&'"; expected = "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"; };
  testEscapeNixIdentifier = { expr = map lib.escapeNixIdentifier [ "foo" "foo-bar" "1x" "if" ]; expected = [ "foo" "foo-bar" "\"1x\"" "\"if\"" ]; };
  testMakeSearchPath = { expr = lib.makeSearchPath "bin" [ "/a" null "/b" ]; expected = "/a/bin:/b/bin"; };
  testMakeBinPath = { expr = lib.makeBinPath [ multi hello ]; expected = "/b/bin:${hello.outPath}/bin"; };
  testMakeLibraryPath = { expr = lib.makeLibraryPath [ multi hello ]; expected = "/l/lib:${hello.outPath}/lib"; };
  testMakeIncludePath = { expr = lib.makeIncludePath [ multi ]; expected = "/d/include"; };
  testMakeSearchPathOutput = { expr = lib.makeSearchPathOutput "dev" "lib/pkgconfig" [ multi ]; expected = "/d/lib/pkgconfig"; };
  testVersionOlder = {
    expr = [ (lib.versionOlder "1.9" "1.10") (lib.versionOlder "1.10" "1.9") (lib.versionOlder "1.0" "1.0") (lib.versionOlder "1.0pre1" "1.0") ];
    expected = [ true false false true ];
  };
  testVersionAtLeast = {
    expr = [ (lib.versionAtLeast "1.10" "1.9") (lib.versionAtLeast "1.0" "1.0") (lib.versionAtLeast "2.3" "2.10") ];
    expected = [ true true false ];
  };
  testGetNameVersion = {
    expr = [ (lib.getName "hello-2.12.1") (lib.getVersion "hello-2.12.1") (lib.getName hello) (lib.getVersion { name = "foo-bar-1.0"; }) (lib.getName { name = "foo-bar-1.0"; }) ];
    expected = [ "hello" "2.12.1" "hello" "1.0" "foo-bar" ];
  };
  testVersionsParts = {
    expr = with lib.versions; [ (major "1.2.3") (minor "1.2.3") (patch "1.2.3") (majorMinor "1.2.3") (majorMinor "7") ];
    expected = [ "1" "2" "3" "1.2" "7" ];
  };
  testSplitVersion = { expr = lib.versions.splitVersion "1.2-rc1"; expected = [ "1" "2" "rc" "1" ]; };
  testVersionsPad = { expr = [ (lib.versions.pad 3 "1.2") (lib.versions.pad 2 "1.2.3-rc1") ]; expected = [ "1.2.0" "1.2-rc1" ]; };
  testToInt = { expr = [ (lib.toInt "42") (lib.toInt " -3 ") (lib.toInt "0") ]; expected = [ 42 (-3) 0 ]; };
  testToIntRejects = { expr = map (s: tryOk (lib.toInt s)) [ "012" "1.5" "abc" "" ]; expected = [ false false false false ]; };
  testToIntBase10 = { expr = [ (lib.toIntBase10 "012") (lib.toIntBase10 "000") (tryOk (lib.toIntBase10 "x")) ]; expected = [ 12 0 false ]; };
  testTrim = {
    expr = [ (lib.strings.trim "  a b \n") (lib.strings.trim " \t ") (lib.strings.trimWith { start = true; } "  a  ") ];
    expected = [ "a b" "" "a  " ];
  };
  testFixedWidthString = {
    expr = [ (lib.fixedWidthString 5 "0" "12") (lib.fixedWidthString 2 "0" "12") (tryOk (lib.fixedWidthString 1 "0" "12")) ];
    expected = [ "00012" "12" false ];
  };
  testFixedWidthNumber = { expr = lib.fixedWidthNumber 3 7; expected = "007"; };
  testEnableFeature = {
    expr = [ (lib.enableFeature true "x") (lib.enableFeature false "x") (lib.enableFeatureAs true "x" "y") (lib.enableFeatureAs false "x" "y") ];
    expected = [ "--enable-x" "--disable-x" "--enable-x=y" "--disable-x" ];
  };
  testWithFeature = {
    expr = [ (lib.withFeature true "ssl") (lib.withFeature false "ssl") (lib.withFeatureAs true "ssl" "/o") (lib.withFeatureAs false "ssl" "/o") ];
    expected = [ "--with-ssl" "--without-ssl" "--with-ssl=/o" "--without-ssl" ];
  };
  testEnableFeatureRejectsNonString = { expr = tryOk (lib.enableFeature true hello); expected = false; };
  testMeson = {
    expr = [ (lib.mesonOption "a" "b") (lib.mesonBool "a" true) (lib.mesonEnable "a" false) (lib.mesonEnable "a" true) ];
    expected = [ "-Da=b" "-Da=true" "-Da=disabled" "-Da=enabled" ];
  };
  testCmake = {
    expr = [ (lib.cmakeBool "A" true) (lib.cmakeBool "A" false) (lib.cmakeFeature "A" "x") (lib.cmakeOptionType "filepath" "A" "/x") (tryOk (lib.cmakeOptionType "nope" "A" "x")) ];
    expected = [ "-DA:BOOL=TRUE" "-DA:BOOL=FALSE" "-DA:STRING=x" "-DA:FILEPATH=/x" false ];
  };
  testIsString = { expr = map lib.isString [ "a" 1 ./. ]; expected = [ true false false ]; };
  testIsStorePath = {
    expr = map lib.isStorePath [ "/nix/store/00000000000000000000000000000000-x" "/nix/store/00000000000000000000000000000000-x/bin" hello "relative" 1 ];
    expected = [ true false true false false ];
  };
  testFileContents = { expr = lib.fileContents ./fixtures/text.txt; expected = "hello world"; };
  testSanitizeDerivationName = {
    expr = map lib.sanitizeDerivationName [ "hello-1.0" "..foo bar!" "" "ü" ];
    expected = [ "hello-1.0" "foo-bar-" "unknown" "-" ];
  };
  testSanitizeLong = { expr = builtins.stringLength (lib.sanitizeDerivationName (lib.strings.replicate 300 "a")); expected = 207; };
  testToShellVar = {
    expr = [ (lib.toShellVar "x" "a b") (lib.toShellVar "arr" [ "a" "b c" ]) (lib.toShellVar "m" { k = "v w"; }) (tryOk (lib.toShellVar "1bad" "v")) ];
    expected = [ "x='a b'" "declare -a arr=(a 'b c')" "declare -A m=([k]='v w')" false ];
  };
  testCommonPrefixSuffix = {
    expr = [ (lib.strings.commonPrefixLength "foobar" "fooqux") (lib.strings.commonSuffixLength "abcxyz" "qxyz") (lib.strings.commonPrefixLength "" "a") ];
    expected = [ 3 3 0 ];
  };
  testStringsToJSON = { expr = lib.strings.toJSON { a = [ 1 "b" ]; }; expected = ''{"a":[1,"b"]}''; };
  testCharToInt = { expr = map lib.strings.charToInt [ "A" " " "~" ]; expected = [ 65 32 126 ]; };
  testNameFromURL = { expr = lib.strings.nameFromURL "https://host.invalid/dl/pkg-1.0.tar.gz" "-"; expected = "pkg"; };
  testConcatImapStrings = { expr = lib.concatImapStrings (i: x: "${toString i}${x}") [ "a" "b" ]; expected = "1a2b"; };
  testStringAsChars = { expr = lib.stringAsChars (c: if c == "a" then "A" else c) "banana"; expected = "bAnAnA"; };
  testNormalizePath = { expr = lib.strings.normalizePath "//a//b///c/"; expected = "/a/b/c/"; };
  testToSentenceCase = { expr = lib.strings.toSentenceCase "hELLO wORLD"; expected = "Hello world"; };
  testIsValidPosixName = { expr = map lib.strings.isValidPosixName [ "a_1" "_x" "1a" "a-b" ]; expected = [ true true false false ]; };
  testToShellVars = { expr = lib.strings.toShellVars { a = "1"; b = [ "x" ]; }; expected = "a=1\ndeclare -a b=(x)"; };
  testFloatToString = { expr = lib.strings.floatToString 0.5; expected = "0.500000"; };
}
