#!/usr/bin/env bash
# Peak resident memory and time of one DANet training step (SGD, every output's loss), plain against
# lean (issue 17), each variant in a process of its own so that no freed-but-kept memory of another
# variant counts: ./danet bench --mode train, with /usr/bin/time's maximum resident set size.
#
#   tools/train-memory-bench.sh                 # DANet-ResNet-50: 512, 768, 1024x1024, 1024x2048 x batch 1, 2
#   SIZES="1024x2048" BATCHES=1 BACKBONE=resnet101 VARIANTS="lean" tools/train-memory-bench.sh
#   BACKBONE=resnet18 MODEL_FLAGS="--width 16" VARIANTS="lean plain" tools/train-memory-bench.sh  # the demo's model
#
# Variants: torch (PyTorch's own plain step, tools/torch_train_step.py with Debian's python3-torch),
# plain (the whole attention map, autograd keeps everything: what PyTorch does),
# lean-attention (the default: the map in row blocks, recomputed in backward), lean (that, and the
# backbone's residual units recomputed). A run whose resident memory passes LIMIT_GB is stopped and
# reported as such (the machine has 24 GB). Writes OUT/results.md and each run's bench JSON.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-512 768 1024 1024x2048}"
BATCHES="${BATCHES:-1 2}"
VARIANTS="${VARIANTS:-lean lean-attention plain}"
BACKBONE="${BACKBONE:-resnet50}"
MODEL_FLAGS="${MODEL_FLAGS:-}" # further model flags of ./danet bench (not for torch), e.g. "--width 16"
RUNS="${RUNS:-2}"
# Debian's PyTorch 1.13 is slow at dilated convolutions' backward (~1 core busy), so its steps can
# be fewer: its peak memory is the anchor, its time is for information.
TORCH_RUNS="${TORCH_RUNS:-$RUNS}"
TORCH_WARMUP="${TORCH_WARMUP:-1}"
LIMIT_GB="${LIMIT_GB:-21}"
OUT="${OUT:-out/train-memory}"
mkdir -p "$OUT"
./danet --version > /dev/null # builds the jar once, before anything is measured

# Runs a command, stopping it when its resident memory passes LIMIT_GB; prints the peak in KB
# (VmHWM) and returns the command's status (137 when stopped).
run_bounded() {
  "$@" &
  local pid=$! peak=0 rss
  while kill -0 "$pid" 2> /dev/null; do
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
    if [ "$peak" -gt $((LIMIT_GB * 1024 * 1024)) ]; then kill -9 "$pid" 2> /dev/null || true; fi
    sleep 0.5
  done
  local status=0
  wait "$pid" || status=$?
  echo "$peak" > "$OUT/.peak"
  return "$status"
}

table="$OUT/results.md"
{
  echo "DANet-$BACKBONE${MODEL_FLAGS:+ ($MODEL_FLAGS)} training step, $(nproc) cores, $(date -u +%Y-%m-%d); median of $RUNS timed steps after one untimed"
  echo
  echo "| size | batch | variant | step (s) | peak resident (GB) |"
  echo "|---|---|---|---|---|"
} > "$table"
cat "$table"
for size in $SIZES; do
  for batch in $BATCHES; do
    for variant in $VARIANTS; do
      pam=auto
      if [ "$variant" = plain ]; then pam=plain; fi
      json="$OUT/$BACKBONE-$size-b$batch-$variant.json"
      log="$OUT/$BACKBONE-$size-b$batch-$variant.log"
      status=0
      if [ "$variant" = torch ]; then
        run_bounded /usr/bin/python3 tools/torch_train_step.py --depth "${BACKBONE#resnet}" --size "$size" \
          --batch "$batch" --warmup "$TORCH_WARMUP" --runs "$TORCH_RUNS" --json "$json" > "$log" 2>&1 || status=$?
      else
        run_bounded ./danet --train-memory "$variant" --pam-memory "$pam" bench --mode train --backbone "$BACKBONE" $MODEL_FLAGS \
          --size "$size" --batch "$batch" --warmup 1 --runs "$RUNS" --json "$json" > "$log" 2>&1 || status=$?
      fi
      peak_gb=$(awk '{printf "%.2f", $1 / 1048576}' "$OUT/.peak")
      if [ "$status" = 0 ] && [ "$variant" = torch ]; then
        seconds=$(python3 -c "import json,sys; print('%.1f' % (json.load(open(sys.argv[1]))['median'] / 1000))" "$json")
      elif [ "$status" = 0 ]; then
        seconds=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0]['trainingStep']; print('%.1f' % (r['milliseconds']['total']['median'] / 1000))" "$json")
      else
        seconds="stopped at $LIMIT_GB GB (status $status)"
      fi
      echo "| $size | $batch | $variant | $seconds | $peak_gb |" | tee -a "$table"
    done
  done
done
echo "wrote $table"
