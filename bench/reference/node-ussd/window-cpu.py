#!/usr/bin/env python3
"""Per measured window of a UssdLoadBenchmark run: CPU per hop of PostgreSQL and Redis.

Usage: window-cpu.py SAMPLES BENCH_OUTPUT
SAMPLES is cpu-sampler.py's file; BENCH_OUTPUT is the benchmark's output with each line prefixed
by the epoch second it was printed (see README.md). A result line is printed at the end of its
measured window, whose length is hops / (hops/s); the samples are interpolated to that window.
"""
import re
import sys


def load(path):
    rows = []
    with open(path) as f:
        head = f.readline().split()
        for line in f:
            v = [float(x) for x in line.split()]
            rows.append(dict(zip(head, v)))
    return head[1:], rows


def at(rows, t, key):
    if t <= rows[0]["epoch"]:
        return rows[0][key]
    for a, b in zip(rows, rows[1:]):
        if a["epoch"] <= t <= b["epoch"]:
            f = (t - a["epoch"]) / (b["epoch"] - a["epoch"])
            return a[key] + f * (b[key] - a[key])
    return rows[-1][key]


def main():
    keys, rows = load(sys.argv[1])
    pat = re.compile(r"sessions=(\d+) hops=(\d+) hops/s=(\d+)")
    with open(sys.argv[2]) as f:
        for line in f:
            stamp, _, text = line.partition(" ")
            m = pat.search(text)
            if not m:
                continue
            end = float(stamp)
            hops = int(m.group(2))
            seconds = round(hops / max(1, int(m.group(3))))
            start = end - seconds
            parts = []
            for k in keys:
                d = at(rows, end, k) - at(rows, start, k)
                parts.append("%s %.0f%% %.3fms/hop" % (k, 100 * d / seconds, 1000 * d / hops))
            print("sessions=%s window %ds: %s" % (m.group(1), seconds, "; ".join(parts)))


if __name__ == "__main__":
    main()
