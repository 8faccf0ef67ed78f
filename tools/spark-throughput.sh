#!/usr/bin/env bash
# Throughput of `./danet spark segment` at local[1] and local[2] against the single-process
# `./danet segment` on the same images (docs/scale-out.md, "Throughput"). Needs nothing downloaded:
# the images are the built-in synthetic street scenes, the model the demo's size (ResNet-18 at
# width 16) trained for a few steps on them (its accuracy does not matter, its cost does).
#
# Usage: [N=40] [SIZES="256x512 512x1024"] [WORK=out/spark-throughput] tools/spark-throughput.sh
#
# Every run segments the same N images of each size with the same model at scale 1, no flip,
# whole images (--crop above the long side). Columns:
#   wall        the whole command: JVM start, (Spark session,) model load, the images, the outputs
#   job         what the command reports for its images: `segment`'s loop; for Spark, SegmentJob.run
#               (the driver's model check, listing, the tasks, the two tables)
#   img/s       N / job
#   startup     wall - job: for Spark mostly the session's start
#   overhead/img (Spark job - segment job) / N: what Spark adds per image once started (segment also
#               writes a colour PNG and an overlay per image, which Spark does not)
# Threads: every run gets all cores: segment --threads $(nproc); Spark shares them out between
# its task slots (local[1]: all for one inference, local[2]: half each).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-40}" sizes="${SIZES:-256x512 512x1024}" work="${WORK:-out/spark-throughput}"
cores="$(nproc)"
model="$work/model/model.danet"

# Build both jars first (./danet builds what is out of date), so that no timed run includes a build.
./danet --help >/dev/null
./danet spark segment --help >/dev/null

if [ ! -f "$model" ]; then
  echo "training a throwaway model of the demo's size (a few steps) ..." >&2
  ./danet data synth --out "$work/train-scenes" --train 8 --val 2 >/dev/null
  ./danet train --recipe demo --data "$work/train-scenes" --iterations 2 --batch 2 --workers 1 \
    --out "$work/model" >/dev/null 2>&1
fi

seconds() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { print b - a }'; }
# The job's seconds from a command's last line: "segmented N image(s)[, ...] in X s".
job_seconds() { sed -n 's/^segmented .* in \([0-9.]*\) s.*/\1/p' "$1" | tail -1; }
row() { # name wall job [segment's job]
  awk -v name="$1" -v wall="$2" -v job="$3" -v base="${4:-}" -v n="$n" 'BEGIN {
    over = base == "" ? "-" : sprintf("%.3f", (job - base) / n);
    printf "| %s | %.1f | %.1f | %.2f | %.1f | %s |\n", name, wall, job, n / job, wall - job, over }'
}

for size in $sizes; do
  h="${size%x*}" w="${size#*x}"
  long=$(( h > w ? h : w ))
  scenes="$work/scenes-$size"
  ./danet data synth --out "$scenes" --train 0 --val "$n" --size "$size" >/dev/null
  images="$scenes/leftImg8bit/val"
  echo
  echo "$n images of $size, $cores cores; $(uptime | sed 's/.*load/load/')"
  echo "| run | wall s | job s | img/s (job) | startup s | overhead s/img |"
  echo "|---|---|---|---|---|---|"
  log="$work/run.log"
  start=$(seconds)
  ./danet --threads "$cores" segment "$images" --weights "$model" --crop "$long" --out "$work/segment-$size" \
    >"$log" 2>/dev/null || { cat "$log"; exit 1; }
  wall=$(since "$start")
  base=$(job_seconds "$log")
  row "\`./danet segment\`" "$wall" "$base"
  for master in 'local[1]' 'local[2]'; do
    start=$(seconds)
    ./danet spark segment "$images" --weights "$model" --crop "$long" --master "$master" \
      --out "$work/spark-$size-${master//[^0-9]/}" >"$log" 2>/dev/null || { cat "$log"; exit 1; }
    wall=$(since "$start")
    row "\`./danet spark segment --master '$master'\`" "$wall" "$(job_seconds "$log")" "$base"
  done
done
