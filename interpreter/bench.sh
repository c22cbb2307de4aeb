#!/usr/bin/env bash
# Runs a benchmark main class from the interpreter's test sources on the full test class path.
#   interpreter/bench.sh CharTransformerBench 5 30 10
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$root/interpreter/target/bench.classpath"
mvn -q -o -B -pl interpreter -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cls="$1"; shift
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java -Xmx8g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$root/interpreter/target/test-classes:$root/interpreter/target/classes:$(cat "$cp_file")" \
    "dev.eff.interpreter.bench.$cls" "$@"
