#!/usr/bin/env bash
# Tests of the Nix library (nix/lib: mkAIDerivation), the root default.nix and flake.nix, with
# real Nix and a loopback stand-in for `ai-drv serve` (server.py, serving fixtures/). Prints each
# failure with what was expected and what came, then "mkaiderivation: N passed"; exits non-zero
# when a case fails.
#
# Needs nix (2.8+), python3, jq, curl, git, and the hostpkgs build root: the sandbox options come
# from `ai-drv doctor` ($AI_DRV_BIN, else target/debug or target/release). Fixture texts carry a
# per-run nonce, so every run fetches and builds things that are not in the store yet.
# The recursive-mode case (recursive.sh) runs the ai-drv binary's engine inside a build, with the
# settings docs/nix-library.md lists passed as --option; RECURSIVE=0 skips it.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
fixtures=$here/fixtures
system=x86_64-linux
export NIX_PATH=

ai_drv=${AI_DRV_BIN:-}
if [ -z "$ai_drv" ]; then
  for candidate in "$repo/target/debug/ai-drv" "$repo/target/release/ai-drv"; do
    if [ -x "$candidate" ]; then
      ai_drv=$candidate
      break
    fi
  done
fi
if [ -z "$ai_drv" ]; then
  echo "mkaiderivation: no ai-drv binary; run \`cargo build -p ai-drv\` or set AI_DRV_BIN" >&2
  exit 2
fi
for tool in nix nix-build nix-instantiate nix-env nix-store python3 jq curl git; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "mkaiderivation: $tool is not on PATH" >&2
    exit 2
  fi
done

# The sandbox options hostpkgs builds need, as `ai-drv doctor` prints them (the build root's
# location comes from ai-drv's configuration, so it is not guessed here).
sandbox_paths=$("$ai_drv" doctor --json 2>/dev/null |
  jq -r '.checks[] | select(.name == "sandbox") | .detail' |
  sed -n "s/.*--option sandbox-paths '\([^']*\)'.*/\1/p")
if [ -z "$sandbox_paths" ]; then
  echo "mkaiderivation: \`ai-drv doctor\` names no build root; run scripts/setup" >&2
  exit 2
fi
nixopts=(--option sandbox true --option sandbox-paths "$sandbox_paths" --option substituters '')
flakeopts=(--extra-experimental-features 'nix-command flakes')

work=$(mktemp -d "${TMPDIR:-/tmp}/mkaiderivation.XXXXXX")
nonce="$(date +%s%N)-$$"
server_pid=
port=

start_server() {
  rm -f "$work/port"
  mkdir -p "$work/files"
  python3 "$here/server.py" "$fixtures" "$fixtures/prompts.json" "$nonce" "$work/port" "$work/requests.log" "$work/files" &
  server_pid=$!
  for _ in $(seq 200); do
    [ -s "$work/port" ] && break
    sleep 0.05
  done
  if [ ! -s "$work/port" ]; then
    echo "mkaiderivation: the fixture server did not start" >&2
    exit 2
  fi
  port=$(cat "$work/port")
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=
  fi
}

cleanup() {
  stop_server
  # Out-links are GC roots; the store paths stay until the next garbage collection.
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
# fail NAME EXPECTED ACTUAL [LOG]: report a failed case.
fail() {
  failed=$((failed + 1))
  printf 'FAIL %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3"
  if [ -n "${4:-}" ] && [ -f "$4" ]; then
    tail -n 15 "$4" | sed 's/^/    | /'
  fi
}
# expect_eq NAME EXPECTED ACTUAL [LOG]
expect_eq() {
  if [ "$2" == "$3" ]; then
    passed=$((passed + 1))
  else
    fail "$@"
  fi
}
# expect_contains NAME NEEDLE HAYSTACK_FILE
expect_contains() {
  if grep -qF -- "$2" "$3"; then
    passed=$((passed + 1))
  else
    fail "$1" "output containing: $2" "$(tail -n 3 "$3" | tr '\n' ' ')" "$3"
  fi
}

start_server
server="http://127.0.0.1:$port"
text_of() { sed "s/@NONCE@/$nonce/g" "$fixtures/$1"; }
escape() { jq -rn --arg s "$1" '$s | @uri'; }

# --- the prompt key and URL escaping ---------------------------------------------------------
libexpr="import $repo/nix/lib { pkgs = import $repo/nix/hostpkgs { }; server = \"$server\"; }"
got=$(nix-instantiate --eval --strict --json -E "let ai = $libexpr; in ai.normalisePrompt \"  Generate a \\t fixture\\n\\n sl\${builtins.fromJSON ''\"\\u00a0\\u3000\"''}now  \"" 2>&1)
expect_eq "prompt key: whitespace runs (ASCII and Unicode) become one space, ends trimmed" '"Generate a fixture sl now"' "$got"
got=$(nix-instantiate --eval --strict --json -E "let ai = $libexpr; in ai.escapeURL \"a b+c/d=e~f\"" 2>&1)
expect_eq "escapeURL: as nixpkgs' lib.escapeURL" '"a%20b%2Bc%2Fd%3De~f"' "$got"

# --- impure mode -------------------------------------------------------------------------------
cat >"$work/impure.nix" <<EOF
let ai = $libexpr; in
{
  hello = ai.mkAIDerivation "  Generate a   fixture\thello\n";
  viaAttrs = ai.mkAIDerivation { prompt = "Generate a fixture hello"; mode = "impure"; };
}
EOF
if nix-build "$work/impure.nix" -A hello -o "$work/result-impure" "${nixopts[@]}" \
  --option tarball-ttl 0 >"$work/impure.log" 2>&1; then
  got=$("$work/result-impure/bin/hello" 2>&1)
  expect_eq "impure mode: builds the served text" "hello from the fixture $nonce" "$got"
else
  fail "impure mode: builds the served text" "a build" "nix-build failed" "$work/impure.log"
fi
expect_contains "impure mode: fetches /drv?req= with the normalised, escaped prompt" \
  "/drv?req=Generate%20a%20fixture%20hello" "$work/requests.log"
raw=$(nix-instantiate --read-write-mode --eval -E "(import $work/impure.nix).hello.passthru.mkAIDerivation.raw" 2>&1 | tr -d '"')
expect_eq "impure mode: the fetched text is named ai-drv.nix and starts with the keep-alive lines" \
  "ai-drv.nix|# ai-drv: working on it" "${raw#*-}|$(head -n 1 "$raw" 2>&1)"
got=$(nix-instantiate --read-write-mode --eval --strict --json -E \
  "let x = (import $work/impure.nix).hello; i = x.passthru.mkAIDerivation; in { inherit (i) prompt hash raw; same = x.mkAIDerivation == i; description = x.meta.description; }" 2>&1)
expect_eq "impure mode: passthru.mkAIDerivation (no hash) and the text's own meta" \
  "{\"description\":\"The text's own description\",\"hash\":null,\"prompt\":\"  Generate a   fixture\\thello\\n\",\"raw\":\"$raw\",\"same\":true}" \
  "$got"

# --- the root default.nix ----------------------------------------------------------------------
if nix-build "$repo/default.nix" --argstr msg "Generate a fixture hello" --argstr server "$server" \
  -o "$work/result-msg" "${nixopts[@]}" --option tarball-ttl 0 >"$work/msg.log" 2>&1; then
  got=$("$work/result-msg/bin/hello" 2>&1)
  expect_eq "default.nix --argstr msg: builds mkAIDerivation msg" "hello from the fixture $nonce" "$got"
else
  fail "default.nix --argstr msg: builds mkAIDerivation msg" "a build" "nix-build failed" "$work/msg.log"
fi
got=$(nix-instantiate --eval --strict --json -E \
  "let r = import $repo/default.nix { }; in { fn = builtins.isFunction r.mkAIDerivation; lib = builtins.isFunction r.lib.normalisePrompt; }" 2>&1)
expect_eq "default.nix without msg: the library" '{"fn":true,"lib":true}' "$got"

# --- a lock file, as `ai-drv lock` and `ai-drv freeze` write it --------------------------------
flake=$work/flake
mkdir -p "$flake/ai-drv" "$work/fixed"
hash_of() { curl -fsS "$server/hash?req=$(escape "$1")"; }
greet=$(hash_of "Generate a fixture greeting")
offline=$(hash_of "Generate an offline fixture")
named=$(hash_of "Generate a named fixture")
# `ai-drv lock` adds each text to the store under the name the library fetches it as.
curl -fsS -o "$work/fixed/ai-drv.nix" "$server/drv?hash=$(escape "$offline")"
fixed_path=$(nix-store --add-fixed sha256 "$work/fixed/ai-drv.nix" 2>&1)
text_of frozen.nix >"$flake/ai-drv/frozen-0a1b2c3d.nix"
frozen_sri=$(python3 -c 'import base64, hashlib, sys
print("sha256-" + base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())' \
  "$flake/ai-drv/frozen-0a1b2c3d.nix")
jq -n --arg greet "sha256-$greet" --arg offline "sha256-$offline" --arg named "sha256-$named" \
  --arg frozen "$frozen_sri" '{
    version: 1,
    prompts: {
      "Generate a fixture greeting": { hash: $greet },
      "Generate an offline fixture": { hash: $offline, pname: "offline", version: "2.0" },
      "Generate a named fixture": { hash: $named },
      "Generate a frozen fixture": { hash: $frozen, file: "ai-drv/frozen-0a1b2c3d.nix" }
    }
  }' >"$flake/ai-drv.lock"

cat >"$flake/flake.nix" <<EOF
{
  inputs.ai-drv.url = "git+file://$repo";
  outputs = { self, ai-drv }:
    let
      pkgs = ai-drv.hostpkgs.$system;
      server = "$server";
      lock = ./ai-drv.lock;
    in
    {
      packages.$system = {
        # through the overlay (the flake's hostpkgs output has it)
        locked = pkgs.mkAIDerivation { prompt = "Generate a  fixture greeting "; inherit server lock; };
        missing = pkgs.mkAIDerivation { prompt = "Generate something not locked"; inherit server lock; };
        # through lib.mkLib
        offline = (ai-drv.lib.mkLib pkgs).mkAIDerivation { prompt = "Generate an offline fixture"; inherit server lock; };
        # through lib.mkAIDerivation, with the default server (never asked: the file is frozen)
        frozen = ai-drv.lib.mkAIDerivation { prompt = "Generate a frozen fixture"; inherit lock; };
        named = pkgs.mkAIDerivation {
          prompt = "Generate a named fixture";
          inherit server lock;
          pname = "fixture-named";
          version = "3.1";
          meta.description = "Named locally";
        };
      };
    };
}
EOF
nixf() { nix "${flakeopts[@]}" "$@"; }

# --- pure evaluation (a flake) ------------------------------------------------------------------
if nixf eval --raw "path:$flake#packages.$system.missing.outPath" >"$work/missing.log" 2>&1; then
  fail "pure eval without a lock entry: fails" "an evaluation error" "$(cat "$work/missing.log")"
else
  expect_contains "pure eval without a lock entry: says to run ai-drv lock, naming the prompt" \
    "mkAIDerivation: no entry for the prompt \"Generate something not locked\" in /nix/store/" "$work/missing.log"
  expect_contains "pure eval without a lock entry: the advice" "run \`ai-drv lock\` to add it" "$work/missing.log"
fi

if nixf build "path:$flake#locked" -o "$work/result-locked" "${nixopts[@]}" >"$work/locked.log" 2>&1; then
  expect_eq "lock mode (pure): builds the text fetched by hash" "greet $nonce" "$(cat "$work/result-locked/share/greeting" 2>&1)"
else
  fail "lock mode (pure): builds the text fetched by hash" "a build" "nix build failed" "$work/locked.log"
fi
expect_contains "lock mode (pure): fetched /drv?hash= with the escaped base64 hash" \
  "/drv?hash=$(escape "$greet")" "$work/requests.log"
got=$(nixf eval --json "path:$flake#locked" --apply \
  'x: let i = x.passthru.mkAIDerivation; in { inherit (i) prompt hash; raw = i.raw.name; same = x.mkAIDerivation == i; }' 2>&1)
expect_eq "lock mode: passthru.mkAIDerivation" \
  "{\"hash\":\"sha256-$greet\",\"prompt\":\"Generate a  fixture greeting \",\"raw\":\"ai-drv.nix\",\"same\":true}" "$got"

# --- without a server -------------------------------------------------------------------------
stop_server
if out=$(readlink "$work/result-locked") && rm "$work/result-locked" &&
  nix-store --delete "$out" >"$work/delete.log" 2>&1; then
  if nixf build "path:$flake#locked" -o "$work/result-locked" "${nixopts[@]}" >"$work/stopped.log" 2>&1; then
    expect_eq "lock mode, server stopped, text in the store: rebuilds" "greet $nonce" "$(cat "$work/result-locked/share/greeting" 2>&1)"
  else
    fail "lock mode, server stopped, text in the store: rebuilds" "a build" "nix build failed" "$work/stopped.log"
  fi
else
  fail "lock mode, server stopped: deleting the built output first" "deleted" "not deleted" "$work/delete.log"
fi

got=$(nixf eval --raw "path:$flake#offline.passthru.mkAIDerivation.raw.outPath" 2>&1)
expect_eq "lock mode: the text's fixed-output path is the one nix-store --add-fixed gives" "$fixed_path" "$got"
if nixf build "path:$flake#offline" -o "$work/result-offline" "${nixopts[@]}" >"$work/offline.log" 2>&1; then
  expect_eq "lock mode, never fetched (added with --add-fixed), no server: builds" "offline $nonce" \
    "$(cat "$work/result-offline/share/greeting" 2>&1)"
else
  fail "lock mode, never fetched (added with --add-fixed), no server: builds" "a build" "nix build failed" "$work/offline.log"
fi

if nixf build "path:$flake#frozen" -o "$work/result-frozen" "${nixopts[@]}" >"$work/frozen.log" 2>&1; then
  expect_eq "frozen file entry, no server: builds" "frozen $nonce" "$(cat "$work/result-frozen/share/greeting" 2>&1)"
else
  fail "frozen file entry, no server: builds" "a build" "nix build failed" "$work/frozen.log"
fi
got=$(nixf eval --json "path:$flake#frozen.passthru.mkAIDerivation" --apply \
  'i: { inherit (i) hash; raw = baseNameOf i.raw; }' 2>&1)
expect_eq "frozen file entry: passthru names the file and its hash" \
  "{\"hash\":\"$frozen_sri\",\"raw\":\"frozen-0a1b2c3d.nix\"}" "$got"

# --- name and meta without import-from-derivation ------------------------------------------------
# The named text was never fetched and the server is gone: anything that needs it fails.
noifd=(--option allow-import-from-derivation false)
cat >"$work/named.nix" <<EOF
let ai = import $repo/nix/lib { pkgs = import $repo/nix/hostpkgs { }; server = "$server"; lock = $flake/ai-drv.lock; }; in
{
  named = ai.mkAIDerivation {
    prompt = "Generate a named fixture";
    pname = "fixture-named";
    version = "3.1";
    meta.description = "Named locally";
  };
}
EOF
got=$(nix-instantiate --eval "${noifd[@]}" "$work/named.nix" -A named.meta.description 2>&1)
expect_eq "no IFD: meta.description" '"Named locally"' "$got"
got=$(nix-instantiate --eval "${noifd[@]}" "$work/named.nix" -A named.name 2>&1)
expect_eq "no IFD: name" '"fixture-named-3.1"' "$got"
got=$(nix-env -qaP -f "$work/named.nix" "${noifd[@]}" 2>&1 | tr -s ' ')
expect_eq "no IFD: nix-env -qaP" "named fixture-named-3.1" "$got"
got=$(nix-env -qa --json -f "$work/named.nix" "${noifd[@]}" --meta 2>&1 |
  jq -c '.named | { name, pname, version, description: .meta.description }' 2>&1)
expect_eq "no IFD: nix-env -qa --json --meta" \
  '{"name":"fixture-named-3.1","pname":"fixture-named","version":"3.1","description":"Named locally"}' "$got"
got=$(nixf eval --raw "path:$flake#named.meta.description" "${noifd[@]}" 2>&1)
expect_eq "no IFD, pure (flake): meta.description" "Named locally" "$got"
got=$(nixf eval --raw "path:$flake#offline.name" "${noifd[@]}" 2>&1)
expect_eq "no IFD, pure (flake): the lock entry's pname and version name the package" "offline-2.0" "$got"
nix-instantiate --eval -E "let ai = $libexpr; in ai.mkAIDerivation { promt = \"x\"; }" >"$work/typo.log" 2>&1
expect_contains "a misspelt argument is named" "mkAIDerivation: unknown argument \`promt\`; the arguments are prompt, server" "$work/typo.log"
if nix-instantiate "${noifd[@]}" "$work/named.nix" -A named >"$work/named-drv.log" 2>&1; then
  fail "no IFD: the derivation itself still needs the text" "an error" "$(cat "$work/named-drv.log")"
else
  expect_contains "no IFD: the derivation itself still needs the text" \
    "allow-import-from-derivation" "$work/named-drv.log"
fi

# --- the flake's outputs ------------------------------------------------------------------------
# (through getFlake: `nix eval flake#lib` would look in packages and legacyPackages first)
flakeref="builtins.getFlake \"git+file://$repo\""
got=$(nixf eval --impure --json --expr "($flakeref).lib" --apply \
  'l: { mk = builtins.isFunction l.mkAIDerivation; mkLib = builtins.isFunction l.mkLib; key = l.normalisePrompt " a  b "; }' 2>&1 | tail -n 1)
expect_eq "flake: lib.mkAIDerivation, lib.mkLib" '{"key":"a b","mk":true,"mkLib":true}' "$got"
got=$(nixf eval --impure --json --expr "($flakeref).overlays.default" --apply \
  'o: builtins.attrNames (o { } { })' 2>&1 | tail -n 1)
expect_eq "flake: overlays.default adds ai-drv and mkAIDerivation" '["ai-drv","mkAIDerivation"]' "$got"
got=$(nixf eval --impure --json --expr "($flakeref).hostpkgs.$system" --apply \
  'p: builtins.isFunction p.mkAIDerivation && p ? ai-drv && p ? callPackage' 2>&1 | tail -n 1)
expect_eq "flake: hostpkgs.<system> is hostpkgs with the overlay" "true" "$got"
if nixf flake show --json "git+file://$repo" >"$work/show.json" 2>"$work/show.log"; then
  got=$(jq -c '[has("lib"), has("overlays"), has("packages"), has("apps"), has("hostpkgs")]' "$work/show.json")
  expect_eq "flake: nix flake show" '[true,true,true,true,true]' "$got"
else
  fail "flake: nix flake show" "success" "failed" "$work/show.log"
fi

# --- recursive mode -------------------------------------------------------------------------------
if [ "${RECURSIVE:-1}" != 0 ]; then
  # shellcheck source=recursive.sh
  . "$here/recursive.sh"
fi

echo "mkaiderivation: $passed passed"
if [ "$failed" -ne 0 ]; then
  echo "mkaiderivation: $failed failed"
  exit 1
fi
