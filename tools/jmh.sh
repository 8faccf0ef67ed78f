#!/usr/bin/env bash
# Runs the JMH micro-benchmarks (src/test/java/dev/danet/jmh) with the test classpath.
#   tools/jmh.sh                       # every benchmark
#   tools/jmh.sh AttentionBenchmark.pam -p side=32,64 -t 1   # JMH's own options after the pattern
# libtorch's threads: DJL_THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="${DJL_THREADS:-2}" \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main \
  -jvmArgsAppend "-Dai.djl.pytorch.num_threads=${DJL_THREADS:-2}" "$@"
