#!/usr/bin/env bash
# A saturating writer against ours and Litestream 0.3.13 on the same machine in the same run (issue 16): Python's
# sqlite3 commits 1-row transactions of 1 KiB as fast as it can, with one connection and with four, for SECONDS; every
# half second the WAL's size and the replicator's RSS are sampled. After the writer stops, the replicator gets 60 s
# to catch up (Litestream: until its replica stops growing for 10 s, up to 5 min) and stops; its own restore must equal the source (.dump of the application's tables), or the run fails
# without a figure (a failed Litestream restore is reported as such and the runs go on). Prints per run: transactions committed, the largest WAL and
# when it was reached, the bound issue 16 sets (the emergency TRUNCATE threshold plus one sync's worth: what the writer
# wrote in its busiest second), the largest RSS, and (ours) the seconds from the writer's end until the replica held everything.
# Usage: bench/saturating-writer.sh [seconds]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-180}"
"$root/scripts/install-test-tools.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
ours="$root/src/Cli/bin/Release/litestream"
theirs="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
work="$(mktemp -d)"
replicator=""
trap 'if [ -n "$replicator" ]; then kill -9 "$replicator" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data"

run() { # tool connections
  local tool="$1" connections="$2" bin="$ours"; [ "$tool" = theirs ] && bin="$theirs"
  rm -rf "$work/case"; mkdir -p "$work/case"
  local db="$work/case/app.db"
  sqlite3 "$db" "PRAGMA journal_mode=wal; CREATE TABLE t(id INTEGER PRIMARY KEY, w INTEGER NOT NULL, h INTEGER NOT NULL, v BLOB);
    CREATE TABLE ledger(w INTEGER PRIMARY KEY, seq INTEGER NOT NULL, rows INTEGER NOT NULL, hsum INTEGER NOT NULL);" >/dev/null
  printf 'dbs:\n  - path: %s\n    replicas:\n      - type: file\n        path: %s\n' "$db" "$work/case/replica" > "$work/case/litestream.yml"
  "$bin" replicate -config "$work/case/litestream.yml" > "$work/case/log" 2>&1 &
  local pid=$!
  replicator=$pid
  for _ in $(seq 300); do find "$work/case/replica" -type f 2>/dev/null | grep -q . && break; sleep 0.1; done
  python3 "$root/tests/writers/ledger_writer.py" "$db" "$connections" 1000000000 1 1024 0 -1 "$seconds" &
  local writer=$!
  # One sync's worth: the most the writer wrote (WAL frames, and its own checkpoints' pages: an upper bound) in any
  # 1 s (two samples apart), from its write() bytes in /proc.
  local wal=0 rss=0 walAt=0 burst=0 started=$SECONDS
  local -a written=(0 0 0) stamps=(0 0 0)
  while kill -0 "$writer" 2>/dev/null; do
    local w; w=$(stat -c %s "$db-wal" 2>/dev/null || echo 0); [ "$w" -gt "$wal" ] && wal=$w && walAt=$((SECONDS - started))
    local r; r=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status"); [ "$r" -gt "$rss" ] && rss=$r
    written=("${written[1]}" "${written[2]}" "$(awk '/^wchar/ { print $2 }' "/proc/$writer/io" 2>/dev/null || echo "${written[2]}")")
    stamps=("${stamps[1]}" "${stamps[2]}" "$(date +%s%N)")
    if [ "${stamps[0]}" -gt 0 ]; then
      local b; b=$(( (written[2] - written[0]) * 1000000000 / (stamps[2] - stamps[0]) )); [ "$b" -gt "$burst" ] && burst=$b
    fi
    sleep 0.5
  done
  if ! wait "$writer"; then
    # A writer stopped by a full disk (upstream's WAL grows without bound) is a result for upstream, a failure for ours.
    kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    echo "FAILED: $tool $connections conn: the writer stopped; WAL max $(echo "$wal" | awk '{ print $1 / 1048576 }') MB, RSS max $(echo "$rss" | awk '{ print $1 / 1024 }') MB, $(df -h "$work" | awk 'NR == 2 { print $4 }') left on the disk"
    rm -rf "$work/case"
    [ "$tool" = theirs ] && return 0
    exit 1
  fi
  local committed; committed=$(sqlite3 "$db" "SELECT coalesce(sum(seq), 0) FROM ledger")
  local caught="-"
  if [ "$tool" = ours ]; then
    local started=$SECONDS
    "$ours" sync -config "$work/case/litestream.yml" -wait -timeout 60 "$db" > /dev/null
    caught=$((SECONDS - started))
  else
    # No sync -wait upstream: it has caught up once its replica stops growing for 10 s (up to 5 min).
    local started=$SECONDS size=-1 now
    while [ $((SECONDS - started)) -lt 300 ]; do
      sleep 10
      now=$(du -sb "$work/case/replica" | cut -f1)
      [ "$now" = "$size" ] && break
      size=$now
    done
    caught="$((SECONDS - started - 10))"
  fi
  kill -INT "$pid"; wait "$pid" || true
  rm -f "$work/case/restored.db"
  if ! "$bin" restore -config "$work/case/litestream.yml" -o "$work/case/restored.db" "$db" > "$work/case/restore.log" 2>&1; then
    # Upstream's own restore failing is a result to report; ours failing fails the benchmark.
    echo "FAILED: $tool $connections conn: $committed tx committed, WAL max $(echo "$wal" | awk '{ print $1 / 1048576 }') MB; its restore: $(tail -1 "$work/case/restore.log")"
    [ "$tool" = theirs ] && return 0
    exit 1
  fi
  if [ "$(sqlite3 "$db" '.dump t ledger' | sha256sum)" != "$(sqlite3 "$work/case/restored.db" '.dump t ledger' | sha256sum)" ]; then
    echo "FAILED: $tool $connections conn: $committed tx committed, WAL max $(echo "$wal" | awk '{ print $1 / 1048576 }') MB, RSS max $(echo "$rss" | awk '{ print $1 / 1024 }') MB; its restore differs from the source (kept in /tmp/saturating-failed)"
    # Upstream's databases run to tens of GB: its logs are kept, ours the whole case.
    rm -rf /tmp/saturating-failed; mkdir -p /tmp/saturating-failed
    if [ "$tool" = theirs ]; then cp "$work/case/log" "$work/case/restore.log" /tmp/saturating-failed/; rm -rf "$work/case"; return 0; fi
    cp -r "$work/case/." /tmp/saturating-failed/
    exit 1
  fi
  printf '%-7s %d conn: %8d tx, WAL max %6.1f MB (at %d s; threshold + the busiest second %6.1f MB), RSS max %5.1f MB, caught up in %s s\n' \
    "$tool" "$connections" "$committed" "$(echo "$wal" | awk '{ print $1 / 1048576 }')" "$walAt" \
    "$(echo "$burst" | awk '{ print (121359 * 4096 + 32 + 121359 * 24 + $1) / 1048576 }')" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$caught"
}

for connections in ${CONNECTIONS:-1 4}; do
  [ -n "${ONLY:-}" ] && [ "$ONLY" != theirs ] || run theirs "$connections"
  [ -n "${ONLY:-}" ] && [ "$ONLY" != ours ] || run ours "$connections"
done
