#!/usr/bin/env bash
# Creates the benchmarks' test database: 1 KB rows (text, 400 random bytes, 500 zero bytes), about SIZE_MB.
# Usage: bench/make-db.sh PATH SIZE_MB
set -euo pipefail
rows=$(($2 * 1024 * 1024 / 1100))
sqlite3 "$1" <<SQL
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT, body BLOB);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT $rows)
INSERT INTO t SELECT x, printf('row %d of the benchmark %s', x, hex(randomblob(24))), randomblob(400) || zeroblob(500) FROM c;
SQL
