# hostpkgs lib: a nixpkgs-compatible `lib` for evaluating nixpkgs-style
# callPackage files without nixpkgs.  Use it as `import ./lib` (this file is
# an attribute set, not a function).
#
# Layout (each file is `{ lib }: ...`):
#   trivial.nix        combinators, function metadata, warn/throw/assert,
#                      fixed points, release info, fake hashes
#   lists.nix          lib.lists          strings.nix   lib.strings
#   versions.nix       lib.versions       attrsets.nix  lib.attrsets
#   customisation.nix  makeOverridable, callPackageWith, makeScope
#   meta.nix           lib.meta (priorities, availableOn, getExe, SPDX lookup)
#   licenses.nix       lib.licenses       platforms.nix lib.platforms, lib.systems
#   sources.nix        lib.sources, lib.filesystem
#   generators.nix     lib.generators, lib.cli, lib.fetchers
#
# As in nixpkgs, most functions are also available at the top level, and the
# set is extensible: `lib.extend (final: prev: { ... })`.
#
# Deliberately absent (not needed to evaluate callPackage files, or too big):
# the module system (lib.types, mkOption, mkIf, evalModules, ...),
# lib.fileset, lib.systems.elaborate/parse/inspect, lib.path, lib.gvariant,
# lib.network, toposort/listDfs, levenshtein suggestions in callPackage
# errors, and the nixpkgs maintainer and team lists: `maintainers` and
# `teams` are empty sets, so `with lib.maintainers; [ ]` works but naming a
# maintainer (`lib.maintainers.alice`) is an evaluation error. Keep meta
# maintainer lists empty in hostpkgs expressions.
let
  # Minimal fixed-point machinery (trivial.nix needs `lib` itself).
  fixExtensible = f:
    let self = f self // {
      __unfix__ = f;
      extend = g: fixExtensible (final: let prev = f final; in prev // g final prev);
    };
    in self;

  libFn = lib:
    let
      call = file: import file { inherit lib; };

      trivial = call ./trivial.nix;
      lists = call ./lists.nix;
      strings = call ./strings.nix;
      versions = call ./versions.nix;
      attrsets = call ./attrsets.nix;
      customisation = call ./customisation.nix;
      meta = call ./meta.nix;
      licenses = call ./licenses.nix;
      plat = call ./platforms.nix;
      src = call ./sources.nix;
      gen = call ./generators.nix;

      # nixpkgs groups part of trivial.nix under these names as well.
      fixedPoints = {
        inherit (trivial) fix fix' converge extends composeExtensions
          composeManyExtensions toExtension makeExtensible makeExtensibleWithCustomName;
      };
      asserts = { inherit (trivial) assertMsg assertOneOf assertEachOneOf; };
      debug = {
        inherit (trivial) traceIf traceVal traceValFn traceSeq traceValSeq traceValSeqFn;
        inherit (builtins) trace;
      };

      namespaces = {
        inherit trivial lists strings versions attrsets customisation meta
          licenses fixedPoints asserts debug;
        inherit (plat) platforms systems;
        inherit (src) sources filesystem;
        inherit (gen) generators cli fetchers;
        maintainers = { };
        teams = { };
      };

      # Builtins nixpkgs' lib re-exports at the top level.
      fromBuiltins = {
        inherit (builtins)
          add addErrorContext attrNames concatLists deepSeq elem elemAt filter
          genericClosure genList getAttr hasAttr head isAttrs isBool isFloat
          isInt isList isPath isString length lessThan listToAttrs match
          pathExists readFile replaceStrings seq split stringLength sub
          substring tail trace typeOf hashString;
      };
    in
    fromBuiltins
    // trivial
    // lists
    # strings wins over lists for hasPrefix/removePrefix (as in nixpkgs);
    # lib.replicate stays the list version.
    // removeAttrs strings [ "replicate" ]
    // attrsets
    // customisation
    // meta
    // removeAttrs src.sources [ "toSourceAttributes" ]
    // namespaces
    // {
      inherit (src.filesystem) listFilesRecursive;
      # Deprecated alias kept for old expressions.
      nixpkgsVersion = trivial.version;
    };
in
fixExtensible libFn
