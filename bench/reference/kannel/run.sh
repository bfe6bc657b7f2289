#!/usr/bin/env bash
# Kannel against the project's SMSC simulator on this machine: see README.md beside this file.
#
#   bench/reference/kannel/run.sh A [messages] [warm-up]   figure A: submit_sm/s from the queue
#   bench/reference/kannel/run.sh B [messages] [warm-up]   figure B: DLR callbacks/s end to end
#
# Environment: STORE=file (journal messages to a file; default none, memory only),
# CONCURRENCY (sendsms requests in flight while queueing, default 8), PER_REQUEST (recipients
# per sendsms request, default 50), THROUGHPUT (cap submit_sm/s; default none), RUN_DIR, JAVA_OPTS.
# Needs bench/target/bench.jar and Debian's kannel package. Stops what it started, by pid.
set -euo pipefail

FIGURE=${1:?usage: run.sh A|B [messages] [warm-up messages]}
N=${2:-100000}
W=${3:-30000}
case $FIGURE in A | B) ;; *) echo "figure is A or B" >&2; exit 2 ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
JAR=$REPO/bench/target/bench.jar
STORE=${STORE:-none}
CONCURRENCY=${CONCURRENCY:-8}
PER_REQUEST=${PER_REQUEST:-50}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
RUN=${RUN_DIR:-/tmp/kannel-bench/$(date +%Y%m%d-%H%M%S)-$FIGURE}
STATUS_URL="http://127.0.0.1:13900/status.txt?password=bench"
SIM_CTL=http://127.0.0.1:27751
SINK=http://127.0.0.1:18091
[[ -f $JAR ]] || { echo "no $JAR: build with mvn -o package -DskipTests -pl bench -am" >&2; exit 2; }
command -v bearerbox >/dev/null || PATH=$PATH:/usr/sbin

mkdir -p "$RUN"
cd "$RUN"
cp "$HERE/kannel.conf" kannel.conf
if [[ $STORE == file ]]; then
  sed -i 's/^#STORE //' kannel.conf
elif [[ $STORE != none ]]; then
  echo "STORE is none or file" >&2
  exit 2
fi
if [[ -n ${THROUGHPUT:-} ]]; then # a cap on submit_sm/s for the bind (Kannel's active throttling)
  sed -i "s/^# no throughput line: unlimited$/throughput = $THROUGHPUT/" kannel.conf
fi

PIDS=()
cleanup() {
  local pid
  # smsbox first, then bearerbox (while the simulator still answers), then the Java processes.
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'echo "run.sh failed at line $LINENO" >&2' ERR
say() { printf '%s %s\n' "$(date +%T)" "$*"; }
# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every $POLL (0.2) s until it succeeds.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then
      say "timed out waiting for $what"
      return 1
    fi
    sleep "${POLL:-0.2}"
  done
}
machine_busy() { # all CPUs' busy time (user+nice+system+irq+softirq) and steal, in clock ticks
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat
}
all_ticks() { # pid, ticks and command of every process, to see who else used the CPU
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk 'NF { pid = $1; c = $0; sub(/^[^(]*\(/, "", c); comm = c; sub(/\).*/, "", comm);
              sub(/^.*\) /, "", c); split(c, f, " "); print pid, f[12] + f[13], comm }'
}
thread_ticks() { # tid and ticks of each thread of a process
  { cat /proc/"$1"/task/*/stat 2>/dev/null || true; } | awk '{ c = $0; sub(/^.*\) /, "", c); split(c, f, " "); print $1, f[12] + f[13] }'
}
ticks() { # utime + stime of a process, in clock ticks (1/100 s)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}
sim() { curl -fsS "$SIM_CTL/$1"; }
sim_submits() { sim status | sed -n 's/^submits=\([0-9]*\).*/\1/p'; }
sink_callbacks() { curl -fsS "$SINK/status" | sed -n 's/^callbacks=\([0-9]*\).*/\1/p'; }
smsc_online() { curl -fsS "$STATUS_URL" | grep -q 'SMPP:127.0.0.1:27750.*(online'; }
smsc_offline() { ! smsc_online; }
bb_queued() { curl -fsS "$STATUS_URL" | sed -n 's/^SMS: received .*, sent [0-9]* (\([0-9]*\) queued).*/\1/p'; }
at_least() { # at_least N COMMAND: COMMAND prints a number >= N
  local n=$1 v
  shift
  v=$("$@")
  [[ -n $v ]] && ((v >= n))
}
inject() { # inject RUN_NAME COUNT
  local mask=0
  [[ $FIGURE == B ]] && mask=3
  java -cp "$JAR" org.assemblypay.bench.kannel.SendSmsInjector --n "$2" --run "$1" \
    --concurrency "$CONCURRENCY" --per-request "$PER_REQUEST" --dlr-mask "$mask" --dlr-url "$SINK/dlr"
}

say "run $FIGURE: $N messages after $W warm-up, store $STORE, in $RUN"
java $JAVA_OPTS -cp "$JAR" org.assemblypay.bench.smpp.SimulatorServer \
  --port 27750 --control-port 27751 --system-id kannel --password kannel >simulator.log 2>&1 &
SIM_PID=$!
SINK_PID=
if [[ $FIGURE == B ]]; then
  java $JAVA_OPTS -cp "$JAR" org.assemblypay.bench.kannel.DlrSink --port 18091 --echo 3 >sink.log 2>&1 &
  SINK_PID=$!
fi
wait_for 30 "simulator control port" sim status
[[ -z $SINK_PID ]] || wait_for 30 "sink" curl -fsS "$SINK/status"

bearerbox -v 2 kannel.conf >bearerbox.out 2>&1 &
BB_PID=$!
wait_for 30 "bearerbox admin port" curl -fsS "$STATUS_URL"
smsbox -v 2 kannel.conf >smsbox.out 2>&1 &
SB_PID=$!
PIDS=("$SB_PID" "$BB_PID" "$SIM_PID")
[[ -z $SINK_PID ]] || PIDS+=("$SINK_PID")
wait_for 30 "smsbox sendsms port" curl -sS -o /dev/null http://127.0.0.1:13930/

say "warm-up: $W messages with the simulator listening"
sim listen >/dev/null
wait_for 30 "bind" smsc_online
inject warm "$W" | tee injector-warm.log | grep INJECTED
if [[ $FIGURE == A ]]; then
  wait_for 300 "warm-up submits" at_least "$W" sim_submits
else
  wait_for 300 "warm-up reports" at_least "$W" sink_callbacks
fi
say "warm-up done: $(sim status | head -1)"

sim kill >/dev/null
wait_for 30 "bearerbox to see the SMSC gone" smsc_offline
say "queueing $N messages while the SMSC is down"
inject m "$N" | tee injector.log | grep INJECTED
wait_for 120 "bearerbox to hold all $N" at_least "$N" bb_queued
curl -fsS "$STATUS_URL" >status-queued.txt
grep -E '^SMS:|SMPP:' status-queued.txt || true

sim "mark?n=$N" >/dev/null
[[ -z $SINK_PID ]] || curl -fsS "$SINK/mark?run=m&n=$N" >/dev/null
declare -A CPU0
for p in BB_PID SB_PID SIM_PID SINK_PID; do [[ -z ${!p} ]] || CPU0[$p]=$(ticks "${!p}"); done
read -r BUSY0 STEAL0 < <(machine_busy)
all_ticks >ticks-start.txt
thread_ticks "$BB_PID" >bb-threads-start.txt
thread_ticks "$SB_PID" >sb-threads-start.txt
T0=$(date +%s.%N)
say "SMSC up: sending"
sim listen >/dev/null
# bearerbox's own counters once a second (queued messages, DLRs waiting in its internal store)
while sleep 1; do
  printf '%s %s\n' "$(date +%T)" "$(curl -fsS "$STATUS_URL" | grep -E '^SMS: received|^DLR: [0-9]+ queued' | tr '\n' ' ')"
done >status-series.txt 2>&1 &
SAMPLER_PID=$!
PIDS=("$SAMPLER_PID" "${PIDS[@]}")
if [[ $FIGURE == A ]]; then
  POLL=0.5 wait_for 900 "all submits" sh -c "curl -fsS $SIM_CTL/status | grep -q 'submits first='"
else
  POLL=0.5 wait_for 900 "all reports" sh -c "curl -fsS $SINK/status | grep -q 'rate='"
fi
T1=$(date +%s.%N)
kill "$SAMPLER_PID"
read -r BUSY1 STEAL1 < <(machine_busy)
all_ticks >ticks-end.txt
thread_ticks "$BB_PID" >bb-threads-end.txt
thread_ticks "$SB_PID" >sb-threads-end.txt
declare -A CPU1
for p in BB_PID SB_PID SIM_PID SINK_PID; do [[ -z ${!p} ]] || CPU1[$p]=$(ticks "${!p}"); done
curl -fsS "$STATUS_URL" >status-end.txt

{
  echo "figure $FIGURE, $N messages, store $STORE, window 100, dlr-storage internal, throughput ${THROUGHPUT:-unlimited}"
  sim status
  [[ -z $SINK_PID ]] || curl -fsS "$SINK/status"
  printf 'window %.1f s (mark to done, includes the reconnect)\n' "$(echo "$T1 - $T0" | bc)"
  MINE=0
  for p in BB_PID SB_PID SIM_PID SINK_PID; do
    [[ -z ${!p} ]] && continue
    d=$((CPU1[$p] - CPU0[$p]))
    MINE=$((MINE + d))
    printf 'CPU %-8s %7.2f s  %6.1f us/message\n' "${p%_PID}" "$(echo "$d / 100" | bc -l)" \
      "$(echo "$d * 10000 / $N" | bc -l)"
  done
  busy=$((BUSY1 - BUSY0))
  printf 'machine busy %.2f CPU-s of %.2f (2 CPUs), steal %.2f; these processes %.2f, the rest %.2f\n' \
    "$(echo "$busy / 100" | bc -l)" "$(echo "2 * ($T1 - $T0)" | bc -l)" \
    "$(echo "($STEAL1 - $STEAL0) / 100" | bc -l)" "$(echo "$MINE / 100" | bc -l)" \
    "$(echo "($busy - $MINE) / 100" | bc -l)"
  for box in bb sb; do
    printf '  %s threads over 0.1 CPU-s:' "$box"
    awk 'NR == FNR { t[$1] = $2; next } $2 - t[$1] >= 10 { printf " %.2f", ($2 - t[$1]) / 100 }' \
      "$box-threads-start.txt" "$box-threads-end.txt"
    echo
  done
  echo "other processes over 0.1 CPU-s in the window (CPU-s, pid, command):"
  awk -v mine=" $BB_PID $SB_PID $SIM_PID $SINK_PID " 'NR == FNR { t[$1] = $2; next }
    ($1 in t) && index(mine, " " $1 " ") == 0 && $2 - t[$1] >= 10 {
      printf "  %6.2f %s %s\n", ($2 - t[$1]) / 100, $1, $3 }' ticks-start.txt ticks-end.txt
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E '^SMS:|^DLR:' status-end.txt || true
  grep -E 'SMPP:' status-end.txt || true
} | tee result.txt
