#!/usr/bin/env python3
"""Writes a ledger load into an SQLite database with Python's sqlite3 module, as fast as it goes or paced.

Each transaction of writer W inserts ROWS rows into t(w, h, v) (h a random 31-bit number, v random bytes) and records
W's running row count and sum of h in ledger, so any committed state can be checked: for every writer, the rows of t
agree with its ledger row (tests/LitestreamActors.TestSupport/Ledger.cs).

usage: ledger_writer.py DB CONNECTIONS TRANSACTIONS ROWS BLOB_BYTES RATE AUTOCHECKPOINT [SECONDS]
  TRANSACTIONS per connection; RATE transactions a second over all connections, 0 for as fast as they go;
  AUTOCHECKPOINT the pages of wal_autocheckpoint, -1 for SQLite's default; SECONDS ends the load after that long
  (a writer killed mid-commit can leave a transaction that SQLite's next recovery completes, which no replicator saw).
"""
import random
import sqlite3
import sys
import threading
import time


def write(db, writer, transactions, rows, blob, interval, autocheckpoint, seconds, errors):
    try:
        connection = sqlite3.connect(db, isolation_level=None, timeout=60)
        connection.execute("PRAGMA journal_mode = wal")
        connection.execute("PRAGMA synchronous = normal")
        if autocheckpoint >= 0:
            connection.execute(f"PRAGMA wal_autocheckpoint = {autocheckpoint}")
        total, hsum = connection.execute(
            "SELECT coalesce(max(rows), 0), coalesce(max(hsum), 0) FROM ledger WHERE w = ?", (writer,)).fetchone()
        start = time.monotonic()
        for seq in range(1, transactions + 1):
            if seconds > 0 and time.monotonic() - start >= seconds:
                break
            values = [(writer, random.getrandbits(31), blob) for _ in range(rows)]
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("INSERT INTO t(w, h, v) VALUES (?, ?, randomblob(?))", values)
            total += rows
            hsum += sum(v[1] for v in values)
            connection.execute(
                "INSERT INTO ledger(w, seq, rows, hsum) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(w) DO UPDATE SET seq = excluded.seq, rows = excluded.rows, hsum = excluded.hsum",
                (writer, seq, total, hsum))
            connection.execute("COMMIT")
            if interval > 0:
                delay = start + seq * interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        connection.close()
    except Exception as e:  # reported by the main thread
        errors.append(f"writer {writer}: {e}")


def main():
    db, connections, transactions, rows, blob, rate, autocheckpoint = sys.argv[1], *map(int, sys.argv[2:8])
    seconds = float(sys.argv[8]) if len(sys.argv) > 8 else 0
    interval = connections / rate if rate > 0 else 0
    errors = []
    threads = [threading.Thread(target=write, args=(db, w, transactions, rows, blob, interval, autocheckpoint, seconds, errors))
               for w in range(1, connections + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
