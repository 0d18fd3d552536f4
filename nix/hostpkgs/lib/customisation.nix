# hostpkgs lib: overridable functions, callPackage and scopes
# (lib.customisation).
#
# Semantics follow nixpkgs' lib/customisation.nix, with one deliberate
# difference: a missing callPackage argument is reported with `throw`
# (catchable by builtins.tryEval) instead of `abort`, and the message names
# hostpkgs: "hostpkgs: <file> requires argument `foo`, which hostpkgs does
# not provide". No "did you mean" suggestions are computed.
{ lib }:
let
  inherit (builtins) attrNames filter isAttrs listToAttrs map;
  inherit (lib.trivial) functionArgs setFunctionArgs mirrorFunctionArgs isFunction;
  inherit (lib.attrsets) isDerivation;

  # Where a callPackage target comes from, for error messages.
  describe = fn: fargs: names:
    if !isFunction fn then toString fn
    else let pos = builtins.unsafeGetAttrPos (builtins.head names) fargs;
      in if pos == null then "<function>" else pos.file;

  # Resolve `fn` (path or function) against autoArgs and explicit args.
  # Returns { f; args; } or throws naming the first missing argument.
  resolve = autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      fargs = functionArgs f;
      allArgs = builtins.intersectAttrs fargs autoArgs // args;
      missing = filter (n: !fargs.${n} && !(allArgs ? ${n})) (attrNames fargs);
      more = builtins.tail missing;
    in
    if missing == [ ] then { inherit f; args = allArgs; }
    else throw ("hostpkgs: ${describe fn fargs missing} requires argument `${builtins.head missing}`, "
      + "which hostpkgs does not provide"
      + lib.strings.optionalString (more != [ ])
          " (also missing: ${lib.strings.concatMapStringsSep ", " (n: "`${n}`") more})");
in
rec {
  # Wrap `f` (a function of an attrset) so that its result carries
  # `override` (re-call with changed arguments: an attrset or a function of
  # the old arguments) and `overrideDerivation`. functionArgs are preserved
  # on the wrapper and on every `override`, so callPackage keeps working.
  makeOverridable = f:
    let mirror = mirrorFunctionArgs f; in
    mirror (origArgs:
      let
        result = f origArgs;
        withArgs = newArgs: origArgs // (if isFunction newArgs then newArgs origArgs else newArgs);
        override = mirror (newArgs: makeOverridable f (withArgs newArgs));
        overrideResult = g: makeOverridable (mirror (args: g (f args))) origArgs;
      in
      if isAttrs result then
        result // {
          inherit override;
          overrideDerivation = fdrv: overrideResult (x: overrideDerivation x fdrv);
          ${if result ? overrideAttrs then "overrideAttrs" else null} =
            fdrv: overrideResult (x: x.overrideAttrs fdrv);
        }
      else if isFunction result then
        setFunctionArgs result (functionArgs result) // { inherit override; }
      else result);

  # Re-instantiate a derivation with attributes changed by `f drv`.
  overrideDerivation = drv: f:
    let newDrv = derivation (drv.drvAttrs // f drv); in
    extendDerivation true
      ({ meta = drv.meta or { }; passthru = drv.passthru or { }; } // (drv.passthru or { }))
      newDrv;

  # Add `passthru` attributes to a derivation and to each of its outputs;
  # `condition` must hold before drvPath/outPath can be used.
  extendDerivation = condition: passthru: drv:
    let
      outputs = drv.outputs or [ "out" ];
      common = drv // listToAttrs outputList // { all = map (x: x.value) outputList; } // passthru;
      outputList = map (o: {
        name = o;
        value = common // {
          inherit (drv.${o}) type outputName;
          outputSpecified = true;
          drvPath = assert condition; drv.${o}.drvPath;
          outPath = assert condition; drv.${o}.outPath;
        };
      }) outputs;
    in common // {
      drvPath = assert condition; drv.drvPath;
      outPath = assert condition; drv.outPath;
    };

  # callPackageWith autoArgs fn overrides: call `fn` (a function or a path
  # to a file holding one) with the arguments it declares, taken from
  # autoArgs, updated with `overrides`; the result is overridable.
  callPackageWith = autoArgs: fn: args:
    let r = resolve autoArgs fn args; in makeOverridable r.f r.args;

  # Like callPackageWith for a function returning a set of packages; each
  # package is overridable separately.
  callPackagesWith = autoArgs: fn: args:
    let
      r = resolve autoArgs fn args;
      pkgs = r.f r.args;
      one = name: _: makeOverridable (mirrorFunctionArgs r.f (newArgs: (r.f newArgs).${name})) r.args;
    in
    if isDerivation pkgs
    then throw "callPackages was called on a single derivation; use callPackage instead"
    else builtins.mapAttrs one pkgs;

  # Build a mkDerivation-like helper on top of `constructDrv`: the new
  # helper accepts attrs or `finalAttrs: attrs`, drops excludeDrvArgNames
  # before calling constructDrv, and merges in `extendDrvArgs finalAttrs args`.
  extendMkDerivation =
    { constructDrv, extendDrvArgs, excludeDrvArgNames ? [ ], excludeFunctionArgNames ? [ ]
    , inheritFunctionArgs ? true, transformDrv ? lib.trivial.id }:
    setFunctionArgs
      (fpargs: transformDrv (constructDrv (final:
        let args = lib.trivial.toFunction fpargs final;
        in removeAttrs args excludeDrvArgNames // extendDrvArgs final args)))
      (removeAttrs
        (lib.attrsets.optionalAttrs inheritFunctionArgs (removeAttrs (functionArgs constructDrv) excludeDrvArgNames)
          // functionArgs (extendDrvArgs { }))
        excludeFunctionArgNames);

  # A package scope: `f self` gives the packages; `newScope extra` must return
  # a callPackage over (self // extra). Provides newScope, callPackage,
  # overrideScope and packages, like nixpkgs' makeScope.
  makeScope = newScope: f:
    let self = f self // {
      newScope = scope: newScope (self // scope);
      callPackage = self.newScope { };
      overrideScope = g: makeScope newScope (lib.trivial.extends g f);
      overrideScope' = self.overrideScope;
      packages = f;
    };
    in self;
}
