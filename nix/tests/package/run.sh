#!/usr/bin/env bash
# Builds ai-drv itself from this checkout with hostpkgs (nix/package.nix, Rust 1.85, the Nix
# sandbox on the Debian build root), after testing hostpkgs' `cargoLock` interface on a small
# crate (cargo-lock/), and checks that the installed binary works from the store:
# `--version` prints the workspace's version, `doctor` passes, and `build` finds hostpkgs under
# the package's share/ai-drv/nix (no checkout, no AI_DRV_NIX_DIR) and builds a small derivation.
# Prints the build time and "package: N passed, N failed"; exits non-zero on any failure.
# Slow on a cold store (about 6 minutes on 2 cores: every crate is downloaded, then a release
# build). Needs Nix, the build root from scripts/setup, and an ai-drv binary to read the sandbox
# options and mirrors from (AI_DRV_BIN, else target/release or target/debug, else cargo builds one).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
export NIX_PATH=

bin=${AI_DRV_BIN:-}
if [ -z "$bin" ]; then
    for candidate in "${CARGO_TARGET_DIR:-$root/target}"/release/ai-drv "${CARGO_TARGET_DIR:-$root/target}"/debug/ai-drv; do
        if [ -x "$candidate" ]; then bin=$candidate && break; fi
    done
fi
if [ -z "$bin" ]; then
    cargo build --locked -q -p ai-drv
    bin="${CARGO_TARGET_DIR:-$root/target}/debug/ai-drv"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The sandbox options and the mirrors, as ai-drv itself would pass them. doctor exits 2 when
# something is missing; its report then says what.
if ! "$bin" doctor --json >"$work/doctor.json" 2>"$work/doctor.err"; then
    cat "$work/doctor.err" >&2
    "$bin" doctor >&2 || true
    echo "package: ai-drv doctor reports a problem; fix it first (scripts/setup)" >&2
    exit 2
fi
read_doctor() {
    python3 - "$work/doctor.json" "$1" <<'PY'
import json, re, sys
checks = {c["name"]: c["detail"] for c in json.load(open(sys.argv[1]))["checks"]}
want = sys.argv[2]
if want == "sandbox-paths":
    m = re.search(r"--option sandbox-paths '([^']*)'", checks.get("sandbox", ""))
    print(m.group(1) if m else "")
else:
    # "URL (from …)" → the URL without its trailing slash
    print(checks.get("endpoint " + want, "").split(" ")[0].rstrip("/"))
PY
}
sandbox_paths=$(read_doctor sandbox-paths)
if [ -z "$sandbox_paths" ]; then
    echo "package: ai-drv doctor names no build root to map into the sandbox; run scripts/setup" >&2
    exit 2
fi
export AI_DRV_MIRROR_DEBIAN="${AI_DRV_MIRROR_DEBIAN:-$(read_doctor debian)}"
export AI_DRV_MIRROR_CRATES="${AI_DRV_MIRROR_CRATES:-$(read_doctor crates-download)}"

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL $1"
}

nix_build() {
    nix-build --option substituters '' --option sandbox true --option sandbox-paths "$sandbox_paths" "$@"
}
hostpkgs="with import $root/nix/hostpkgs { }"
fixture="$root/nix/tests/package/cargo-lock"

# hostpkgs' cargoLock interface, on a small crate first (seconds), then ai-drv (minutes).
if nix_build -o "$work/cargo-lock-test" -E "$hostpkgs; callPackage $fixture/package.nix { }" >"$work/small.log" 2>&1 \
    && [ "$("$work/cargo-lock-test/bin/cargo-lock-test")" = "cargo-lock-test 1234567" ]; then
    pass "cargoLock.lockFile: a crate with a registry dependency builds and runs"
else
    tail -n 20 "$work/small.log"
    fail "cargoLock.lockFile: a crate with a registry dependency builds and runs"
fi
crate=$(nix-instantiate --eval --strict --json -E "$hostpkgs; let c = builtins.head (rustPlatform.importCargoLock { lockFile = $fixture/Cargo.lock; }).crates; in [ (builtins.head c.urls) c.outputHash ]" 2>&1 || true)
mirror=${AI_DRV_MIRROR_CRATES%% *} # hostpkgs fetches from the first mirror listed
expected="[\"${mirror%/}/itoa/1.0.18/download\",\"8f42a60cbdf9a97f5d2305f08a87dc4e09308d1276d28c869c684d7777685682\"]"
if [ "$crate" = "$expected" ]; then pass "importCargoLock: a crate's download is the crates mirror, pinned by Cargo.lock's checksum"; else fail "importCargoLock: expected $expected, got $crate"; fi
# Each refusal must say what is wrong and what to do.
expect_error() {
    local what=$1 contents=$2 message=$3 got
    got=$(nix-instantiate --eval -E "$hostpkgs; (rustPlatform.importCargoLock { lockFileContents = \"$contents\"; }).drvPath" 2>&1 || true)
    if [[ "$got" == *"$message"* ]]; then pass "importCargoLock refuses $what"; else fail "importCargoLock refuses $what: expected '$message' in: $got"; fi
}
expect_error "a git dependency" '[[package]]\nname = \"x\"\nversion = \"1.0.0\"\nsource = \"git+file:///nowhere#abc\"\n' \
    "importCargoLock: x-1.0.0 comes from git+file:///nowhere#abc; only registry crates can be vendored here (use cargoHash, or vendor it into the source)"
expect_error "a crate without a checksum" '[[package]]\nname = \"x\"\nversion = \"1.0.0\"\nsource = \"registry+file:///r\"\n' \
    "importCargoLock: x-1.0.0 has no checksum in Cargo.lock; run \`cargo update -p x\` to record one"
if nix_build --no-out-link -E "$hostpkgs; callPackage $fixture/package.nix { lockFileContents = builtins.readFile $fixture/Cargo.lock + \"\\n\"; }" >"$work/mismatch.log" 2>&1; then
    fail "cargoLock: a source whose Cargo.lock differs from the vendored one is refused (it built)"
elif grep -q "buildRustPackage: ./Cargo.lock differs from the cargoLock.lockFile the dependencies were vendored from" "$work/mismatch.log"; then
    pass "cargoLock: a source whose Cargo.lock differs from the vendored one is refused"
else
    tail -n 20 "$work/mismatch.log"
    fail "cargoLock: a source whose Cargo.lock differs from the vendored one is refused (wrong message)"
fi

start=$(date +%s)
if nix_build -o "$work/result" -E "$hostpkgs; callPackage $root/nix/package.nix { }" >"$work/build.log" 2>&1; then
    pass "nix-build nix/package.nix with hostpkgs ($(($(date +%s) - start)) s)"
else
    tail -n 40 "$work/build.log"
    fail "nix-build nix/package.nix with hostpkgs ($(($(date +%s) - start)) s)"
    echo "package: $passed passed, $failed failed"
    exit 1
fi
out=$(readlink -f "$work/result")

# Run from an empty directory with no hint where nix/ is: the binary must find its own copy.
mkdir "$work/run"
cd "$work/run"
unset AI_DRV_NIX_DIR

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
got=$("$out/bin/ai-drv" --version 2>&1 || true)
if [ "$got" = "ai-drv $version" ]; then pass "ai-drv --version: $got"; else fail "ai-drv --version: expected 'ai-drv $version', got '$got'"; fi

if "$out/bin/ai-drv" doctor >"$work/doctor.out" 2>&1; then
    pass "ai-drv doctor"
else
    cat "$work/doctor.out"
    fail "ai-drv doctor"
fi

if [ -f "$out/share/ai-drv/nix/hostpkgs/default.nix" ] && [ -f "$out/share/ai-drv/nix/hostpkgs/resolver.json" ] \
    && [ ! -e "$out/share/ai-drv/nix/tests" ]; then
    pass "share/ai-drv/nix holds hostpkgs and no tests"
else
    fail "share/ai-drv/nix holds hostpkgs and no tests"
fi

# The closure is the package alone: no vendored sources, no second copy of the binary.
refs=$(nix-store -q --references "$out" | grep -v "^$out\$" || true)
if [ -z "$refs" ]; then pass "no store references"; else fail "store references: $refs"; fi

cat >"$work/run/hello.nix" <<'NIX'
{ stdenv }:
stdenv.mkDerivation {
  pname = "package-test-hello";
  version = "1.0";
  dontUnpack = true;
  installPhase = ''
    mkdir -p $out/bin
    printf '#!/bin/sh\necho package-test-hello 1.0\n' > $out/bin/package-test-hello
    chmod +x $out/bin/package-test-hello
  '';
}
NIX
if "$out/bin/ai-drv" build --no-repair --json hello.nix >"$work/build.json" 2>"$work/build.err" \
    && [ "$(./result/bin/package-test-hello)" = "package-test-hello 1.0" ]; then
    pass "ai-drv build with the installed hostpkgs"
else
    cat "$work/build.err"
    fail "ai-drv build with the installed hostpkgs"
fi

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
