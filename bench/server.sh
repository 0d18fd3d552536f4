#!/usr/bin/env bash
# Load benchmark of `ai-drv serve`'s cached answers: the original protocol's `/hash?req=` and
# `/drv?hash=` for a prompt the server has already packaged, at 64 and 256 connections.
#
#   bash bench/server.sh [OUT]     (default OUT: bench/results/DATE-server.txt)
#
# The server is the release build with a fresh store; the first `/hash` runs the real engine on
# the prompt (sl), every later request is a cached answer. Two load tools, because they answer
# different questions on a machine where they share the cores with the server:
#   - wrk (closed loop: each connection sends its next request when the answer arrives): the most
#     requests per second the server sustains; latency then includes queueing (connections ÷ rate).
#   - oha -q R (open loop at a fixed rate): the latency of cached answers at R requests/s — the
#     target is p99 < 5 ms at 20 000 req/s. Skipped when oha is not installed (`cargo install oha`).
#     Requests still in flight when a run's time is up ("aborted due to deadline") are not errors.
# Run it on an otherwise idle machine: anything else on the two cores shows up in the tails.
# Idle RSS is read from /proc after the prompt is answered and before the load starts.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-bench/results/$(date -u +%Y-%m-%d)-server.txt}
duration=${DURATION:-10s}
rate=${RATE:-20000}
prompt='Generate a derivation for building `sl`'

if ! command -v wrk >/dev/null 2>&1; then
  echo "server bench: installing wrk" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --locked -q -p ai-drv
bin=$PWD/target/release/ai-drv

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --listen 127.0.0.1:0 --store "$work/store.sqlite" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 300); do
  url=$(grep -o 'listening on http://[0-9.:]*' "$work/serve.log" | head -1 | cut -d' ' -f3 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; exit 1; }

escape() { jq -rn --arg s "$1" '$s | @uri'; }
hash_url="$url/hash?req=$(escape "$prompt")"
start=$(date +%s%N)
hash=$(curl -sSf "$hash_url")
first_ms=$((($(date +%s%N) - start) / 1000000))
drv_url="$url/drv?hash=$(escape "$hash")"
curl -sSf "$drv_url" -o "$work/drv.nix"
[ "$(sha256sum "$work/drv.nix" | cut -d' ' -f1 | xxd -r -p | base64)" = "$hash" ] ||
  { echo "server bench: /drv?hash= does not hash to the /hash answer" >&2; exit 1; }
sleep 2
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")

{
  echo "ai-drv serve load benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
  echo "prompt: $prompt (first answer, a real engine job: ${first_ms} ms); /drv body: $(wc -c <"$work/drv.nix") bytes"
  echo "idle RSS after the job: $((rss_kb / 1024)) MiB ($rss_kb KiB)"
  echo
  echo "wrk, closed loop, 2 threads, $duration per run (max throughput; latency includes queueing):"
  printf '%-14s %6s %12s %10s %10s %10s\n' endpoint conns req/s p50 p90 p99
  for endpoint in hash drv; do
    target=$hash_url
    [ "$endpoint" = drv ] && target=$drv_url
    for conns in 64 256; do
      wrk -t2 -c"$conns" -d"$duration" --latency "$target" >"$work/wrk.txt"
      printf '%-14s %6s %12s %10s %10s %10s\n' "/$endpoint" "$conns" \
        "$(awk '/^Requests\/sec/ { print $2 }' "$work/wrk.txt")" \
        "$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")" \
        "$(awk '$1 == "90%" { print $2 }' "$work/wrk.txt")" \
        "$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")"
    done
  done
  if command -v oha >/dev/null 2>&1; then
    echo
    echo "oha, open loop at $rate req/s, $duration per run (latency of cached answers at that rate):"
    printf '%-14s %6s %12s %10s %10s %10s %8s\n' endpoint conns req/s p50 p90 p99 errors
    for endpoint in hash drv; do
      target=$hash_url
      [ "$endpoint" = drv ] && target=$drv_url
      for conns in 64 256; do
        oha --no-tui --output-format json --latency-correction -q "$rate" -c "$conns" -z "$duration" "$target" >"$work/oha.json"
        jq -r --arg e "/$endpoint" --arg c "$conns" '
          def ms: . * 1000 * 100 | round / 100 | tostring + "ms";
          [$e, $c, (.summary.requestsPerSec | round | tostring),
           (.latencyPercentiles.p50 | ms), (.latencyPercentiles.p90 | ms), (.latencyPercentiles.p99 | ms),
           ((.statusCodeDistribution | to_entries | map(select(.key != "200") | .value) | add // 0)
             + (.errorDistribution | to_entries | map(select(.key != "aborted due to deadline") | .value) | add // 0) | tostring)]
          | @tsv' "$work/oha.json" |
          awk -F'\t' '{ printf "%-14s %6s %12s %10s %10s %10s %8s\n", $1, $2, $3, $4, $5, $6, $7 }'
      done
    done
  else
    echo
    echo "oha not installed: no fixed-rate latency runs (cargo install oha)"
  fi
  rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
  echo
  echo "RSS after the load: $((rss_kb / 1024)) MiB"
} | tee "$out.tmp"
mv "$out.tmp" "$out"
echo "server bench: wrote $out" >&2
