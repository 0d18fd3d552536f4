# lib tests: sources, filesystem, and the library as a whole.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, ... }:
{
  ## sources and filesystem
  testCleanSourceFilter = {
    expr = map (p: lib.cleanSourceFilter (builtins.head p) (builtins.elemAt p 1)) [
      [ "/s/.git" "directory" ] [ "/s/main.c" "regular" ] [ "/s/result" "symlink" ] [ "/s/a.o" "regular" ] [ "/s/.a.swp" "regular" ] [ "/s/x~" "regular" ] [ "/s/.git" "regular" ]
    ];
    expected = [ false true false false false false true ];
  };
  testCleanSourceWith = {
    expr = let s = lib.cleanSourceWith { src = lib.cleanSource ./fixtures/src; filter = p: t: !(lib.hasSuffix ".md" p); name = "fx"; };
      in [ s.name s._isLibCleanSourceWith (s.filter "/x/notes.md" "regular") (s.filter "/x/.git" "directory") (s.filter "/x/a.c" "regular") ];
    expected = [ "fx" true false false true ];
  };
  # Filtered sources are compared with builtins.path calls using an
  # equivalent explicit filter: equal store paths mean equal contents, and
  # nothing has to be written to the store (works in read-only evaluation).
  testSourceFilesBySuffices = {
    expr = let s = lib.sourceFilesBySuffices ./fixtures/src [ ".c" ]; in [
      s.outPath
      (lib.isStorePath s.outPath)
      "${s}"
    ];
    expected = let p = builtins.path { path = ./fixtures/src; name = "source"; filter = p: t: t == "directory" || lib.hasSuffix ".c" p; };
      in [ p true p ];
  };
  testSourceByRegex = {
    expr = (lib.sourceByRegex ./fixtures/src [ ".*\\.h" "notes.md" ]).outPath;
    expected = builtins.path { path = ./fixtures/src; name = "source"; filter = p: t: builtins.elem (baseNameOf p) [ "main.h" "notes.md" ]; };
  };
  testSourceByRegexNested = {
    expr = (lib.sourceByRegex ./fixtures/src [ "sub" "sub/.*" ]).outPath;
    expected = builtins.path { path = ./fixtures/src; name = "source"; filter = p: t: lib.hasInfix "/sub" p; };
  };
  testCleanSourceNamed = {
    expr = (lib.cleanSourceWith { src = lib.cleanSource ./fixtures/src; filter = p: t: !(lib.hasSuffix ".md" p); name = "fx"; }).outPath;
    expected = builtins.path { path = ./fixtures/src; name = "fx"; filter = p: t: !(lib.hasSuffix ".md" p); };
  };
  testSourcesDiffer = {
    expr = (lib.sourceFilesBySuffices ./fixtures/src [ ".c" ]).outPath == (lib.sourceFilesBySuffices ./fixtures/src [ ".h" ]).outPath;
    expected = false;
  };
  testFilesystem = {
    expr = with lib.filesystem; [ (pathType ./fixtures) (pathIsDirectory ./fixtures/src) (pathIsRegularFile ./fixtures/data.json) (pathIsDirectory ./fixtures/absent)
      (map (p: lib.removePrefix (toString ./fixtures/src + "/") (toString p)) (listFilesRecursive ./fixtures/src)) ];
    expected = [ "directory" true true false [ "main.c" "main.h" "notes.md" "sub/util.c" ] ];
  };

  ## the library as a whole
  testLibIsAttrs = { expr = builtins.length (builtins.attrNames lib) > 300; expected = true; };
  testLibDeepSeq = { expr = builtins.deepSeq lib true; expected = true; };
  testLibTopLevelEvaluates = { expr = builtins.all (n: (builtins.tryEval lib.${n}).success) (builtins.attrNames lib); expected = true; };
  testNamespaces = {
    expr = builtins.all (n: builtins.isAttrs lib.${n}) [ "trivial" "lists" "strings" "versions" "attrsets" "customisation" "meta" "licenses" "platforms" "systems" "sources" "filesystem" "generators" "cli" "fetchers" "fixedPoints" "asserts" "debug" "maintainers" "teams" ];
    expected = true;
  };
  testMaintainersEmpty = { expr = [ lib.maintainers lib.teams (with lib.maintainers; [ ]) ]; expected = [ { } { } [ ] ]; };
  testNamespacesAgree = {
    expr = [ (lib.hasPrefix "a" "ab") (lib.removePrefix "a" "ab") (lib.lists.replicate 2 1) (lib.replicate 2 1) (lib.strings.replicate 2 "ab") ];
    expected = [ true "b" [ 1 1 ] [ 1 1 ] "abab" ];
  };
}
