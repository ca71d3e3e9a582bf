"""Commit-to-replica lag and uploads per minute, ours against Litestream 0.3.13, same machine, same run.

Usage: commit_lag.py OURS THEIRS WORKDIR [commits] [seconds_per_rate] [runs]
Each tool replicates a fresh WAL database to a file replica at its default settings (monitor 1 s, sync-interval 1 s).
Lag: a commit about every 1.1 s (sparse), timed from COMMIT returning until a new file appears in the replica (both
tools write a temp file and rename it, so a file that appears is complete). Uploads: files created in the replica
while committing at 1, 10 and 1,000 commits/s, scaled to a minute; ours also as L0 files alone (the rest is level 1
compaction every 30 s, which Litestream 0.3 does not have and 0.5 does). Every run ends with the tool's own restore
compared (.dump of the application's table) with the source; a differing restore fails before any figure is printed.
"""
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

ours, theirs, work = sys.argv[1], sys.argv[2], sys.argv[3]
commits = int(sys.argv[4]) if len(sys.argv) > 4 else 30
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 20
runs = int(sys.argv[6]) if len(sys.argv) > 6 else 2
binaries = {"ours": ours, "theirs": theirs}


def replica_files(replica):
    found = set()
    for folder, _, files in os.walk(replica):
        found.update(os.path.join(folder, f) for f in files if not f.endswith(".tmp") and ".tmp" not in f and f != "lock.json")
    return found


def start(tool, case):
    os.makedirs(case)
    db = os.path.join(case, "app.db")
    replica = os.path.join(case, "replica")
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode = wal")
    connection.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, ts REAL, body BLOB)")
    config = os.path.join(case, "litestream.yml")
    with open(config, "w") as f:
        f.write(f"dbs:\n  - path: {db}\n    replicas:\n      - type: file\n        path: {replica}\n")
    log = open(os.path.join(case, "log"), "w")
    process = subprocess.Popen([binaries[tool], "replicate", "-config", config], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not replica_files(replica):
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit(f"{tool}: the replica never appeared (see {case}/log)")
        time.sleep(0.05)
    time.sleep(2)
    return process, connection, db, replica, config


def commit(connection):
    connection.execute("BEGIN")
    connection.execute("INSERT INTO t(ts, body) VALUES (?, randomblob(100))", (time.time(),))
    connection.execute("COMMIT")


def stop_and_check(tool, process, connection, db, config, case):
    connection.close()
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    restored = os.path.join(case, "restored.db")
    result = subprocess.run([binaries[tool], "restore", "-config", config, "-o", restored, db], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{tool}: restore failed: {result.stderr.strip().splitlines()[-1:]}")
    dump = lambda path: subprocess.run(["sqlite3", path, ".dump t"], capture_output=True, text=True, check=True).stdout
    if dump(db) != dump(restored):
        raise SystemExit(f"{tool}: the restore differs from the source ({case})")


def lag_run(tool, case):
    process, connection, db, replica, config = start(tool, case)
    lags = []
    for _ in range(commits):
        time.sleep(1.1 + random.uniform(-0.05, 0.05))
        before = replica_files(replica)
        commit(connection)
        committed = time.monotonic()
        while replica_files(replica) <= before:
            if time.monotonic() - committed > 30:
                raise SystemExit(f"{tool}: a commit did not reach the replica within 30 s")
            time.sleep(0.002)
        lags.append((time.monotonic() - committed) * 1000)
    stop_and_check(tool, process, connection, db, config, case)
    return lags


def upload_run(tool, case, rate):
    process, connection, db, replica, config = start(tool, case)
    seen = replica_files(replica)
    created = set()
    begin = time.monotonic()
    n = 0
    last_scan = begin
    while time.monotonic() - begin < seconds:
        n += 1
        commit(connection)
        delay = begin + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if time.monotonic() - last_scan > 0.05:
            created |= replica_files(replica) - seen
            last_scan = time.monotonic()
    created |= replica_files(replica) - seen
    stop_and_check(tool, process, connection, db, config, case)
    level0 = [f for f in created if os.sep + os.path.join("ltx", "0") + os.sep in f]
    return len(created) * 60 / seconds, n / seconds, len(level0) * 60 / seconds


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


lags = {"ours": [], "theirs": []}
uploads = {(tool, rate): [] for tool in binaries for rate in (1, 10, 1000)}
for run in range(runs):
    for tool in (("ours", "theirs") if run % 2 == 0 else ("theirs", "ours")):
        lags[tool] += lag_run(tool, os.path.join(work, f"lag-{tool}-{run}"))
        for rate in (1, 10, 1000):
            uploads[(tool, rate)].append(upload_run(tool, os.path.join(work, f"up-{tool}-{rate}-{run}"), rate))

print(f"lag commit -> replica, default config, a commit every ~1.1 s ({commits} x {runs} runs per tool; every restore = source)")
for tool in binaries:
    print(f"  {tool:6} p50 {pct(lags[tool], 50):6.0f} ms  p90 {pct(lags[tool], 90):6.0f} ms  max {max(lags[tool]):6.0f} ms")
print(f"  ratio ours/theirs: p50 {pct(lags['ours'], 50) / pct(lags['theirs'], 50):.2f}x  p90 {pct(lags['ours'], 90) / pct(lags['theirs'], 90):.2f}x")
print(f"files written to the replica per minute ({seconds:.0f} s per rate, median of {runs})")
for rate in (1, 10, 1000):
    row = {tool: statistics.median(u[0] for u in uploads[(tool, rate)]) for tool in binaries}
    achieved = {tool: statistics.median(u[1] for u in uploads[(tool, rate)]) for tool in binaries}
    level0 = statistics.median(u[2] for u in uploads[("ours", rate)])
    print(f"  {rate:5} commits/s (kept {achieved['ours']:.0f} / {achieved['theirs']:.0f}): ours {row['ours']:5.0f} ({level0:.0f} of level 0)"
          f"  theirs {row['theirs']:5.0f}  ratio {row['ours'] / max(row['theirs'], 1):.2f}x")
