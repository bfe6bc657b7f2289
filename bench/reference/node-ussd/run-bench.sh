#!/usr/bin/env bash
# One UssdLoadBenchmark invocation against the running reference app, with PostgreSQL's and
# Redis's CPU sampled alongside. Usage (from the repository root, bench jar built):
#   bench/reference/node-ussd/run-bench.sh <app pid> <levels, e.g. 50,200> <seconds> [out prefix]
# PORT picks the target (default 18090, this app; 8080 is the gateway's bench config),
# BENCH_JAVA_OPTS is passed to the load generator (-Dbench.check=none for BareRedisServer), and
# BENCH_LOCK, when set, names a file the run holds with flock so no other heavy job overlaps it.
set -euo pipefail
pid=$1 levels=$2 seconds=$3 out=${4:-/tmp/node-ussd-run}
here=$(dirname "$0")
python3 "$here/cpu-sampler.py" "$out.cpu" 1200 & sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
${BENCH_LOCK:+flock "$BENCH_LOCK"} java ${BENCH_JAVA_OPTS:-} -cp bench/target/bench.jar org.assemblypay.bench.ussd.UssdLoadBenchmark \
  http://127.0.0.1:${PORT:-18090} 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
  "$pid" "$levels" "$seconds" 2>&1 \
  | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done > "$out.txt"
grep -v '^[0-9.]* \s*at \|INFO\|WARN\|DEBUG' "$out.txt" | cut -d' ' -f2- | grep -E 'sessions=|heap|check|CHECK' || true
python3 "$here/window-cpu.py" "$out.cpu" "$out.txt"
