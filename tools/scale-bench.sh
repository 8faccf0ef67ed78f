#!/usr/bin/env bash
# Time and memory of the multi-scale wrapper vs the single-scale network (docs/attention-to-scale.md).
# Each configuration runs in its own JVM, because peak memory (VmHWM) is per process.
# Usage: [REPEAT=5] tools/scale-bench.sh [THREADS] [MODEL] [WIDTH]   (defaults: 2 fcn 16)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}" model="${2:-fcn}" width="${3:-16}"
echo "| model | input | train batch | forward s (batch 1) | train step s | RSS built MB | peak after forward MB | peak after training MB |"
echo "|---|---|---|---|---|---|---|---|"
for size in 128x256 256x512; do
  for variant in "" "--scales 1,0.75,0.5 --fusion average" "--scales 1,0.75,0.5 --fusion attention"; do
    # shellcheck disable=SC2086
    ./danet --threads "$threads" scale-bench --model "$model" --width "$width" --size "$size" --batch 8 --repeat "${REPEAT:-5}" $variant 2>/dev/null
  done
done
