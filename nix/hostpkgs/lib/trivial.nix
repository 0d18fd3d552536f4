# hostpkgs lib: trivial helpers, function metadata, warnings, assertions,
# fixed points and release information.
#
# Semantics follow nixpkgs' lib/trivial.nix, lib/fixed-points.nix,
# lib/asserts.nix and lib/debug.nix; written for Nix 2.8 builtins only
# (no builtins.warn, so warnings go through builtins.trace).
{ lib }:
let
  inherit (builtins) elem getEnv trace;
in
rec {
  ## Combinators ------------------------------------------------------------

  id = x: x;
  const = x: _: x;
  flip = f: a: b: f b a;
  pipe = builtins.foldl' (x: f: f x);
  concat = x: y: x ++ y;
  or = x: y: x || y;
  and = x: y: x && y;
  xor = x: y: (!x) != (!y);
  bitAnd = builtins.bitAnd;
  bitOr = builtins.bitOr;
  bitXor = builtins.bitXor;
  bitNot = builtins.sub (-1);
  boolToString = b: if b then "true" else "false";
  mergeAttrs = x: y: x // y;
  defaultTo = default: x: if x == null then default else x;
  mapNullable = f: x: if x == null then null else f x;

  ## Arithmetic and ordering ------------------------------------------------

  # Remainder with the sign of the dividend, like nixpkgs (mod (-7) 3 == -1).
  mod = base: int: base - int * (base / int);
  min = x: y: if x < y then x else y;
  max = x: y: if x > y then x else y;
  compare = a: b: if a < b then -1 else if a > b then 1 else 0;
  # Compare with `yes` when both satisfy/fail `p` together, else `p`-first.
  splitByAndCompare = p: yes: no: a: b:
    if p a then (if p b then yes a b else -1) else if p b then 1 else no a b;

  ## Evaluation control -----------------------------------------------------

  seq = builtins.seq;
  deepSeq = builtins.deepSeq;
  inherit (builtins) tryEval;

  ## Function metadata ------------------------------------------------------

  # Attach formal-argument metadata to a function (it becomes a functor).
  setFunctionArgs = f: args: { __functor = _: f; __functionArgs = args; };

  functionArgs = f:
    if f ? __functor
    then f.__functionArgs or (functionArgs (f.__functor f))
    else builtins.functionArgs f;

  isFunction = f: builtins.isFunction f || (f ? __functor && isFunction (f.__functor f));

  # Give `g` the same functionArgs as `f`.
  mirrorFunctionArgs = f: g: setFunctionArgs g (functionArgs f);

  toFunction = v: if isFunction v then v else _: v;

  ## Warnings, errors and assertions ----------------------------------------

  # NIX_ABORT_ON_WARN=1 turns warnings into errors, as in nixpkgs.
  warn =
    if elem (getEnv "NIX_ABORT_ON_WARN") [ "1" "true" "yes" ]
    then msg: throw "warning: ${msg} (aborting because NIX_ABORT_ON_WARN is set)"
    else msg: trace "[1;35mwarning:[0m ${msg}";
  warnIf = cond: msg: if cond then warn msg else id;
  warnIfNot = cond: warnIf (!cond);
  info = msg: trace "INFO: ${msg}";
  showWarnings = warnings: res: lib.lists.foldr warn res warnings;

  throwIf = cond: msg: if cond then throw msg else id;
  throwIfNot = cond: throwIf (!cond);

  assertMsg = pred: msg: pred || throw msg;
  assertOneOf = name: val: xs:
    assertMsg (elem val xs)
      "${name} must be one of ${lib.generators.toPretty { } xs}, but is: ${lib.generators.toPretty { } val}";
  assertEachOneOf = name: vals: xs:
    assertMsg (lib.lists.all (v: elem v xs) vals)
      "each element in ${name} must be one of ${lib.generators.toPretty { } xs}, but is: ${lib.generators.toPretty { } vals}";

  # Throw unless every element of `given` is in `valid`; else return the
  # last argument unchanged: checkListOfEnum "foo: features" valid given x.
  checkListOfEnum = msg: valid: given:
    let bad = builtins.filter (x: !elem x valid) given; in
    throwIf (bad != [ ])
      "${msg}: ${builtins.concatStringsSep ", " (map toString bad)} unexpected; valid ones: ${builtins.concatStringsSep ", " (map toString valid)}";

  # Debug helpers (lib.debug in nixpkgs).
  traceIf = pred: msg: x: if pred then trace msg x else x;
  traceVal = x: trace x x;
  traceValFn = f: x: trace (f x) x;
  traceSeq = x: y: trace (builtins.deepSeq x x) y;
  traceValSeq = x: traceSeq x x;
  traceValSeqFn = f: x: trace (f (builtins.deepSeq x x)) x;
  addErrorContext = builtins.addErrorContext;

  ## Fixed points and extensions --------------------------------------------

  fix = f: let x = f x; in x;
  fix' = f: let x = f x // { __unfix__ = f; }; in x;
  converge = f: x: let x' = f x; in if x' == x then x else converge f x';

  # `extends overlay f` : apply `overlay final prev` on top of `f`.
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  composeExtensions = f: g: final: prev:
    let fApplied = f final prev; in fApplied // g final (prev // fApplied);
  composeManyExtensions = lib.lists.foldr composeExtensions (_: _: { });
  toExtension = f:
    if isFunction f
    then final: prev: let r = f prev; in if isFunction r then f final prev else r
    else _: _: f;

  makeExtensible = makeExtensibleWithCustomName "extend";
  makeExtensibleWithCustomName = extenderName: rattrs:
    fix' (self: rattrs self // {
      ${extenderName} = f: makeExtensibleWithCustomName extenderName (extends f rattrs);
    });

  ## Files ------------------------------------------------------------------

  importJSON = path: builtins.fromJSON (builtins.readFile path);
  importTOML = path: builtins.fromTOML (builtins.readFile path);
  inherit (builtins) pathExists readFile;

  ## Environment ------------------------------------------------------------

  inNixShell = getEnv "IN_NIX_SHELL" != "";
  # Pure evaluation (flakes, --pure-eval) hides builtins.currentSystem.
  inPureEvalMode = !(builtins ? currentSystem);

  ## Release information ----------------------------------------------------
  # hostpkgs tracks the nixpkgs 25.05 lib API; the suffix marks that this is
  # not nixpkgs itself, so `versionAtLeast lib.version "23.11"` style checks
  # in third-party files behave as they would against nixpkgs 25.05.

  release = "25.05";
  codeName = "Warbler";
  versionSuffix = "-hostpkgs";
  version = release + versionSuffix;
  revisionWithDefault = default: default;
  oldestSupportedRelease = 2411;
  isInOldestRelease = release: release <= oldestSupportedRelease;
  oldestSupportedReleaseIsAtLeast = isInOldestRelease;

  ## Placeholder hashes -----------------------------------------------------

  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  fakeSha256 = "0000000000000000000000000000000000000000000000000000";
  fakeSha512 = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

  ## Numbers ----------------------------------------------------------------

  # Digits of a non-negative int in `base`, most significant first.
  toBaseDigits = base: i:
    assert builtins.isInt base && builtins.isInt i && base >= 2 && i >= 0;
    let go = n: if n < base then [ n ] else go (n / base) ++ [ (mod n base) ];
    in go i;

  toHexString = i:
    lib.strings.concatMapStrings (d: builtins.substring d 1 "0123456789ABCDEF") (toBaseDigits 16 i);
}
