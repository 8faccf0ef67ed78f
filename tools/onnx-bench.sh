#!/usr/bin/env bash
# Inference side by side with ONNX Runtime (issue 14): the same random DANet-ResNet-50, read by
# ./danet from its PyTorch checkpoint and by ONNX Runtime's Java API from its ONNX export, on the
# same input; outputs checked against PyTorch's first, then time and peak resident memory per size,
# each runtime in a process of its own (ours as shipped, ours with --conv-algorithm direct, ONNX
# Runtime), alternating size by size.
#
#   tools/onnx-bench.sh                               # 256, 512, 1024, 1024x2048
#   SIZES="512" RUNS=10 tools/onnx-bench.sh
#   SIZES="256 512" RUNS=7 ALTERNATE=only tools/onnx-bench.sh   # times only, in one process (below)
#
# ALTERNATE=1 (or only: without the per-process runs) also times, per size, ours as shipped, ours
# with libtorch's own convolutions (--conv-algorithm direct), ours with batch norms folded
# (--fold-batch-norm) and ONNX Runtime in one process, one run of each per round, so that the
# machine's noise slows all alike (a fairer time ratio on a shared VM; all under
# ./danet's allocator setting; no memory figures). Writes OUT/alternate.md.
#
# ORT_OPT=none|basic|extended|all (default all) sets ONNX Runtime's graph optimisation level and
# ORT_PROFILE=PREFIX writes its per-node profile (JSON) to PREFIX_<date>.json, to see what it fuses.
#
# Needs Debian's python3-torch (the export) and Maven Central (ONNX Runtime, once). A run whose
# resident memory passes LIMIT_GB is stopped and reported (ONNX Runtime forms the whole N x N
# attention map: 18.8 GB at 1024x2048). Writes OUT/results.md and OUT/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-256 512 1024 1024x2048}"
ALTERNATE="${ALTERNATE:-0}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
THREADS="${THREADS:-2}"
CHECK_SIZE="${CHECK_SIZE:-256}"
LIMIT_GB="${LIMIT_GB:-21}"
OUT="${OUT:-out/onnx-bench}"
mkdir -p "$OUT"

./danet --version > /dev/null # builds target/danet.jar
if [ ! -f "$OUT/pytorch64.npy" ]; then
  /usr/bin/python3 tools/export_onnx.py --out "$OUT" --size "$CHECK_SIZE"
fi
mvn -B -q -f tools/onnx-bench/pom.xml package
classpath="tools/onnx-bench/target/classes:$(cat tools/onnx-bench/target/classpath.txt):target/danet.jar"
# Each runtime as it would be deployed: ours in the environment ./danet gives an inference command (its
# allocator: jemalloc where installed, else glibc's settings), ONNX Runtime with glibc's defaults.
launcher_environment=()
while IFS= read -r line; do launcher_environment+=("$line"); done < <(DANET_SHOW_ENVIRONMENT=1 ./danet segment)
bench() {
  local environment=("GLIBC_TUNABLES=")
  case "$1" in danet*|alternate) environment=("${launcher_environment[@]}") ;; esac
  env "${environment[@]}" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
    -Dai.djl.pytorch.num_interop_threads=1 -cp "$classpath" dev.danet.onnxbench.OnnxBench "$@"
}
model_of() { case "$1" in danet*) echo "$OUT/danet.pth" ;; *) echo "$OUT/danet.onnx" ;; esac; }

# Parity first: the runtimes against PyTorch on the exported input (danet-direct: ours with
# --conv-algorithm direct).
for runtime in danet danet-direct onnxruntime; do
  bench "$runtime" "$(model_of "$runtime")" "$CHECK_SIZE" 0 1 "$THREADS" "$OUT/input.npy" "$OUT/$runtime.npy" \
    > /dev/null 2> "$OUT/$runtime-check.log"
done
/usr/bin/python3 - "$OUT" <<'PY'
import numpy as np, sys
out = sys.argv[1]
ref32 = np.load(out + "/pytorch.npy").astype(np.float64)
ref64 = np.load(out + "/pytorch64.npy")
for runtime in ("pytorch", "danet", "danet-direct", "onnxruntime"):
    y = np.load(out + "/" + runtime + ".npy").astype(np.float64).reshape(ref64.shape)
    print("%-14s vs PyTorch float64: relative L2 %.2e, max |difference| %.2e; vs PyTorch float32: relative L2 %.2e"
          % (runtime, np.linalg.norm(y - ref64) / np.linalg.norm(ref64), np.abs(y - ref64).max(),
             np.linalg.norm(y - ref32) / np.linalg.norm(ref32)))
PY

# Runs a command, stopping it when its resident memory passes LIMIT_GB; returns its status.
run_bounded() {
  "$@" &
  local pid=$! rss
  while kill -0 "$pid" 2> /dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
    if [ -n "$rss" ] && [ "$rss" -gt $((LIMIT_GB * 1024 * 1024)) ]; then kill -9 "$pid" 2> /dev/null || true; fi
    sleep 0.5
  done
  wait "$pid"
}

table="$OUT/results.md"
{
  echo "DANet-ResNet-50 inference, batch 1, $THREADS threads, $(nproc) cores, $(date -u +%Y-%m-%d); median of $RUNS runs after $WARMUP"
  echo
  echo "| size | ours (s) | ours, direct (s) | ONNX Runtime (s) | ours / ORT time | direct / ORT | ours peak (GB) | direct peak (GB) | ORT peak (GB) |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$table"
if [ "$ALTERNATE" != 0 ]; then
  alternate="$OUT/alternate.md"
  {
    echo "DANet-ResNet-50 inference, batch 1, $THREADS threads, $(nproc) cores, $(date -u +%Y-%m-%d); one process, runtimes in turn; median of $RUNS rounds after $WARMUP"
    echo
    echo "| size | ours (s) | ours, direct (s) | ours, folded (s) | ONNX Runtime (s) | ours / ORT | direct / ORT | folded / ORT |"
    echo "|---|---|---|---|---|---|---|---|"
  } > "$alternate"
  for size in $SIZES; do
    bench alternate "$OUT/danet.pth" "$OUT/danet.onnx" "$size" "$WARMUP" "$RUNS" "$THREADS" \
      > "$OUT/alternate-$size.jsonl" 2> "$OUT/alternate-$size.log"
    /usr/bin/python3 - "$OUT/alternate-$size.jsonl" "$size" >> "$alternate" <<'PY'
import json, sys
r = {x["runtime"]: x for x in map(json.loads, open(sys.argv[1]))}
s = lambda k: "%.2f" % (r[k]["median_ms"] / 1000)
ratio = lambda k: r[k]["ratio_to_onnxruntime"]
print("| %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |" % (sys.argv[2], s("danet"), s("danet-direct"),
      s("danet-folded"), s("onnxruntime"), ratio("danet"), ratio("danet-direct"), ratio("danet-folded")))
PY
    tail -1 "$alternate"
  done
  echo "wrote $alternate"
  if [ "$ALTERNATE" = only ]; then exit 0; fi
fi

for size in $SIZES; do
  for runtime in danet danet-direct onnxruntime; do
    if run_bounded bench "$runtime" "$(model_of "$runtime")" "$size" "$WARMUP" "$RUNS" "$THREADS" \
        > "$OUT/$runtime-$size.json" 2> "$OUT/$runtime-$size.log"; then :; else
      echo "{\"runtime\": \"$runtime\", \"stopped\": true}" > "$OUT/$runtime-$size.json"
    fi
  done
  /usr/bin/python3 - "$OUT" "$size" >> "$table" <<'PY'
import json, sys
out, size = sys.argv[1], sys.argv[2]
r = {k: json.load(open("%s/%s-%s.json" % (out, k, size))) for k in ("danet", "danet-direct", "onnxruntime")}
def secs(x): return "stopped at the limit" if x.get("stopped") else "%.2f" % (x["median_ms"] / 1000)
def gb(x): return "-" if x.get("stopped") else "%.2f" % (x["peak_bytes"] / 2**30)
def ratio(k): return "-" if r[k].get("stopped") or r["onnxruntime"].get("stopped") else "%.2f" % (r[k]["median_ms"] / r["onnxruntime"]["median_ms"])
print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (size, secs(r["danet"]), secs(r["danet-direct"]), secs(r["onnxruntime"]),
      ratio("danet"), ratio("danet-direct"), gb(r["danet"]), gb(r["danet-direct"]), gb(r["onnxruntime"])))
PY
  tail -1 "$table"
done
echo "wrote $table"
