#!/usr/bin/env bash
# End-to-end restore benchmark: a ~1 GB database held as one LTX snapshot in a file replica, restored by
# `litestream restore` (default -parallelism, and -parallelism 1: decoding on one core), against `cp` + fsync of the
# same file on the same machine, in the same run, alternating. Prints per-run wall times, medians, the ratios, and
# restore peak RSS (from /usr/bin/time); each restore must be byte-identical to the source. Also Litestream 0.3.13
# restoring its own backup of the same database (its snapshot and WAL segment, made by its `replicate` on a copy in WAL
# mode), alternating with ours; its restore must hold the source's table (`.sha3sum t`).
# Usage: bench/restore-1gb.sh [size_mb] [runs]     (BENCH_DIR to keep the data somewhere specific)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mb="${1:-1024}"
runs="${2:-5}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
db="$work/source.db"
replica="$work/replica"

dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
bin="$root/src/Cli/bin/Release/litestream"
bench="$root/bench/LitestreamActors.Benchmarks/bin/Release/net10.0/LitestreamActors.Benchmarks"

[ -f "$db" ] || "$root/bench/make-db.sh" "$db" "$size_mb"
rm -rf "$replica"
"$bench" snapshot "$db" "$replica"
echo "database: $(du -m "$db" | cut -f1) MB, snapshot: $(du -sm "$replica" | cut -f1) MB"

"$root/scripts/install-test-tools.sh" >/dev/null
theirs="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
lt="$work/litestream-0.3.13"
rm -rf "$lt"; mkdir -p "$lt"
cp "$db" "$lt/source.db"; sqlite3 "$lt/source.db" "PRAGMA journal_mode=WAL" >/dev/null
printf 'dbs:\n  - path: %s\n    replicas:\n      - path: %s\n' "$lt/source.db" "$lt/replica" > "$lt/litestream.yml"
"$theirs" replicate -config "$lt/litestream.yml" > "$lt/log" 2>&1 &
lt_pid=$!
for _ in $(seq 600); do grep -q "wal segment written" "$lt/log" && break; sleep 0.1; done
kill -INT "$lt_pid"; wait "$lt_pid" || true
grep -q "wal segment written" "$lt/log" || { echo "FAIL: Litestream 0.3.13 did not back the database up" >&2; exit 1; }
expected=$(sqlite3 "$db" ".sha3sum t")

cp_times=(); restore_times=(); serial_times=(); rss=(); theirs_times=()
# Each timed step starts from the same state: its output removed, the disk settled (sync, and a pause for the file
# system's discard of the blocks freed). The four steps rotate from run to run, so none always follows the same one.
settle() { rm -f "$work/copy.db" "$work/restored.db" "$work/theirs.db"; sync; sleep 2; }
step_cp() {
  local start end; start=$(date +%s.%N); cp "$db" "$work/copy.db"; sync "$work/copy.db"; end=$(date +%s.%N)
  cp_times+=("$(echo "$end - $start" | bc)")
}
step_restore() {
  local wall kb
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" restore -o "$work/restored.db" "file://$replica" 2>/dev/null
  read -r wall kb < "$work/time.txt"
  restore_times+=("$wall"); rss+=("$((kb / 1024))")
  cmp "$db" "$work/restored.db" || { echo "FAIL: restored file differs from the source" >&2; exit 1; }
}
step_serial() {
  /usr/bin/time -f "%e" -o "$work/time.txt" "$bin" restore -parallelism 1 -o "$work/restored.db" "file://$replica" 2>/dev/null
  serial_times+=("$(cat "$work/time.txt")")
  cmp "$db" "$work/restored.db" || { echo "FAIL: restored file (-parallelism 1) differs from the source" >&2; exit 1; }
}
step_theirs() {
  /usr/bin/time -f "%e" -o "$work/time.txt" "$theirs" restore -o "$work/theirs.db" "file://$lt/replica" 2>/dev/null
  theirs_times+=("$(cat "$work/time.txt")")
  [ "$(sqlite3 "$work/theirs.db" ".sha3sum t")" = "$expected" ] \
    || { echo "FAIL: Litestream 0.3.13's restore does not hold the source's table" >&2; exit 1; }
}
steps=(step_cp step_restore step_serial step_theirs)
for i in $(seq "$runs"); do
  for k in 0 1 2 3; do settle; "${steps[$(((i + k) % 4))]}"; done
  echo "run $i: cp+fsync ${cp_times[-1]}s, restore ${restore_times[-1]}s (-parallelism 1: ${serial_times[-1]}s), restore peak RSS ${rss[-1]} MB, Litestream 0.3.13 ${theirs_times[-1]}s"
done
settle
echo "every restored file was byte-identical to the source; every Litestream 0.3.13 restore held the source's table"

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mc=$(median "${cp_times[@]}"); mr=$(median "${restore_times[@]}"); ms=$(median "${serial_times[@]}")
echo "median cp+fsync ${mc}s, median restore ${mr}s (ratio $(echo "scale=2; $mr / $mc" | bc)), -parallelism 1 ${ms}s (ratio $(echo "scale=2; $ms / $mc" | bc)), max RSS $(printf '%s\n' "${rss[@]}" | sort -n | tail -1) MB"
mt=$(median "${theirs_times[@]}")
echo "median Litestream 0.3.13 restore of its own backup ${mt}s; ours against it: $(echo "scale=2; $mr / $mt" | bc)×"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
