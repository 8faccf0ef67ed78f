#!/usr/bin/env bash
# The ablation of issue 19 on the held-out benchmarks, with the recipe fixed in
# docs/context-benchmarks.md ("Recipe (fixed before any run)") before anything was trained on them.
#
#   tools/context-ablation.sh                 # all of it: the demo set and the four street benchmarks
#                                             # x FCN, PAM, CAM, DANet x seeds 1, 2, 3; then the scale
#                                             # benchmark x 7 Attention-to-Scale variants x seeds 1, 2, 3
#   SETS="weather control" SEEDS="1" tools/context-ablation.sh                 # a part
#   OUT=/tmp/smoke ITERATIONS=4 SETS="weather scale" MODELS="fcn danet" \
#     SCALE_VARIANTS="single attention" SEEDS="1 2" tools/context-ablation.sh  # a smoke test of the pipeline
#   TRAIN_FLAGS="--head-channels 128" ...    # flags added to every run's training (a later experiment's change)
#
# Each run is RUNS/<set>/<variant>-seed<N>/ with model.danet, train-log.jsonl and eval/metrics.json;
# finished runs are kept, interrupted ones resumed (./danet train --resume). At the end
# tools/context_ablation_summary.py writes OUT/results.md and OUT/results.json (mean, 95% t interval,
# min..max over seeds; per-class IoU of the context-decided classes; which intervals separate).
# About 4 h for the context sets and 2.5 h for the scale set on the 2-core machine.
# A finished run's small results (eval/metrics.json, train-log.jsonl gzipped) are copied to
# RECORD/runs/<set>/<variant>-seed<N>/ (committed: docs/results/context-ablation), and a run recorded
# there is not trained again, so the ablation can be done in parts over several sessions or machines.
set -euo pipefail
cd "$(dirname "$0")/.."

SETS="${SETS:-demo weather sign pairing control scale}"
MODELS="${MODELS:-fcn pam cam danet}"
SCALE_VARIANTS="${SCALE_VARIANTS:-single average max attention average-nosup max-nosup attention-nosup}"
SEEDS="${SEEDS:-1 2 3}"
ITERATIONS="${ITERATIONS:-800}"
OUT="${OUT:-out/context-ablation}"
RECORD="${RECORD:-docs/results/context-ablation}"
DANET="${DANET:-./danet}"

# The demo recipe (recipes/demo.json, docs/training.md), the same for every model and variant.
# shellcheck disable=SC2206
RECIPE=(--recipe demo --iterations "$ITERATIONS" ${TRAIN_FLAGS:-})

data_dir() { if [ "$1" = demo ]; then echo data/synthetic; else echo "data/benchmarks/$1"; fi; }

make_data() {
  if [ "$1" = demo ]; then "$DANET" data synth; else "$DANET" data synth --benchmark "$1"; fi
}

# The model flags of a variant: a head for the context sets; FCN wrapped in Attention to Scale (scales 1,
# 0.75, 0.5) for the scale set, with extra supervision (weight 1 on each scale's map) unless "-nosup".
variant_flags() {
  local set="$1" variant="$2"
  if [ "$set" != scale ]; then echo "--model $variant"; return; fi
  case "$variant" in
    single) echo "--model fcn" ;;
    *-nosup) echo "--model fcn --scales 1,0.75,0.5 --fusion ${variant%-nosup} --scale-loss-weights 0" ;;
    *) echo "--model fcn --scales 1,0.75,0.5 --fusion $variant --scale-loss-weights 1" ;;
  esac
}

for set in $SETS; do
  make_data "$set"
  data="$(data_dir "$set")"
  variants="$MODELS"
  if [ "$set" = scale ]; then variants="$SCALE_VARIANTS"; fi
  for variant in $variants; do
    for seed in $SEEDS; do
      run="$OUT/runs/$set/$variant-seed$seed"
      record="$RECORD/runs/$set/$variant-seed$seed"
      if [ -f "$record/eval/metrics.json" ]; then
        echo "recorded: $set $variant seed $seed" >&2
        continue
      fi
      if [ ! -f "$run/model.danet" ]; then
        if [ -f "$run/last.danet" ]; then
          "$DANET" train --out "$run" --resume
        else
          # shellcheck disable=SC2046
          "$DANET" train $(variant_flags "$set" "$variant") "${RECIPE[@]}" --data "$data" --dataset cityscapes \
            --seed "$seed" --out "$run"
        fi
      fi
      if [ ! -f "$run/eval/metrics.json" ]; then
        "$DANET" eval --weights "$run/model.danet" --data "$data" --dataset cityscapes --split val --out "$run/eval" >/dev/null
      fi
      mkdir -p "$record/eval"
      gzip -9c "$run/train-log.jsonl" > "$record/train-log.jsonl.gz"
      cp "$run/eval/metrics.json" "$record/eval/metrics.json.tmp" && mv "$record/eval/metrics.json.tmp" "$record/eval/metrics.json"
      echo "done: $set $variant seed $seed" >&2
    done
  done
done
python3 tools/context_ablation_summary.py "$RECORD" > "$RECORD/results.md"
cat "$RECORD/results.md"
