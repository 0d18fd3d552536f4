# nixpkgs' trivial builders: runCommand and friends, writeText*, writeShellScript*, symlinkJoin.
{ lib, self }:

let
  runtimeShell = "/bin/bash";

  runCommandWith =
    {
      stdenv,
      name,
      derivationArgs ? { },
    }:
    buildCommand:
    stdenv.mkDerivation (
      {
        inherit name buildCommand;
        enableParallelBuilding = true;
        passAsFile = [ "buildCommand" ] ++ (derivationArgs.passAsFile or [ ]);
      }
      // builtins.removeAttrs derivationArgs [ "passAsFile" ]
    );

  runCommand =
    name: env:
    runCommandWith {
      stdenv = self.stdenvNoCC;
      inherit name;
      derivationArgs = env;
    };

  writeTextFile =
    {
      name,
      text,
      executable ? false,
      destination ? "",
      checkPhase ? "",
      meta ? { },
      passthru ? { },
      allowSubstitutes ? false,
      preferLocalBuild ? true,
      derivationArgs ? { },
    }:
    runCommand name
      (
        {
          inherit text executable checkPhase meta passthru allowSubstitutes preferLocalBuild;
          passAsFile = [ "text" ];
        }
        // derivationArgs
      )
      ''
        target="$out${destination}"
        mkdir -p "$(dirname "$target")"
        if [ -e "''${textPath:-}" ]; then mv "$textPath" "$target"; else echo -n "$text" > "$target"; fi
        if [ -n "$executable" ]; then chmod +x "$target"; fi
        eval "$checkPhase"
      '';
in
rec {
  inherit runtimeShell runCommandWith runCommand writeTextFile;
  runCommandLocal =
    name: env:
    runCommand name (
      {
        preferLocalBuild = true;
        allowSubstitutes = false;
      }
      // env
    );
  runCommandNoCC = runCommand;
  runCommandCC =
    name: env:
    runCommandWith {
      stdenv = self.stdenv;
      inherit name;
      derivationArgs = env;
    };

  writeText = name: text: writeTextFile { inherit name text; };
  writeTextDir =
    path: text:
    writeTextFile {
      inherit text;
      name = baseNameOf path;
      destination = "/${path}";
    };
  writeScript =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
    };
  writeScriptBin =
    name: text:
    writeTextFile {
      inherit name text;
      executable = true;
      destination = "/bin/${name}";
      meta.mainProgram = name;
    };
  writeShellScript =
    name: text:
    writeTextFile {
      inherit name;
      executable = true;
      text = ''
        #!${runtimeShell}
        ${text}
      '';
      checkPhase = ''
        ${runtimeShell} -n "$target"
      '';
    };
  writeShellScriptBin =
    name: text:
    writeTextFile {
      inherit name;
      executable = true;
      destination = "/bin/${name}";
      text = ''
        #!${runtimeShell}
        ${text}
      '';
      checkPhase = ''
        ${runtimeShell} -n "$target"
      '';
      meta.mainProgram = name;
    };
  writeShellApplication =
    {
      name,
      text,
      runtimeInputs ? [ ],
      meta ? { },
      ...
    }:
    writeTextFile {
      inherit name;
      executable = true;
      destination = "/bin/${name}";
      text = ''
        #!${runtimeShell}
        set -o errexit
        set -o nounset
        set -o pipefail
      ''
      + lib.optionalString (runtimeInputs != [ ]) ''
        export PATH="${lib.makeBinPath runtimeInputs}:$PATH"
      ''
      + text;
      checkPhase = ''
        ${runtimeShell} -n "$target"
      '';
      meta = {
        mainProgram = name;
      } // meta;
    };

  symlinkJoin =
    args@{
      name,
      paths,
      preferLocalBuild ? true,
      allowSubstitutes ? false,
      postBuild ? "",
      ...
    }:
    runCommand name
      (
        builtins.removeAttrs args [ "name" "postBuild" ]
        // {
          inherit preferLocalBuild allowSubstitutes;
          paths = map toString paths;
          passAsFile = [ "paths" ];
        }
      )
      ''
        mkdir -p "$out"
        for i in $(cat "$pathsPath"); do
          if [ -d "$i" ]; then
            (cd "$i" && find . -mindepth 1 \( -type f -o -type l \) -print) | while IFS= read -r f; do
              mkdir -p "$out/$(dirname "$f")"
              [ -e "$out/$f" ] || ln -s "$i/$f" "$out/$f"
            done
          fi
        done
        ${postBuild}
      '';

  linkFarm =
    name: entries:
    let
      list = if builtins.isList entries then entries else lib.mapAttrsToList (n: p: { name = n; path = p; }) entries;
    in
    runCommand name { preferLocalBuild = true; } (
      ''
        mkdir -p "$out"
      ''
      + lib.concatMapStrings (e: ''
        mkdir -p "$(dirname ${lib.escapeShellArg "${placeholder "out"}/${e.name}"})"
        ln -s ${lib.escapeShellArg "${e.path}"} ${lib.escapeShellArg "${placeholder "out"}/${e.name}"}
      '') list
    );

  # nixpkgs' makeSetupHook: a derivation whose nix-support/setup-hook is `script`, with
  # @name@ substitutions and propagated inputs.
  makeSetupHook =
    {
      name ? lib.warn "calling makeSetupHook without passing a name is deprecated." "hook",
      deps ? [ ],
      propagatedBuildInputs ? [ ],
      propagatedNativeBuildInputs ? [ ],
      substitutions ? { },
      passthru ? { },
      meta ? { },
    }:
    script:
    runCommand name
      {
        inherit passthru meta;
        propagatedBuildInputs = propagatedBuildInputs;
        propagatedNativeBuildInputs = lib.toList deps ++ propagatedNativeBuildInputs;
        strictDeps = true;
      }
      ''
        mkdir -p "$out/nix-support"
        cp ${script} "$out/nix-support/setup-hook"
        ${lib.concatStringsSep "\n" (
          lib.mapAttrsToList (
            k: v: ''substituteInPlace "$out/nix-support/setup-hook" --subst-var-by ${k} ${lib.escapeShellArg (toString v)}''
          ) substitutions
        )}
        if [ -n "$propagatedBuildInputs" ]; then echo "$propagatedBuildInputs" > "$out/nix-support/propagated-build-inputs"; fi
        if [ -n "$propagatedNativeBuildInputs" ]; then echo "$propagatedNativeBuildInputs" > "$out/nix-support/propagated-native-build-inputs"; fi
      '';
}
