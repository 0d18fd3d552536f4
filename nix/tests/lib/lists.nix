# lib tests: lib.lists.
# Cases { expr; expected; }; gathered by ./default.nix.
{ lib, tryOk, ... }:
{
  ## lists
  testSingletonForEach = { expr = [ (lib.singleton 1) (lib.forEach [ 1 2 ] (x: x * 2)) ]; expected = [ [ 1 ] [ 2 4 ] ]; };
  testFoldl = { expr = lib.foldl (acc: x: "(${acc}${x})") "" [ "a" "b" ]; expected = "((a)b)"; };
  testFoldlStrict = { expr = lib.foldl' (acc: x: acc + x) 0 [ 1 2 3 ]; expected = 6; };
  testFoldr = { expr = [ (lib.foldr (x: acc: acc + x) "" [ "a" "b" "c" ]) (lib.fold (x: acc: [ x ] ++ acc) [ ] [ 1 2 ]) ]; expected = [ "cba" [ 1 2 ] ]; };
  testImap = { expr = [ (lib.imap0 (i: x: "${toString i}${x}") [ "a" "b" ]) (lib.imap1 (i: x: "${toString i}${x}") [ "a" "b" ]) ]; expected = [ [ "0a" "1b" ] [ "1a" "2b" ] ]; };
  testConcatMap = { expr = lib.concatMap (x: [ x x ]) [ 1 2 ]; expected = [ 1 1 2 2 ]; };
  testFlatten = { expr = [ (lib.flatten [ 1 [ 2 [ 3 [ ] 4 ] ] 5 ]) (lib.flatten 1) ]; expected = [ [ 1 2 3 4 5 ] [ 1 ] ]; };
  testRemove = { expr = lib.remove 3 [ 1 3 2 3 ]; expected = [ 1 2 ]; };
  testFindFirst = { expr = [ (lib.findFirst (x: x > 3) 7 [ 1 6 4 ]) (lib.findFirst (x: x > 9) 7 [ 1 6 4 ]) ]; expected = [ 6 7 ]; };
  testFindFirstLazy = { expr = lib.findFirst (x: x == 1) null [ 1 (throw "not evaluated") ]; expected = 1; };
  testFindSingle = {
    expr = [ (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 3 ]) (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 ]) (lib.findSingle (x: x == 3) "none" "multiple" [ ]) ];
    expected = [ "multiple" 3 "none" ];
  };
  testAnyAllCount = {
    expr = [ (lib.any (x: x > 2) [ 1 3 ]) (lib.all (x: x > 2) [ 1 3 ]) (lib.all (x: false) [ ]) (lib.count (x: x == 1) [ 1 2 1 ]) ];
    expected = [ true false true 2 ];
  };
  testOptional = { expr = [ (lib.optional true 1) (lib.optional false 1) (lib.optionals true [ 1 2 ]) (lib.optionals false [ 1 ]) ]; expected = [ [ 1 ] [ ] [ 1 2 ] [ ] ]; };
  testToList = { expr = [ (lib.toList 1) (lib.toList [ 1 ]) ]; expected = [ [ 1 ] [ 1 ] ]; };
  testRange = { expr = [ (lib.range 2 4) (lib.range 3 2) (lib.range 1 1) ]; expected = [ [ 2 3 4 ] [ ] [ 1 ] ]; };
  testReplicate = { expr = [ (lib.replicate 3 "a") (lib.replicate 0 1) ]; expected = [ [ "a" "a" "a" ] [ ] ]; };
  testPartition = { expr = lib.partition (x: x > 2) [ 1 3 2 4 ]; expected = { right = [ 3 4 ]; wrong = [ 1 2 ]; }; };
  testGroupBy = {
    expr = lib.groupBy (x: if x > 2 then "big" else "small") [ 1 3 2 4 ];
    expected = { big = [ 3 4 ]; small = [ 1 2 ]; };
  };
  testGroupByPrime = { expr = lib.lists.groupBy' builtins.add 0 (x: if x > 2 then "big" else "small") [ 1 3 2 4 ]; expected = { big = 7; small = 3; }; };
  testZipLists = { expr = lib.zipLists [ 1 2 ] [ "a" "b" "c" ]; expected = [ { fst = 1; snd = "a"; } { fst = 2; snd = "b"; } ]; };
  testZipListsWith = { expr = lib.zipListsWith (a: b: a + b) [ 1 2 ] [ 10 20 30 ]; expected = [ 11 22 ]; };
  testReverseList = { expr = [ (lib.reverseList [ 1 2 3 ]) (lib.reverseList [ ]) ]; expected = [ [ 3 2 1 ] [ ] ]; };
  testSort = { expr = lib.sort builtins.lessThan [ 3 1 2 ]; expected = [ 1 2 3 ]; };
  testNaturalSort = {
    expr = lib.naturalSort [ "disk11" "disk8" "disk100" "disk9" "a" ];
    expected = [ "a" "disk8" "disk9" "disk11" "disk100" ];
  };
  testTakeDrop = {
    expr = [ (lib.take 2 [ 1 2 3 ]) (lib.take 5 [ 1 ]) (lib.drop 1 [ 1 2 3 ]) (lib.drop 5 [ 1 ]) ];
    expected = [ [ 1 2 ] [ 1 ] [ 2 3 ] [ ] ];
  };
  testSublist = { expr = [ (lib.sublist 1 2 [ 1 2 3 4 ]) (lib.sublist 3 10 [ 1 2 3 4 ]) (lib.sublist 9 1 [ 1 ]) ]; expected = [ [ 2 3 ] [ 4 ] [ ] ]; };
  testLastInit = { expr = [ (lib.last [ 1 2 3 ]) (lib.init [ 1 2 3 ]) (tryOk (lib.last [ ])) (tryOk (lib.init [ ])) ]; expected = [ 3 [ 1 2 ] false false ]; };
  testListBuiltins = {
    expr = [ (lib.head [ 1 2 ]) (lib.tail [ 1 2 ]) (lib.elemAt [ 1 2 ] 1) (lib.elem 2 [ 1 2 ]) (lib.length [ 1 2 ]) (lib.genList (x: x * x) 4) ];
    expected = [ 1 [ 2 ] 2 true 2 [ 0 1 4 9 ] ];
  };
  testFilterMap = { expr = [ (lib.filter (x: x > 1) [ 1 2 3 ]) (lib.lists.map (x: x + 1) [ 1 ]) ]; expected = [ [ 2 3 ] [ 2 ] ]; };
  testListToAttrs = { expr = lib.listToAttrs [ (lib.nameValuePair "a" 1) (lib.nameValuePair "a" 2) ]; expected = { a = 1; }; };
  testUnique = { expr = lib.unique [ 3 2 3 4 2 ]; expected = [ 3 2 4 ]; };
  testIntersectLists = { expr = lib.intersectLists [ 1 2 3 ] [ 4 3 2 ]; expected = [ 3 2 ]; };
  testSubtractLists = { expr = lib.subtractLists [ 3 2 ] [ 1 2 3 4 5 3 ]; expected = [ 1 4 5 ]; };
  testCompareLists = {
    expr = map (p: lib.lists.compareLists lib.compare (builtins.head p) (builtins.elemAt p 1)) [ [ [ 1 2 ] [ 1 3 ] ] [ [ 1 ] [ 1 ] ] [ [ 1 2 ] [ 1 ] ] ];
    expected = [ (-1) 0 1 ];
  };
  testListsNamespace = { expr = lib.lists.hasPrefix [ 1 2 ] [ 1 2 3 ]; expected = true; };
  testIfilter0 = { expr = lib.lists.ifilter0 (i: x: i == 0 || x > 2) [ 1 2 3 ]; expected = [ 1 3 ]; };
  testFindFirstIndex = { expr = [ (lib.lists.findFirstIndex (x: x > 1) null [ 0 1 2 3 ]) (lib.lists.findFirstIndex (x: x > 9) null [ 1 ]) ]; expected = [ 2 null ]; };
  testSortOn = { expr = lib.lists.sortOn builtins.stringLength [ "ccc" "a" "bb" ]; expected = [ "a" "bb" "ccc" ]; };
  testAllUniqueMutuallyExclusive = {
    expr = [ (lib.lists.allUnique [ 1 2 ]) (lib.lists.allUnique [ 1 1 ]) (lib.lists.mutuallyExclusive [ 1 ] [ 2 ]) (lib.lists.mutuallyExclusive [ 1 ] [ 1 ]) ];
    expected = [ true false true false ];
  };
  testTakeEndDropEnd = { expr = [ (lib.lists.takeEnd 2 [ 1 2 3 ]) (lib.lists.dropEnd 2 [ 1 2 3 ]) (lib.lists.takeEnd 5 [ 1 ]) ]; expected = [ [ 2 3 ] [ 1 ] [ 1 ] ]; };
  testListsRemovePrefix = { expr = [ (lib.lists.removePrefix [ 1 ] [ 1 2 ]) (tryOk (lib.lists.removePrefix [ 2 ] [ 1 2 ])) ]; expected = [ [ 2 ] false ]; };
}
