# hostpkgs lib: string functions (lib.strings).
#
# Semantics follow nixpkgs' lib/strings.nix; written for Nix 2.8 builtins.
# Strings are byte strings: escapeURL, like nixpkgs, escapes ASCII only and
# passes non-ASCII (UTF-8) bytes through unchanged.
{ lib }:
let
  inherit (builtins)
    concatStringsSep elem filter fromJSON genList head isAttrs isInt isList
    isPath isString length match replaceStrings split stringLength substring
    toJSON typeOf unsafeDiscardStringContext;
  inherit (lib.trivial) warnIf throwIfNot assertMsg;

  # ASCII 1..127 as { "<char>" = code; } (NUL cannot occur in Nix strings).
  asciiTable = builtins.listToAttrs (genList
    (i: let c = i + 1; in {
      name = fromJSON ''"\u00${hex2 c}"'';
      value = c;
    }) 127);
  unreservedURL = lib.strings.stringToCharacters
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
  urlEscapes = removeAttrs asciiTable unreservedURL;
  hex2 = n: lib.strings.fixedWidthString 2 "0" (lib.trivial.toHexString n);
in
rec {
  inherit (builtins)
    compareVersions elem elemAt filter fromJSON head isInt isList isAttrs
    isPath isString match parseDrvName readFile replaceStrings split storeDir
    stringLength substring tail toJSON typeOf unsafeDiscardStringContext
    hashString concatStringsSep;

  ## Concatenation ----------------------------------------------------------

  join = concatStringsSep;
  concatStrings = concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatImapStrings = f: list: concatStrings (lib.lists.imap1 f list);
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  concatImapStringsSep = sep: f: list: concatStringsSep sep (lib.lists.imap1 f list);
  concatLines = concatMapStrings (s: s + "\n");
  intersperse = sep: list:
    if length list < 2 then list else builtins.tail (builtins.concatMap (x: [ sep x ]) list);
  replicate = n: s: concatStrings (lib.lists.replicate n s);
  optionalString = cond: s: if cond then s else "";

  ## Search paths -----------------------------------------------------------

  makeSearchPath = subDir: paths:
    concatStringsSep ":" (map (p: p + "/" + subDir) (filter (x: x != null) paths));
  makeSearchPathOutput = output: subDir: pkgs:
    makeSearchPath subDir (map (lib.attrsets.getOutput output) pkgs);
  makeLibraryPath = makeSearchPathOutput "lib" "lib";
  makeIncludePath = makeSearchPathOutput "dev" "include";
  makeBinPath = makeSearchPathOutput "bin" "bin";
  normalizePath = s:
    builtins.foldl' (x: y: if y == "/" && hasSuffix "/" x then x else x + y) "" (stringToCharacters s);

  ## Prefixes, suffixes, infixes --------------------------------------------

  hasPrefix = pre: s: substring 0 (stringLength pre) s == pre;
  hasSuffix = suf: s:
    let ls = stringLength s; lf = stringLength suf;
    in ls >= lf && substring (ls - lf) lf s == suf;
  hasInfix = infix: s: match ".*${escapeRegex infix}.*" "${s}" != null;
  removePrefix = pre: s:
    let n = stringLength pre; in if substring 0 n s == pre then substring n (-1) s else s;
  removeSuffix = suf: s:
    let ls = stringLength s; lf = stringLength suf;
    in if lf <= ls && substring (ls - lf) lf s == suf then substring 0 (ls - lf) s else s;
  commonPrefixLength = a: b:
    let m = lib.trivial.min (stringLength a) (stringLength b);
        go = i: if i >= m || substring i 1 a != substring i 1 b then i else go (i + 1);
    in go 0;
  commonSuffixLength = a: b:
    let la = stringLength a; lb = stringLength b; m = lib.trivial.min la lb;
        go = i: if i >= m || substring (la - i - 1) 1 a != substring (lb - i - 1) 1 b then i else go (i + 1);
    in go 0;

  ## Characters -------------------------------------------------------------

  stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);
  stringAsChars = f: s: concatStrings (map f (stringToCharacters s));
  charToInt = c: asciiTable.${c};
  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  toLower = replaceStrings upperChars lowerChars;
  toUpper = replaceStrings lowerChars upperChars;
  toSentenceCase = s: toUpper (substring 0 1 s) + toLower (substring 1 (-1) s);
  replaceChars = replaceStrings;
  replaceString = from: to: replaceStrings [ from ] [ to ];
  addContextFrom = src: target: substring 0 0 src + target;

  # Whitespace is space, tab, CR and LF.
  trimWith = { start ? false, end ? false }:
    let ws = " \t\r\n";
        re = if start && end then "[${ws}]*(.*[^${ws}])[${ws}]*"
          else if start then "[${ws}]*(.*)"
          else if end then "(.*[^${ws}])[${ws}]*"
          else "(.*)";
    in s: let r = match re s; in if r == null then "" else head r;
  trim = trimWith { start = true; end = true; };

  # Splits on a literal separator; empty fields are kept ("/a" -> [ "" "a" ]).
  splitString = sep: s:
    map (addContextFrom s) (filter isString (split (escapeRegex (toString sep)) (toString s)));

  ## Escaping ---------------------------------------------------------------

  escape = list: replaceStrings list (map (c: "\\${c}") list);
  escapeC = list: replaceStrings list (map (c: "\\x${toLower (hex2 (charToInt c))}") list);
  escapeURL = replaceStrings (builtins.attrNames urlEscapes)
    (map (c: "%${hex2 urlEscapes.${c}}") (builtins.attrNames urlEscapes));
  # Safe words stay bare; anything else is single-quoted.
  escapeShellArg = arg:
    let s = toString arg; in
    if match "[[:alnum:],._+:@%/-]+" s == null then "'${replaceStrings [ "'" ] [ "'\\''" ] s}'" else s;
  escapeShellArgs = concatMapStringsSep " " escapeShellArg;
  escapeNixString = s: escape [ "$" ] (toJSON s);
  escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");
  escapeNixIdentifier = s:
    if match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null
      && !elem s [ "assert" "else" "if" "in" "inherit" "let" "or" "rec" "then" "with" ]
    then s else escapeNixString s;
  escapeXML = replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];

  isValidPosixName = name: match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;
  toShellVar = name: value:
    throwIfNot (isValidPosixName name) "toShellVar: ${name} is not a valid shell variable name" (
      if isAttrs value && !isStringLike value then
        "declare -A ${name}=(${concatStringsSep " " (lib.attrsets.mapAttrsToList
          (n: v: "[${escapeShellArg n}]=${escapeShellArg v}") value)})"
      else if isList value then "declare -a ${name}=(${escapeShellArgs value})"
      else "${name}=${escapeShellArg value}");
  toShellVars = vars: concatStringsSep "\n" (lib.attrsets.mapAttrsToList toShellVar vars);

  ## Versions and names -----------------------------------------------------

  versionOlder = v1: v2: builtins.compareVersions v2 v1 == 1;
  versionAtLeast = v1: v2: !versionOlder v1 v2;
  getName = x: if isString x then (builtins.parseDrvName x).name
    else x.pname or (builtins.parseDrvName x.name).name;
  getVersion = x: if isString x then (builtins.parseDrvName x).version
    else x.version or (builtins.parseDrvName x.name).version;
  nameFromURL = url: sep:
    let file = lib.lists.last (splitString "/" url); name = head (splitString sep file);
    in assert name != file; name;

  ## Build-system flags -----------------------------------------------------

  enableFeature = flag: feature:
    assert builtins.isBool flag; assert isString feature;
    "--${if flag then "enable" else "disable"}-${feature}";
  enableFeatureAs = flag: feature: value: enableFeature flag feature + optionalString flag "=${value}";
  withFeature = flag: feature:
    assert isString feature; "--${if flag then "with" else "without"}-${feature}";
  withFeatureAs = flag: feature: value: withFeature flag feature + optionalString flag "=${value}";

  mesonOption = feature: value: assert isString feature && isString value; "-D${feature}=${value}";
  mesonBool = cond: flag: assert builtins.isBool flag; mesonOption cond (lib.trivial.boolToString flag);
  mesonEnable = feature: flag:
    assert builtins.isBool flag; mesonOption feature (if flag then "enabled" else "disabled");

  cmakeOptionType = type: feature: value:
    assert elem (toUpper type) [ "BOOL" "FILEPATH" "PATH" "STRING" "INTERNAL" "LIST" ];
    assert isString feature && isString value;
    "-D${feature}:${toUpper type}=${value}";
  cmakeBool = cond: flag:
    assert builtins.isBool flag; cmakeOptionType "bool" cond (toUpper (lib.trivial.boolToString flag));
  cmakeFeature = feature: value: cmakeOptionType "string" feature value;

  ## Padding and numbers ----------------------------------------------------

  fixedWidthString = width: filler: s:
    let w = stringLength s; in
    assert assertMsg (w <= width)
      "fixedWidthString: requested string length (${toString width}) must not be shorter than actual length (${toString w})";
    if w == width then s else filler + fixedWidthString (width - stringLength filler) filler s;
  fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);
  floatToString = f:
    let r = toString f; in warnIf (f != fromJSON r) "Imprecise conversion from float to string ${r}" r;

  # Decimal integer with optional surrounding whitespace; rejects leading
  # zeros (octal ambiguity) like nixpkgs. toIntBase10 accepts zero padding.
  toInt = s:
    let m = match "[[:space:]]*(-?[[:digit:]]+)[[:space:]]*" s;
        n = fromJSON (head m);
    in if m == null then throw "toInt: Could not convert ${escapeNixString s} to int."
      else if match "-?0[[:digit:]]+" (head m) != null
      then throw "toInt: Ambiguity in interpretation of ${escapeNixString s} between octal and zero padded integer."
      else if !isInt n then throw "toInt: Could not convert ${escapeNixString s} to int."
      else n;
  toIntBase10 = s:
    let m = match "[[:space:]]*0*(-?[[:digit:]]+)[[:space:]]*" s;
        n = fromJSON (head m);
    in if m == null then throw "toIntBase10: Could not convert ${escapeNixString s} to int."
      else if !isInt n then throw "toIntBase10: Could not convert ${escapeNixString s} to int."
      else n;

  ## Predicates -------------------------------------------------------------

  isStringLike = x: isString x || isPath x || x ? outPath || x ? __toString;
  isCoercibleToString = isConvertibleWithToString;
  isConvertibleWithToString = x:
    isStringLike x || elem (typeOf x) [ "null" "int" "float" "bool" ]
    || (isList x && lib.lists.all isConvertibleWithToString x);
  isStorePath = x:
    if isStringLike x then
      let s = toString x; in
      substring 0 1 s == "/" && (dirOf s == builtins.storeDir || match "/[0-9a-z]{52}" s != null)
    else false;

  ## Files and names --------------------------------------------------------

  fileContents = file: removeSuffix "\n" (builtins.readFile file);

  # Make a valid store name: drop leading dots, turn runs of invalid
  # characters into "-", keep the last 207 characters, never empty.
  sanitizeDerivationName = s:
    let
      plain = unsafeDiscardStringContext s;
      noDots = head (match "\\.*(.*)" plain);
      cleaned = concatStrings (map (p: if isList p then "-" else p) (split "[^[:alnum:]+._?=-]+" noDots));
      n = stringLength cleaned;
      short = substring (lib.trivial.max (n - 207) 0) (-1) cleaned;
    in if stringLength plain <= 207 && match "[[:alnum:]+_?=-][[:alnum:]+._?=-]*" plain != null
      then plain
      else if short == "" then "unknown" else short;
}
