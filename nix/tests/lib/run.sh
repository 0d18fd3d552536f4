#!/usr/bin/env bash
# Run the hostpkgs lib tests (nix/tests/lib/default.nix through run.nix).
# Prints each failing case with expected and actual values, then
# "lib: N passed" (and the failure count when there are failures); exits
# non-zero if any case fails. Needs nix-instantiate, plus jq or python3 to
# read the JSON report. nixpkgs is neither needed nor looked up.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib_dir=$(cd "$here/../../hostpkgs/lib" && pwd)
export NIX_PATH=

# Evaluation warnings (lines starting with "trace:") are expected from the
# cases that exercise lib.warn / getExe; VERBOSE=1 shows them.
errlog=$(mktemp)
trap 'rm -f "$errlog"' EXIT

if ! report=$(nix-instantiate --eval --strict --json "$here/run.nix" 2>"$errlog"); then
  cat "$errlog" >&2
  echo "lib: evaluation of the test suite failed" >&2
  exit 1
fi
if [ -n "${VERBOSE:-}" ]; then cat "$errlog" >&2; fi

# report -> "total passed" and a readable list of failures
if ! command -v jq >/dev/null 2>&1 && ! command -v python3 >/dev/null 2>&1; then
  echo "lib: need jq or python3 to read the test report" >&2
  exit 1
fi
if command -v jq >/dev/null 2>&1; then
  summary=$(jq -r '"\(.total) \(.passed)"' <<<"$report")
  failures=$(jq -r '.failures[] | "FAIL \(.name)\n  expected: \(.expected)\n  actual:   \(.actual)"' <<<"$report")
else
  summary=$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total"], r["passed"])' <<<"$report")
  failures=$(python3 -c 'import json,sys
for f in json.load(sys.stdin)["failures"]:
    print("FAIL %s\n  expected: %s\n  actual:   %s" % (f["name"], f["expected"], f["actual"]))' <<<"$report")
fi
read -r total passed <<<"$summary"
if [ -n "$failures" ]; then printf '%s\n' "$failures"; fi

# The message of a missing callPackage argument cannot be seen through
# builtins.tryEval, so check it from the outside.
total=$((total + 1))
fixture="$here/fixtures/needs-foo.nix"
want="hostpkgs: $fixture requires argument \`foo\`, which hostpkgs does not provide"
if out=$(nix-instantiate --eval --strict -E \
    "(import (/. + \"$lib_dir\")).callPackageWith { } (/. + \"$fixture\") { }" 2>&1); then
  printf 'FAIL callPackageWithMissingArgMessage\n  expected: an error\n  actual:   %s\n' "$out"
elif grep -qF -- "$want" <<<"$out"; then
  passed=$((passed + 1))
else
  printf 'FAIL callPackageWithMissingArgMessage\n  expected: %s\n  actual:   %s\n' "$want" "$out"
fi

failed=$((total - passed))
echo "lib: $passed passed"
if [ "$failed" -ne 0 ]; then
  echo "lib: $failed failed"
  exit 1
fi
