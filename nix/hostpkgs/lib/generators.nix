# hostpkgs lib: text generators (lib.generators), command-line rendering
# (lib.cli) and fetcher helpers (lib.fetchers).
#
# A subset of nixpkgs' lib/generators.nix, lib/cli.nix and lib/fetchers.nix.
# toPretty renders strings on one line (with "\n" escapes) even when
# multiline = true; nixpkgs would switch to ''-strings there.
# Not provided: toGitINI, toDhall, toLua, toPlist, toINIWithGlobalSection's
# nested-section variants, withRecursion.
{ lib }:
let
  inherit (builtins)
    concatStringsSep isAttrs isBool isFloat isInt isList isPath isString
    length;
  inherit (lib.strings) escape escapeNixIdentifier concatMapStringsSep;
  inherit (lib.attrsets) mapAttrsToList isDerivation;
  inherit (lib.trivial) isFunction functionArgs;
in
rec {
  generators = rec {
    # Render a scalar the way most key=value formats expect.
    mkValueStringDefault = { }: v:
      let err = what: throw "generators.mkValueStringDefault: ${what} not supported: ${toPretty { } v}"; in
      if isInt v then toString v
      else if isDerivation v then toString v
      else if isString v then v
      else if v == true then "true"
      else if v == false then "false"
      else if v == null then "null"
      else if isFloat v then lib.strings.floatToString v
      else if isPath v then toString v
      else if isList v then err "lists"
      else if isFunction v then err "functions"
      else if isAttrs v then err "attrsets"
      else err "this value";

    mkKeyValueDefault = { mkValueString ? mkValueStringDefault { } }: sep: k: v:
      "${escape [ sep ] k}${sep}${mkValueString v}";

    toKeyValue = { mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false, indent ? "" }: attrs:
      let
        line = k: v: indent + mkKeyValue k v + "\n";
        lines = k: v: if listsAsDuplicateKeys && isList v then map (line k) v else [ (line k v) ];
      in lib.strings.concatStrings (builtins.concatLists (mapAttrsToList lines attrs));

    toINI = { mkSectionName ? escape [ "[" "]" ], mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }: sections:
      concatStringsSep "\n" (mapAttrsToList (name: values:
        "[${mkSectionName name}]\n" + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } values) sections);

    toINIWithGlobalSection = { mkSectionName ? escape [ "[" "]" ], mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }:
      { globalSection, sections ? { } }:
      (if globalSection == { } then ""
       else toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } globalSection + "\n")
      + toINI { inherit mkSectionName mkKeyValue listsAsDuplicateKeys; } sections;

    toJSON = { }: builtins.toJSON;
    # JSON is valid YAML 1.2, which is what nixpkgs emits as well.
    toYAML = { }: builtins.toJSON;

    # Nix-like rendering of a value, for messages.
    toPretty = { multiline ? true, indent ? "", allowPrettyValues ? false }:
      let
        go = ind: v:
          let into = if multiline then "\n${ind}  " else " ";
              outro = if multiline then "\n${ind}" else " ";
          in
          if allowPrettyValues && isAttrs v && v ? __pretty && v ? val then v.__pretty v.val
          else if isInt v then toString v
          else if isFloat v then lib.strings.floatToString v
          else if isString v then "\"" + builtins.replaceStrings [ "\n" ] [ "\\n" ] (escape [ "\\" "\"" "\${" ] v) + "\""
          else if v == true then "true"
          else if v == false then "false"
          else if v == null then "null"
          else if isPath v then toString v
          else if isList v then
            if v == [ ] then "[ ]" else "[" + into + concatMapStringsSep into (go (ind + "  ")) v + outro + "]"
          else if isFunction v then
            let args = functionArgs v; in
            if args == { } then "<function>"
            else "<function, args: {${concatStringsSep ", " (mapAttrsToList (n: d: if d then n + "?" else n) args)}}>"
          else if isDerivation v then "<derivation ${v.name or "<unknown>"}>"
          else if v == { } then "{ }"
          else "{" + into + concatStringsSep into (mapAttrsToList (n: x: "${escapeNixIdentifier n} = ${go (ind + "  ") x};") v) + outro + "}";
      in go indent;
  };

  cli = rec {
    # Attrset of options -> argv list: true -> "--flag", false/null -> nothing,
    # lists repeat the option, other values follow the option.
    toGNUCommandLine =
      { mkOptionName ? k: if builtins.stringLength k == 1 then "-${k}" else "--${k}"
      , mkBool ? k: v: lib.lists.optional v (mkOptionName k)
      , mkList ? k: v: builtins.concatMap (mkOption k) v
      , mkOption ? k: v:
          if v == null then [ ]
          else if optionValueSeparator == null then [ (mkOptionName k) (generators.mkValueStringDefault { } v) ]
          else [ "${mkOptionName k}${optionValueSeparator}${generators.mkValueStringDefault { } v}" ]
      , optionValueSeparator ? null
      }: options:
      builtins.concatLists (mapAttrsToList
        (k: v: if isBool v then mkBool k v else if isList v then mkList k v else mkOption k v) options);
    toGNUCommandLineShell = opts: options: lib.strings.escapeShellArgs (toGNUCommandLine opts options);
  };

  fetchers = rec {
    # Environment variables fixed-output fetchers pass through for proxies.
    proxyImpureEnvVars = [
      "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy"
      "HTTP_PROXY" "HTTPS_PROXY" "FTP_PROXY" "ALL_PROXY" "NO_PROXY"
      "NIX_SSL_CERT_FILE"
    ];

    # { hash | sha256 | sha512 = ...; ... } -> { outputHash; outputHashAlgo; ... };
    # "" becomes the matching fake hash. Sets with outputHash pass through.
    normalizeHash = { hashTypes ? [ "sha256" ], required ? true }: args:
      let
        names = [ "hash" ] ++ hashTypes;
        given = builtins.filter (n: args ? ${n}) names;
        fake = { hash = lib.trivial.fakeHash; sha256 = lib.trivial.fakeSha256; sha512 = lib.trivial.fakeSha512; };
        h = builtins.head given;
      in
      if args ? outputHash then args
      else if given == [ ] then
        (if required then throw "fetcher called without `hash`" else args)
      else if length given > 1 then
        throw "fetcher called with mutually-incompatible arguments: ${concatStringsSep ", " given}"
      else removeAttrs args names // {
        outputHashAlgo = if h == "hash" then null else h;
        outputHash = if args.${h} == "" then fake.${h} or (throw "no fake hash defined for ${h}") else args.${h};
      };

    # Let a fetcher taking outputHash{,Algo} accept hash / sha256 / ... instead.
    withNormalizedHash = { hashTypes ? [ "sha256" ] }: fetcher:
      let fargs = functionArgs fetcher;
          normalize = normalizeHash { inherit hashTypes; required = !fargs.outputHash; };
      in lib.trivial.setFunctionArgs (args: fetcher (normalize args))
        (removeAttrs fargs [ "outputHash" "outputHashAlgo" ] // { hash = fargs.outputHash; });
  };
}
