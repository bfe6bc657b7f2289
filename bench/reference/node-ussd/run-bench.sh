#!/usr/bin/env bash
# One UssdLoadBenchmark invocation against the running reference app, with PostgreSQL's and
# Redis's CPU sampled alongside. Usage (from the repository root, bench jar built):
#   bench/reference/node-ussd/run-bench.sh <app pid> <levels, e.g. 50,200> <seconds> [out prefix]
set -euo pipefail
pid=$1 levels=$2 seconds=$3 out=${4:-/tmp/node-ussd-run}
here=$(dirname "$0")
python3 "$here/cpu-sampler.py" "$out.cpu" 1200 & sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
flock /work/bench.lock java -cp bench/target/bench.jar org.assemblypay.bench.ussd.UssdLoadBenchmark \
  http://127.0.0.1:${PORT:-18090} 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
  "$pid" "$levels" "$seconds" 2>&1 \
  | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done > "$out.txt"
grep -v '^[0-9.]* \s*at \|INFO\|WARN\|DEBUG' "$out.txt" | cut -d' ' -f2- | grep -E 'sessions=|heap|check|CHECK' || true
python3 "$here/window-cpu.py" "$out.cpu" "$out.txt"
