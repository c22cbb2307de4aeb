#!/usr/bin/env bash
# Runs a benchmark main class from the standard library's test sources on its test class path.
#   stdlib/bench.sh LayerBench [gelu|norm|bias|qkv|attention]...      (-Dreps=N via BENCH_OPTS)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$root/stdlib/target/bench.classpath"
mvn -q -o -B -Dstyle.color=never -pl stdlib -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cls="$1"; shift
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java -Xmx6g ${BENCH_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "$root/stdlib/target/test-classes:$root/stdlib/target/classes:$(cat "$cp_file")" \
    "dev.eff.stdlib.bench.$cls" "$@"
