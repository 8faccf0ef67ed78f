#!/usr/bin/env bash
# Load test of `danet serve` on loopback: starts the server in its own process, fires N
# requests at once (POST /api/segment with a sample image, one curl each), then reports the
# answers (200 / 503 / other), throughput, latency and the server's resident memory, checks
# that the server still answers /health, and stops it.
#
#   tools/load-test.sh [WEIGHTS] [REQUESTS] [PORT] [-- extra serve flags]
#   (defaults: the demo's DANet, 50 requests, port 18080; BURSTS=3 repeats the burst, to show
#   whether memory keeps growing; THREADS=1 runs the server with ./danet --threads 1)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
weights="${1:-out/demo/runs/danet-seed1/model.danet}"
requests="${2:-50}"
port="${3:-18080}"
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
url="http://127.0.0.1:$port"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$here/danet" ${THREADS:+--threads "$THREADS"} serve --weights "$weights" --port "$port" "$@" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap 'stop; rm -rf "$work"' EXIT
for _ in $(seq 120); do
  curl -fsS "$url/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.5
done
pid="$(pgrep -P "$server" java || echo "$server")"   # ./danet execs java: usually the same process
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status"; }

curl -fsS "$url/api/samples/synthetic-val-0.png" -o "$work/image.png"
# Warm-up: the first request pays for lazy initialisation.
curl -fsS -o /dev/null -X POST --data-binary @"$work/image.png" -H 'Content-Type: image/png' "$url/api/segment"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min); libtorch threads ${THREADS:-2}"
# Baseline: one request at a time, the service time the bursts queue behind.
for _ in $(seq 10); do
  curl -s -o /dev/null -w '%{time_total}\n' -X POST --data-binary @"$work/image.png" -H 'Content-Type: image/png' \
    "$url/api/segment"
done | sort -n | awk '{t[NR] = $1; s += $1} END {printf "one at a time: %d requests, mean %.3f s, median %.3f s\n", NR, s / NR, t[int((NR + 1) / 2)]}'
failed=0
for burst in $(seq "${BURSTS:-1}"); do
  echo "burst $burst (load average $(cut -d' ' -f1 /proc/loadavg)):"
  before="$(rss)"
  start="$(date +%s.%N)"
  seq "$requests" | xargs -P "$requests" -I{} curl -s -o "$work/body{}" -w '{} %{http_code} %{time_total}\n' \
    -X POST --data-binary @"$work/image.png" -H 'Content-Type: image/png' "$url/api/segment" >"$work/answers"
  end="$(date +%s.%N)"
  after="$(rss)"
  health="$(curl -s -o /dev/null -w '%{http_code}' "$url/health")"

  wall="$(awk -v a="$end" -v b="$start" 'BEGIN {print a - b}')"
  ok="$(awk '$2 == 200' "$work/answers" | wc -l)"
  busy="$(awk '$2 == 503' "$work/answers" | wc -l)"
  other="$(awk '$2 != 200 && $2 != 503' "$work/answers" | wc -l)"
  unclear=0
  for i in $(awk '$2 == 503 {print $1}' "$work/answers"); do
    grep -q '"error":"server busy' "$work/body$i" || unclear=$((unclear + 1))
  done
  awk '$2 == 200 {print $3}' "$work/answers" | sort -n >"$work/latency"
  pick() { [ "$ok" -gt 0 ] && sed -n "$(( ($1 * ok + 99) / 100 ))p" "$work/latency" || echo nan; }
  printf 'requests: %d at once, all answered in %.2f s\n' "$requests" "$wall"
  printf '  200: %d (%.2f/s; latency p50 %s s, p95 %s s, max %s s)\n' "$ok" "$(awk -v a="$ok" -v b="$wall" 'BEGIN {print a / b}')" \
    "$(pick 50)" "$(pick 95)" "$(pick 100)"
  printf '  503: %d (longest %s s; %d without the JSON "server busy" message)\n' "$busy" \
    "$(awk '$2 == 503 {print $3}' "$work/answers" | sort -n | tail -1)" "$unclear"
  printf '  other: %d\n' "$other"
  printf 'server RSS: %d MB before, %d MB after, peak %d MB so far\n' "$before" "$after" "$(hwm)"
  printf 'health after: HTTP %s\n' "$health"
  [ "$health" = 200 ] && [ "$other" = 0 ] && [ "$unclear" = 0 ] || failed=1
done
[ "$failed" = 0 ]
