#!/usr/bin/env bash
# Our benchmarks and the issues' reference tools, one after another on this machine (D241):
# USSD (gateway, BareRedisServer, the Node.js reference on express and on http), SMS (our end to
# end, Kannel B, our submit_sm at window 100, Kannel A) and the ledger (LedgerBenchmark, pgbench).
#
#   bench/reference/calibrate.sh [ussd] [sms] [ledger]      (default: all three) [OUT=/tmp/calibrate]
#
# Needs bench/target/bench.jar and gateway/target/gateway.jar (mvn -q -DskipTests package), the
# local PostgreSQL (database test) and Redis, npm ci done in bench/reference/node-ussd, and
# Debian's kannel and pgbench. Run it with nothing else busy; each job's output goes to $OUT.
# Starts and stops its own servers, by pid; removes the BN* assemblies the USSD runs seed.
set -uo pipefail
cd "$(dirname "$0")/../.."
export GATEWAY_LOG_LEVEL=WARN
J=bench/target/bench.jar
JDBC='jdbc:postgresql://127.0.0.1:5432/test?user=postgres'
O=${OUT:-/tmp/calibrate}
mkdir -p "$O"
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -qAt)
stamp() { echo "=== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) $*"; }
pid_of() { for _ in $(seq 50); do p=$(pgrep -f "$1") && { echo "$p"; return; }; sleep 0.2; done; }

clean_bn() {
  for c in $("${PSQL[@]}" -d test -c "select code from control.assemblies where code like 'BN%'"); do
    l=$(tr 'A-Z' 'a-z' <<< "$c")
    "${PSQL[@]}" -d test -c "delete from control.payment_references where assembly_code = '$c'" \
      -c "drop schema if exists asm_$l cascade" -c "delete from control.assemblies where code = '$c'" \
      > /dev/null 2>&1
  done
}

ussd() {
  java -Xmx256m -jar gateway/target/gateway.jar run --config bench/gateway-bench.yaml > "$O/gateway.log" 2>&1 &
  sleep 15; local p; p=$(pid_of "gateway.jar run")
  stamp "USSD gateway pid $p"
  PORT=8080 bench/reference/node-ussd/run-bench.sh "$p" 50,200 30 "$O/ussd-gateway"
  kill "$p"; sleep 3; clean_bn
  java -Xmx256m -cp $J org.assemblypay.bench.ussd.BareRedisServer 18092 redis://127.0.0.1:6379/4 > "$O/bare.log" 2>&1 &
  sleep 5; p=$(pid_of "BareRedisServer 18092")
  stamp "USSD bare Vert.x + Redis pid $p"
  PORT=18092 BENCH_JAVA_OPTS=-Dbench.check=none bench/reference/node-ussd/run-bench.sh "$p" 50,200 30 "$O/ussd-bare"
  kill "$p"; sleep 2
  for front in express http; do
    (cd bench/reference/node-ussd && FRONT=$front exec node server.js > "$O/node-$front.log" 2>&1 &)
    sleep 3; p=$(pid_of "node server.js")
    stamp "USSD Node.js reference ($front) pid $p"
    bench/reference/node-ussd/run-bench.sh "$p" 50,200 30 "$O/ussd-node-$front"
    kill "$p"; sleep 2; clean_bn
  done
}

sms() {
  stamp "SMS ours, end to end"
  java -Dbench.warmup=20000 -Dbench.runs=3 -Dbench.pgstats=true -cp $J \
    org.assemblypay.bench.smpp.OutboxEndToEndBenchmark 20000 4 4 50 > "$O/sms-e2e.txt" 2>&1
  grep -E '^measured' "$O/sms-e2e.txt"
  stamp "SMS Kannel B"
  RUN_DIR=$O/kannel-B bench/reference/kannel/run.sh B 50000 > "$O/kannel-B.txt" 2>&1
  grep -E '^MARK run|^CPU' "$O/kannel-B/result.txt"
  stamp "SMS ours, submit_sm at window 100"
  java -cp $J org.assemblypay.bench.smpp.SubmitThroughputBenchmark 300000 100 > "$O/sms-submit.txt" 2>&1
  tail -1 "$O/sms-submit.txt"
  stamp "SMS Kannel A"
  RUN_DIR=$O/kannel-A bench/reference/kannel/run.sh A 300000 > "$O/kannel-A.txt" 2>&1
  grep -E '^MARK|^CPU' "$O/kannel-A/result.txt"
}

ledger() {
  stamp "Ledger ours"
  java -Dbench.pgstats=true -cp $J org.assemblypay.bench.ledger.LedgerBenchmark "$JDBC" 8000 1000 \
    > "$O/ledger.txt" 2>&1
  grep -E 'poster|pgstats' "$O/ledger.txt"
  stamp "pgbench TPC-B (1 and 8 clients), then select-only (8 clients)"
  "${PSQL[@]}" -d test -c "drop database if exists pgbench_cal" -c "create database pgbench_cal"
  pgbench -h 127.0.0.1 -U postgres -i -s 10 -q pgbench_cal > /dev/null 2>&1
  for c in 1 8; do
    pgbench -h 127.0.0.1 -U postgres -c $c -j 2 -T 30 -M prepared pgbench_cal 2>&1 | grep -E '^tps|latency average'
  done
  pgbench -h 127.0.0.1 -U postgres -c 8 -j 2 -T 30 -M prepared -S pgbench_cal 2>&1 | grep -E '^tps|latency average'
  "${PSQL[@]}" -d test -c "drop database pgbench_cal"
}

stamp start
for part in "${@:-ussd sms ledger}"; do
  for p in $part; do
    case $p in
      ussd | sms | ledger) "$p" ;;
      *) echo "unknown part '$p': ussd, sms or ledger" >&2; exit 2 ;;
    esac
  done
done
stamp end
