# ai-drv's Nix library: `mkAIDerivation "prompt"` turns a request in plain words into a package,
# using a derivation text that ai-drv has already built and checked. Four ways to get the text:
#
#   lock      the lock file (written by `ai-drv lock`) names the text's SRI hash; it is fetched from
#             the server's `/drv?hash=` as a fixed-output derivation, or read from the file
#             `ai-drv freeze` wrote. Pure: works in flakes and with `--option pure-eval true`.
#   impure    no lock entry and an impure evaluation: `builtins.fetchurl` of `/drv?req=`.
#   recursive a derivation that runs ai-drv's engine inside the build (recursive Nix) and outputs
#             the package it built.
#
# Usable with nixpkgs or with ai-drv's hostpkgs; everything comes from `pkgs`. See
# docs/nix-library.md for the modes, the lock format and the Nix settings each mode needs.
{
  pkgs,
  # Where `ai-drv serve` listens (the original ai-drv-server's address).
  server ? "http://127.0.0.1:5000",
  # The lock file: a path (or a path string) to the JSON `ai-drv lock` writes; null for none.
  lock ? null,
  # The ai-drv package, needed by recursive mode only.
  ai-drv ? null,
}:

let
  inherit (pkgs) lib;

  # `builtins.currentTime` is left out of pure evaluation; testing for it cannot fail.
  isPureEval = !(builtins ? currentTime);

  # The prompt key: like the server's `ai_drv_store::normalise` (Rust's `split_whitespace`),
  # surrounding whitespace removed and every run of Unicode whitespace made one space. POSIX
  # `[[:space:]]` covers only ASCII, so the other White_Space characters are spelled out (as
  # UTF-8 byte sequences, written with JSON escapes so that the file shows no invisible text).
  unicodeSpaces = builtins.fromJSON ''
    ["\u0085", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
     "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f",
     "\u3000"]'';
  whitespaceRun = "([[:space:]]|${builtins.concatStringsSep "|" unicodeSpaces})+";
  normalisePrompt =
    prompt:
    builtins.concatStringsSep " " (
      builtins.filter (s: builtins.isString s && s != "") (builtins.split whitespaceRun prompt)
    );

  # nixpkgs' `lib.escapeURL` is what the original client used (the server expects its output);
  # it only exists in nixpkgs since 22.11, so older package sets get the same mapping here:
  # every byte but A-Z a-z 0-9 - _ . ~ percent-encoded, except that, like nixpkgs, only ASCII
  # is escaped.
  escapeURL =
    lib.escapeURL or (
      let
        hex = i: lib.toUpper (lib.fixedWidthString 2 "0" (lib.toHexString i));
        ascii = builtins.genList (i: {
          code = i + 1;
          char = builtins.fromJSON ''"\u00${hex (i + 1)}"'';
        }) 127;
        escaped = builtins.filter (c: builtins.match "[A-Za-z0-9._~-]" c.char == null) ascii;
      in
      builtins.replaceStrings (map (c: c.char) escaped) (map (c: "%${hex c.code}") escaped)
    );

  # The parsed lock file and the directory its `file` entries are relative to. A lock file that
  # does not exist yet counts as empty: the first impure run comes before `ai-drv lock`.
  readLock =
    lockFile:
    if lockFile == null || !(builtins.pathExists lockFile) then
      {
        prompts = { };
        dir = null;
      }
    else
      let
        parsed = builtins.fromJSON (builtins.readFile lockFile);
        version = parsed.version or null;
      in
      if version != 1 then
        throw "mkAIDerivation: ${toString lockFile} has lock format version ${builtins.toJSON version}; this library reads version 1, update ai-drv or run `ai-drv lock` again"
      else
        {
          prompts = parsed.prompts or { };
          dir = dirOf lockFile;
        };

  # A path relative to the lock file's directory, as a path when the lock was given as one
  # (so flakes and pure evaluation may read it), else as a string.
  lockRelative =
    dir: file: if builtins.isPath dir then dir + "/${file}" else "${toString dir}/${file}";

  lockName = lockFile: if lockFile == null then "a lock file" else toString lockFile;

  # Where the derivation text comes from, for the non-recursive modes: { raw, hash }.
  obtain =
    {
      key,
      server,
      lockFile,
      locked,
      entry,
      mode,
    }:
    let
      fromLock =
        if entry ? file then
          {
            raw = lockRelative locked.dir entry.file;
            hash = entry.hash or null;
          }
        else if builtins.isString (entry.hash or null) && lib.hasPrefix "sha256-" entry.hash then
          {
            # The name is fixed: `ai-drv lock` pre-adds every text with
            # `nix-store --add-fixed sha256 …/ai-drv.nix`, which is this fixed-output path, so
            # a build works with the server stopped.
            raw = pkgs.fetchurl {
              name = "ai-drv.nix";
              url = "${server}/drv?hash=${escapeURL (lib.removePrefix "sha256-" entry.hash)}";
              inherit (entry) hash;
            };
            inherit (entry) hash;
          }
        else
          throw "mkAIDerivation: the entry for ${builtins.toJSON key} in ${lockName lockFile} has no `sha256-` hash and no `file`; run `ai-drv lock` again";
      fromServer =
        if isPureEval then
          throw "mkAIDerivation: no entry for the prompt ${builtins.toJSON key} in ${lockName lockFile} and evaluation is pure; run `ai-drv lock` to add it (or evaluate with --impure)"
        else
          {
            # Without a hash, so only in impure evaluation. Nix caches the answer for
            # `tarball-ttl` seconds (an hour by default).
            raw = builtins.fetchurl {
              name = "ai-drv.nix";
              url = "${server}/drv?req=${escapeURL key}";
            };
            hash = null;
          };
    in
    if mode == "lock" then
      (
        if entry == null then
          throw "mkAIDerivation: mode = \"lock\" but there is no entry for the prompt ${builtins.toJSON key} in ${lockName lockFile}; run `ai-drv lock` to add it"
        else
          fromLock
      )
    else if mode == "impure" then
      fromServer
    else if entry != null then
      fromLock
    else
      fromServer;

  # Recursive mode: ai-drv runs inside the build and talks to the outer Nix through the
  # recursive-nix socket. The build needs the network (registries, sources) and the host's Nix
  # client, hence `__noChroot` (honoured with `sandbox = relaxed`); the builds ai-drv starts are
  # still sandboxed by the outer Nix. docs/nix-library.md lists the settings.
  recursiveDrv =
    {
      prompt,
      name,
      engineArgs,
      engineEnv,
      nix,
    }:
    if ai-drv == null then
      throw "mkAIDerivation: mode = \"recursive\" needs the ai-drv package; pass `ai-drv` to nix/lib (the flake's overlay and the root default.nix do)"
    else
      pkgs.runCommand name (
        engineEnv
        // {
          nativeBuildInputs = [ ai-drv ] ++ lib.optional (nix != null) nix;
          requiredSystemFeatures = [ "recursive-nix" ];
          __noChroot = true;
          aiDrvPrompt = prompt;
        }
      ) ''
        ${lib.optionalString (nix == null) ''
          # No Nix package in this package set (hostpkgs has none): the host's client, which
          # this unsandboxed build can see, talks to the outer Nix as well.
          export PATH="$PATH:/nix/var/nix/profiles/default/bin:/run/current-system/sw/bin:/usr/local/bin:/usr/bin"
        ''}
        export HOME="$TMPDIR/home"
        export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
        mkdir -p "$HOME" "$TMPDIR/work"
        cd "$TMPDIR/work"
        ai-drv new "$aiDrvPrompt" -o "$TMPDIR/work/pkg/package.nix" --json ${lib.escapeShellArgs engineArgs} > report.json
        built=$(readlink -f pkg/result)
        if [ ! -e "$built" ]; then
          echo "mkAIDerivation: ai-drv new did not leave a built result" >&2
          exit 1
        fi
        # A tree of symlinks into the package ai-drv built (like symlinkJoin), plus the
        # derivation text and the engine's report.
        mkdir -p "$out"
        cp -rs "$built/." "$out/"
        chmod -R u+w "$out"
        mkdir -p "$out/share/ai-drv"
        cp pkg/package.nix report.json "$out/share/ai-drv/"
      '';

  knownArgs = [
    "prompt"
    "server"
    "lock"
    "pname"
    "version"
    "meta"
    "mode"
    "outputs"
    "engineArgs"
    "engineEnv"
    "nix"
  ];

  mkAIDerivation =
    args:
    let
      a0 = if builtins.isString args then { prompt = args; } else args;
      unknown = builtins.filter (n: !(builtins.elem n knownArgs)) (builtins.attrNames a0);
      a =
        if unknown != [ ] then
          throw "mkAIDerivation: unknown argument `${builtins.head unknown}`; the arguments are ${builtins.concatStringsSep ", " knownArgs}"
        else
          a0;
      prompt =
        a.prompt
          or (throw "mkAIDerivation: give a prompt: mkAIDerivation \"…\" or mkAIDerivation { prompt = \"…\"; }");
      key = normalisePrompt prompt;
      mode = a.mode or "auto";
      server' = a.server or server;
      lockFile = a.lock or lock;
      locked = readLock lockFile;
      entry = locked.prompts.${key} or null;
      # The lock's pname/version (written by `ai-drv lock`) name the package without the text,
      # unless the caller names it.
      fromEntry = n: if mode == "auto" || mode == "lock" then entry.${n} or null else null;
      pname = a.pname or (fromEntry "pname");
      version = a.version or (fromEntry "version");
      known = pname != null || version != null || a ? meta;

      got =
        if key == "" then
          throw "mkAIDerivation: the prompt is empty; say what to package, e.g. mkAIDerivation \"Generate a derivation for building `sl`\""
        else if builtins.elem mode [
          "auto"
          "lock"
          "impure"
        ] then
          obtain {
            inherit
              key
              mode
              lockFile
              locked
              entry
              ;
            server = server';
          }
        else if mode == "recursive" then
          {
            raw = null;
            hash = null;
          }
        else
          throw "mkAIDerivation: unknown mode ${builtins.toJSON mode}; use \"auto\", \"lock\", \"impure\" or \"recursive\"";

      info = {
        inherit prompt;
        inherit (got) raw hash;
      };

      drv =
        if mode == "recursive" then
          recursiveDrv {
            prompt = key;
            name =
              if pname != null then
                (if version != null then "${pname}-${version}" else pname)
              else
                "ai-drv-${builtins.substring 0 8 (builtins.hashString "sha256" key)}";
            engineArgs = a.engineArgs or [ ];
            engineEnv = a.engineEnv or { };
            nix = a.nix or pkgs.nix or null;
          }
        else
          pkgs.callPackage got.raw { };

      # Everything about the result that needs the text goes through `drv`; the attribute names
      # of this set and the values below do not, so `name`, `meta` and nix-env queries work with
      # allow-import-from-derivation = false when the caller named the package.
      withoutText = {
        type = "derivation";
        name =
          if pname != null then
            (if version != null then "${pname}-${version}" else pname)
          else
            drv.name;
        meta = if a ? meta then a.meta else drv.meta or { };
        drvPath = drv.drvPath;
        outPath = drv.outPath;
        # The first output, which callPackage'd derivations name "out"; static because nix-env
        # queries read it.
        outputName = "out";
        # Static too (`nix-env -qa --json --meta` reads it): the text's other outputs are in
        # `package`; name them with `outputs = [ … ]` to have them listed here.
        outputs = a.outputs or [ "out" ];
        drvAttrs = drv.drvAttrs or { };
        # From the package set, not the text: nix-env queries read it.
        system = pkgs.stdenv.hostPlatform.system or pkgs.system;
        overrideAttrs = f: drv.overrideAttrs f;
        override = f: drv.override f;
        # The whole derivation of the text, for attributes this set does not forward.
        package = drv;
        mkAIDerivation = info;
        passthru = {
          mkAIDerivation = info;
        };
      }
      // lib.genAttrs (a.outputs or [ "out" ]) (o: if o == "out" then drv.out or drv else drv.${o})
      // lib.optionalAttrs (pname != null) { inherit pname; }
      // lib.optionalAttrs (version != null) { inherit version; };
    in
    if known then
      withoutText
    else
      drv
      // {
        mkAIDerivation = info;
        passthru = (drv.passthru or { }) // {
          mkAIDerivation = info;
        };
      };
in
{
  inherit
    mkAIDerivation
    normalisePrompt
    escapeURL
    isPureEval
    readLock
    ;
}
