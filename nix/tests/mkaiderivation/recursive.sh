# The recursive-mode case of run.sh (sourced by it; uses its helpers and variables): a source
# archive served on loopback, packaged by ai-drv's engine inside a recursive-nix build.
#
# The ai-drv package here wraps the cargo-built binary ($ai_drv); nix/ goes into the store as its
# own path (AI_DRV_NIX_DIR) because hostpkgs reads pins.json with readFile, whose string would
# carry the references of a store path that has any.

build_root=${sandbox_paths%% *}
build_root=${build_root#/bin=}
build_root=${build_root%/bin}

mkdir -p "$work/src/rhello-1.0"
cat >"$work/src/rhello-1.0/rhello.c" <<C
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) { puts("rhello 1.0"); return 0; }
  puts("recursive $nonce");
  return 0;
}
C
printf 'PREFIX ?= /usr/local\nall: rhello\nrhello: rhello.c\n\t$(CC) -o rhello rhello.c\ninstall: rhello\n\tinstall -Dm755 rhello $(DESTDIR)$(PREFIX)/bin/rhello\n' \
  >"$work/src/rhello-1.0/Makefile"
start_server
tar -C "$work/src" -czf "$work/files/rhello-1.0.tar.gz" rhello-1.0

cat >"$work/recursive.nix" <<EOF
let
  pkgs = import $repo/nix/hostpkgs { };
  ai-drv = pkgs.runCommand "ai-drv-under-test" {
    bin = builtins.path { path = $ai_drv; name = "ai-drv-bin"; };
    nixdir = builtins.path { path = $repo/nix; name = "ai-drv-nix"; };
  } ''
    mkdir -p \$out/bin
    printf '#!/bin/sh\\nexport AI_DRV_NIX_DIR=%s\\nexec %s "\$@"\\n' "\$nixdir" "\$bin" > \$out/bin/ai-drv
    chmod +x \$out/bin/ai-drv
  '';
  ai = import $repo/nix/lib { inherit pkgs ai-drv; };
in
{
  rhello = ai.mkAIDerivation {
    prompt = "http://127.0.0.1:$port/files/rhello-1.0.tar.gz";
    mode = "recursive";
    engineArgs = [ "--engine" "builtin" ];
    engineEnv.AI_DRV_BUILD_ROOT = "$build_root";
  };
  # the same, without the package: says what to pass
  noPackage = (import $repo/nix/lib { inherit pkgs; }).mkAIDerivation {
    prompt = "anything";
    mode = "recursive";
  };
}
EOF
recursiveopts=(--option sandbox relaxed --option sandbox-paths "$sandbox_paths" --option substituters ''
  --option extra-experimental-features recursive-nix --option build-users-group '')
if nix-build "$work/recursive.nix" -A rhello -o "$work/result-recursive" "${recursiveopts[@]}" \
  >"$work/recursive.log" 2>&1; then
  expect_eq "recursive mode: the engine builds the package inside the build" "recursive $nonce" \
    "$("$work/result-recursive/bin/rhello" 2>&1)"
  expect_eq "recursive mode: the output holds the engine's text and report" "rhello|success" \
    "$(grep -o 'pname = "[a-z]*"' "$work/result-recursive/share/ai-drv/package.nix" | cut -d'"' -f2)|$(jq -r .status "$work/result-recursive/share/ai-drv/report.json" 2>&1)"
  inner=$(jq -r '.out_paths[0]' "$work/result-recursive/share/ai-drv/report.json")
  nix-store -q --references "$work/result-recursive" >"$work/references.txt" 2>&1
  expect_contains "recursive mode: the output refers to the package built inside" "$inner" "$work/references.txt"
else
  fail "recursive mode: the engine builds the package inside the build" "a build" "nix-build failed" "$work/recursive.log"
fi
if nix-instantiate "$work/recursive.nix" -A noPackage >"$work/nopackage.log" 2>&1; then
  fail "recursive mode without the ai-drv package: says what to pass" "an error" "$(cat "$work/nopackage.log")"
else
  expect_contains "recursive mode without the ai-drv package: says what to pass" \
    "mode = \"recursive\" needs the ai-drv package; pass \`ai-drv\` to nix/lib" "$work/nopackage.log"
fi
stop_server
