# hostpkgs lib: attribute-set functions (lib.attrsets).
#
# Semantics follow nixpkgs' lib/attrsets.nix; written for Nix 2.8 builtins.
{ lib }:
let
  inherit (builtins)
    attrNames concatMap elemAt filter foldl' head isAttrs length listToAttrs
    tail zipAttrsWith;
in
rec {
  inherit (builtins)
    attrNames attrValues catAttrs getAttr hasAttr intersectAttrs isAttrs
    listToAttrs mapAttrs removeAttrs zipAttrsWith;

  ## Paths ------------------------------------------------------------------

  attrByPath = path: default: set:
    if path == [ ] then set
    else let n = head path; in
      if isAttrs set && set ? ${n} then attrByPath (tail path) default set.${n} else default;
  hasAttrByPath = path: set:
    path == [ ] || (let n = head path; in isAttrs set && set ? ${n} && hasAttrByPath (tail path) set.${n});
  setAttrByPath = path: value:
    if path == [ ] then value else { ${head path} = setAttrByPath (tail path) value; };
  getAttrFromPath = path: set:
    attrByPath path (throw "cannot find attribute '${lib.strings.concatStringsSep "." path}'") set;
  showAttrPath = path:
    if path == [ ] then "<root attribute path>"
    else lib.strings.concatMapStringsSep "." lib.strings.escapeNixIdentifier path;

  # Apply { path; update; } records in order; update gets the old value.
  updateManyAttrsByPath = updates: value:
    let
      go = prefix: path: f: v:
        if path == [ ] then f v
        else if !isAttrs v then
          throw "updateManyAttrsByPath: Path '${showAttrPath prefix}' is not an attribute set, cannot update '${showAttrPath (prefix ++ path)}'"
        else let n = head path; in v // {
          ${n} = go (prefix ++ [ n ]) (tail path) f (v.${n} or
            (throw "updateManyAttrsByPath: Path '${showAttrPath (prefix ++ [ n ])}' does not exist in the expression being updated, there's no value to pass to the update function"));
        };
    in foldl' (v: u: go [ ] u.path u.update v) value updates;

  attrVals = names: set: map (n: set.${n}) names;
  getAttrs = names: set: genAttrs names (n: set.${n});

  ## Construction -----------------------------------------------------------

  nameValuePair = name: value: { inherit name value; };
  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);
  genAttrs' = xs: f: listToAttrs (map f xs);
  optionalAttrs = cond: as: if cond then as else { };
  attrsToList = mapAttrsToList nameValuePair;

  ## Filtering and mapping --------------------------------------------------

  filterAttrs = pred: set: removeAttrs set (filter (n: !pred n set.${n}) (attrNames set));
  filterAttrsRecursive = pred: set:
    listToAttrs (concatMap (n: let v = set.${n}; in
      if pred n v then [ (nameValuePair n (if isAttrs v then filterAttrsRecursive pred v else v)) ] else [ ])
      (attrNames set));
  mapAttrs' = f: set: listToAttrs (map (n: f n set.${n}) (attrNames set));
  mapAttrsToList = f: set: map (n: f n set.${n}) (attrNames set);
  mapAttrsFlatten = mapAttrsToList;
  concatMapAttrs = f: set: foldl' (a: b: a // b) { } (mapAttrsToList f set);
  mapAttrsRecursive = mapAttrsRecursiveCond (_: true);
  mapAttrsRecursiveCond = cond: f: set:
    let recurse = path: builtins.mapAttrs (n: v:
          if isAttrs v && cond v then recurse (path ++ [ n ]) v else f (path ++ [ n ]) v);
    in recurse [ ] set;
  foldlAttrs = f: init: set: foldl' (acc: n: f acc n set.${n}) init (attrNames set);
  # Fold a list of sets into one set of folded values per name.
  foldAttrs = op: nul: list:
    lib.lists.foldr (s: acc: foldl' (a: n: a // { ${n} = op s.${n} (a.${n} or nul); }) acc (attrNames s))
      { } list;
  collect = pred: v:
    if pred v then [ v ] else if isAttrs v then concatMap (collect pred) (builtins.attrValues v) else [ ];
  cartesianProduct = sets:
    foldl' (acc: n: concatMap (a: map (x: a // { ${n} = x; }) sets.${n}) acc) [ { } ] (attrNames sets);
  cartesianProductOfSets = cartesianProduct;
  mapCartesianProduct = f: sets: map f (cartesianProduct sets);

  ## Merging ----------------------------------------------------------------

  zipAttrsWithNames = names: f: sets:
    listToAttrs (map (n: nameValuePair n (f n (builtins.catAttrs n sets))) names);
  zipAttrs = zipAttrsWith (_: vs: vs);
  mergeAttrsList = foldl' (a: b: a // b) { };
  unionOfDisjoint = x: y:
    let common = builtins.intersectAttrs x y; in
    if common == { } then x // y
    else throw "unionOfDisjoint: collision on ${lib.strings.concatStringsSep ", " (attrNames common)}";
  overrideExisting = old: new: builtins.mapAttrs (n: v: new.${n} or v) old;

  # Merge rhs into lhs recursively until pred path lhsValue rhsValue holds.
  recursiveUpdateUntil = pred: lhs: rhs:
    let f = path: zipAttrsWith (n: vs:
          let here = path ++ [ n ]; in
          if length vs == 1 || pred here (elemAt vs 1) (head vs) then head vs else f here vs);
    in f [ ] [ rhs lhs ];
  recursiveUpdate = recursiveUpdateUntil (_: l: r: !(isAttrs l && isAttrs r));

  matchAttrs = pattern: set:
    assert isAttrs pattern;
    lib.lists.all (n: set ? ${n} && (let p = pattern.${n}; v = set.${n}; in
      if isAttrs p then isAttrs v && matchAttrs p v else p == v)) (attrNames pattern);

  ## Derivations ------------------------------------------------------------

  isDerivation = v: v.type or null == "derivation";
  toDerivation = path:
    let
      p = builtins.storePath path;
      res = {
        type = "derivation";
        name = lib.strings.sanitizeDerivationName (builtins.substring 33 (-1) (baseNameOf p));
        outPath = p; outputs = [ "out" ]; out = res; outputName = "out";
      };
    in res;

  # Pick an output unless the value already names a specific output.
  getOutput = output: pkg:
    if !(pkg ? outputSpecified) || !pkg.outputSpecified then pkg.${output} or pkg.out or pkg else pkg;
  getFirstOutput = candidates: pkg:
    let o = lib.lists.findFirst (o: builtins.elem o (pkg.outputs or [ ])) "out" candidates;
    in if !(pkg ? outputSpecified) || !pkg.outputSpecified then pkg.${o} or pkg.out or pkg else pkg;
  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  getMan = getOutput "man";
  getInclude = getFirstOutput [ "include" "dev" "out" ];
  getStatic = getFirstOutput [ "static" "lib" "out" ];
  chooseDevOutputs = map getDev;

  recurseIntoAttrs = attrs: attrs // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = attrs: attrs // { recurseForDerivations = false; };
}
