# hostpkgs lib: list functions (lib.lists).
#
# Semantics follow nixpkgs' lib/lists.nix; written for Nix 2.8 builtins.
{ lib }:
let
  inherit (builtins) length elemAt genList head tail filter isList;
in
rec {
  inherit (builtins)
    all any concatLists concatMap elem elemAt filter foldl' genList head
    isList length listToAttrs map partition sort tail groupBy;

  singleton = x: [ x ];
  forEach = xs: f: map f xs;

  # Right fold: foldr op nul [ a b ] == op a (op b nul).
  foldr = op: nul: list:
    let len = length list;
        go = n: if n == len then nul else op (elemAt list n) (go (n + 1));
    in go 0;
  fold = foldr;

  # Left fold, lazy in the accumulator (use foldl' for a strict one).
  foldl = op: nul: list:
    let go = n: if n < 0 then nul else op (go (n - 1)) (elemAt list n);
    in go (length list - 1);

  imap0 = f: list: genList (n: f n (elemAt list n)) (length list);
  imap1 = f: list: genList (n: f (n + 1) (elemAt list n)) (length list);
  imap = imap1;
  ifilter0 = pred: list:
    map (i: elemAt list i) (filter (i: pred i (elemAt list i)) (range 0 (length list - 1)));

  flatten = x: if isList x then builtins.concatMap flatten x else [ x ];
  remove = e: filter (x: x != e);
  count = pred: builtins.foldl' (c: x: if pred x then c + 1 else c) 0;

  findFirstIndex = pred: default: list:
    let len = length list;
        go = i: if i == len then default else if pred (elemAt list i) then i else go (i + 1);
    in go 0;
  findFirst = pred: default: list:
    let i = findFirstIndex pred null list; in if i == null then default else elemAt list i;
  findSingle = pred: default: multiple: list:
    let found = filter pred list; n = length found;
    in if n == 0 then default else if n > 1 then multiple else head found;

  optional = cond: elem: if cond then [ elem ] else [ ];
  optionals = cond: elems: if cond then elems else [ ];
  toList = x: if isList x then x else [ x ];

  range = first: last: if first > last then [ ] else genList (n: first + n) (last - first + 1);
  replicate = n: x: genList (_: x) n;

  # groupBy' op nul pred list: fold each group with op.
  groupBy' = op: nul: pred: list:
    builtins.mapAttrs (_: builtins.foldl' op nul) (builtins.groupBy pred list);

  zipListsWith = f: fst: snd:
    genList (n: f (elemAt fst n) (elemAt snd n)) (lib.trivial.min (length fst) (length snd));
  zipLists = zipListsWith (fst: snd: { inherit fst snd; });

  reverseList = xs: let l = length xs; in genList (n: elemAt xs (l - n - 1)) l;

  # Lexicographic comparison of two lists with an element comparator.
  compareLists = cmp: a: b:
    if a == [ ] then (if b == [ ] then 0 else -1)
    else if b == [ ] then 1
    else let r = cmp (head a) (head b); in if r == 0 then compareLists cmp (tail a) (tail b) else r;

  # Sort strings so embedded numbers compare numerically ("a2" < "a10").
  naturalSort = list:
    let
      key = s: map (p: if isList p then lib.strings.toInt (head p) else p)
        (builtins.split "(0|[1-9][0-9]*)" s);
      keyed = map (s: [ (key s) s ]) list;
    in map (x: elemAt x 1)
      (builtins.sort (a: b: compareLists lib.trivial.compare (head a) (head b) < 0) keyed);

  sortOn = f: list:
    map (p: p.v) (builtins.sort (a: b: a.k < b.k) (map (v: { inherit v; k = f v; }) list));

  sublist = start: count: list:
    let len = length list;
        n = if start >= len then 0 else if start + count > len then len - start else count;
    in genList (i: elemAt list (i + start)) (lib.trivial.max n 0);
  take = count: sublist 0 count;
  drop = count: list: sublist count (length list) list;
  takeEnd = n: xs: drop (lib.trivial.max 0 (length xs - n)) xs;
  dropEnd = n: xs: take (lib.trivial.max 0 (length xs - n)) xs;
  hasPrefix = pre: list: take (length pre) list == pre;
  removePrefix = pre: list:
    if hasPrefix pre list then drop (length pre) list
    else throw "lib.lists.removePrefix: first argument is not a list prefix of the second argument";

  last = list: assert lib.trivial.assertMsg (list != [ ]) "lists.last: list must not be empty!";
    elemAt list (length list - 1);
  init = list: assert lib.trivial.assertMsg (list != [ ]) "lists.init: list must not be empty!";
    take (length list - 1) list;

  unique = builtins.foldl' (acc: e: if builtins.elem e acc then acc else acc ++ [ e ]) [ ];
  allUnique = list: length (unique list) == length list;
  intersectLists = e: filter (x: builtins.elem x e);
  subtractLists = e: filter (x: !builtins.elem x e);
  mutuallyExclusive = a: b: a == [ ] || (!builtins.elem (head a) b && mutuallyExclusive (tail a) b);

  # All combinations picking one element from each list, in order.
  crossLists = f: foldl (fs: args: builtins.concatMap (f: map f args) fs) [ f ];
}
