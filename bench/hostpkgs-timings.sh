#!/usr/bin/env bash
# hostpkgs timings (issue "hostpkgs"): how long a first-time setup takes on this machine, and how
# long a second build of an already-built derivation takes (everything cached in the store).
# Writes bench/results/hostpkgs-timings.txt. Usage: bash bench/hostpkgs-timings.sh [--with-setup]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results/hostpkgs-timings.txt
bin=target/release/ai-drv
[ -x "$bin" ] || cargo build --release --locked -q
now() { date +%s.%N; }
{
  echo "# hostpkgs timings, $(nproc) cores, $(nix --version)"
  if [ "${1:-}" = --with-setup ]; then
    state="$(mktemp -d)"
    start=$(now)
    AI_DRV_STATE_DIR="$state" bash scripts/setup --no-build >/dev/null
    echo "first-time setup (build root + index files, fresh state dir): $(echo "$(now) - $start" | bc) s"
    rm -rf "$state"
  fi
  for file in nix/tests/hostpkgs/corpus/*.nix nix/tests/hostpkgs/third-party/*.nix; do
    if ! "$bin" -q build "$file" >/dev/null 2>&1; then # first build (or already cached)
      printf 'build fails   %s\n' "$file"
      continue
    fi
    start=$(now)
    "$bin" -q build "$file" >/dev/null
    printf 'second build %-45s %.2f s\n' "$file" "$(echo "$(now) - $start" | bc)"
  done
} | tee "$out"
