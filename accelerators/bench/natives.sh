#!/usr/bin/env bash
# Benchmarks every published linux-x86_64 libnd4j build under each OpenMP/OpenBLAS setting.
# Usage (from the repository root): accelerators/bench/natives.sh [rounds] [reps] [out.jsonl]
# Environment: BUILDS, CORETYPES, WAITS (space-separated; "none" = unset) narrow the grid.
# Each (build, env) pair runs in its own JVM, `rounds` times, interleaved; each JVM reports the median of
# `reps` timed repetitions; summarise.py reports the median over the rounds and checks every build against
# the generic one.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
REPS=${2:-5}
OUT=${3:-accelerators/target/natives.jsonl}
mvn -q -B -o test-compile -pl accelerators -am
mvn -q -B -o dependency:build-classpath -Pall-natives -pl accelerators \
    -Dmdep.outputFile="$PWD/accelerators/target/bench.cp" -Dmdep.includeScope=test
CP=accelerators/target/test-classes:accelerators/target/classes:$(cat accelerators/target/bench.cp)
: > "$OUT"
for round in $(seq "$ROUNDS"); do
  for build in ${BUILDS:-generic avx2 avx512 onednn onednn-avx2 onednn-avx512}; do
    for coretype in ${CORETYPES:-none SkylakeX}; do
      for wait in ${WAITS:-none PASSIVE}; do
        envs=(-u OPENBLAS_CORETYPE -u OMP_WAIT_POLICY EFF_NATIVE="$build")
        [ "$coretype" != none ] && envs+=(OPENBLAS_CORETYPE="$coretype")
        [ "$wait" != none ] && envs+=(OMP_WAIT_POLICY="$wait")
        env "${envs[@]}" java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP" \
            dev.eff.accelerators.NativeBenchmark "$REPS" | grep '^{' | sed "s/^{/{\"round\": $round, /" >> "$OUT"
      done
    done
  done
done
python3 accelerators/bench/summarise.py "$OUT"
