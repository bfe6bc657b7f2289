#!/usr/bin/env python3
"""CPU of the processes around a UssdLoadBenchmark run, sampled once a second from /proc.

Usage: cpu-sampler.py OUT SECONDS [DB]   (DB defaults to "test"; stops after SECONDS at most)

Each line of OUT: epoch seconds, then cumulative CPU seconds (utime + stime) since the sampler
started, for
  pg_app    backends whose application_name is 'node-ussd-reference' (the app's pg Pool)
  pg_db     every backend of database DB ("postgres: 15/main: postgres DB ...")
  pg_aux    PostgreSQL's own processes (walwriter, checkpointer, background writer, autovacuum)
  redis     redis-server
  app       every process running server.js (one, or a cluster's primary and workers)
  loadgen   the UssdLoadBenchmark JVM
  other_java every other JVM (a gateway or build someone else left running on the machine)
  machine   all CPUs, from /proc/stat (busy = everything but idle and iowait)
A process that exits keeps its last reading; one that starts counts from zero, so nothing is
lost or counted twice while the pids change. Subtract two lines to get a window's CPU.
"""
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
KEYS = ("pg_app", "pg_db", "pg_aux", "redis", "app", "loadgen", "other_java")


def cpu_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def app_backends(db):
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atc",
         "select pid from pg_stat_activity where application_name = 'node-ussd-reference'"],
        capture_output=True, text=True, check=False).stdout
    return {int(x) for x in out.split()}


def machine_busy():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]
    return (sum(cpu[:8]) - idle) / TICK


class Group:
    """Cumulative CPU of a changing set of pids."""

    def __init__(self):
        self.base = {}
        self.last = {}

    def see(self, pid, now_cpu, first_sample):
        if now_cpu is None:
            return
        if pid not in self.base:
            # Present at the first sample: count from here. Born later: count from zero.
            self.base[pid] = now_cpu if first_sample else 0.0
        self.last[pid] = now_cpu

    def total(self):
        return sum(self.last[p] - self.base[p] for p in self.last)


def main():
    out_path, seconds = sys.argv[1], float(sys.argv[2])
    db = sys.argv[3] if len(sys.argv) > 3 else "test"
    groups = {k: Group() for k in KEYS}
    m0 = machine_busy()
    start = time.time()
    app = set()
    first = True
    i = 0
    with open(out_path, "w") as out:
        out.write("epoch " + " ".join(KEYS) + " machine\n")
        while time.time() - start < seconds:
            if i % 3 == 0:
                app |= app_backends(db)
            for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
                c = cmdline(pid)
                if c.startswith(f"postgres: 15/main: postgres {db} "):
                    v = cpu_of(pid)
                    groups["pg_db"].see(pid, v, first)
                    if pid in app:
                        g = groups["pg_app"]
                        if pid not in g.base and v is not None:
                            g.base[pid] = groups["pg_db"].base[pid]
                        g.see(pid, v, first)
                elif c.startswith("postgres: 15/main: ") and any(
                        w in c for w in ("walwriter", "checkpointer", "background writer",
                                         "autovacuum")):
                    groups["pg_aux"].see(pid, cpu_of(pid), first)
                elif c.startswith("redis-server"):
                    groups["redis"].see(pid, cpu_of(pid), first)
                elif os.path.basename(c.split(" ")[0]) == "node" and "server.js" in c:
                    groups["app"].see(pid, cpu_of(pid), first)
                elif os.path.basename(c.split(" ")[0]) == "java":
                    key = "loadgen" if "UssdLoadBenchmark" in c else "other_java"
                    groups[key].see(pid, cpu_of(pid), first)
            out.write("%.3f %s %.2f\n" % (
                time.time(),
                " ".join("%.2f" % groups[k].total() for k in KEYS),
                machine_busy() - m0))
            out.flush()
            first = False
            i += 1
            time.sleep(1)


if __name__ == "__main__":
    main()
