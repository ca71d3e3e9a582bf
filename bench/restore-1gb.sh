#!/usr/bin/env bash
# End-to-end restore benchmark: a ~1 GB database held as one LTX snapshot in a file replica, restored by
# `litestream restore` (default -parallelism, and -parallelism 1: decoding on one core), against `cp` + fsync of the
# same file on the same machine, in the same run, alternating. Prints per-run wall times, medians, the ratios, and
# restore peak RSS (from /usr/bin/time); each restore must be byte-identical to the source.
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

cp_times=(); restore_times=(); serial_times=(); rss=()
for i in $(seq "$runs"); do
  rm -f "$work/copy.db" "$work/restored.db"; sync
  start=$(date +%s.%N); cp "$db" "$work/copy.db"; sync "$work/copy.db"; end=$(date +%s.%N)
  cp_times+=("$(echo "$end - $start" | bc)")
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" restore -o "$work/restored.db" "file://$replica" 2>/dev/null
  read -r wall kb < "$work/time.txt"
  restore_times+=("$wall"); rss+=("$((kb / 1024))")
  cmp "$db" "$work/restored.db" || { echo "FAIL: restored file differs from the source" >&2; exit 1; }
  rm -f "$work/restored.db"; sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" restore -parallelism 1 -o "$work/restored.db" "file://$replica" 2>/dev/null
  read -r serial _ < "$work/time.txt"
  serial_times+=("$serial")
  cmp "$db" "$work/restored.db" || { echo "FAIL: restored file (-parallelism 1) differs from the source" >&2; exit 1; }
  echo "run $i: cp+fsync ${cp_times[-1]}s, restore ${wall}s (-parallelism 1: ${serial}s), restore peak RSS $((kb / 1024)) MB"
done
echo "every restored file was byte-identical to the source"

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mc=$(median "${cp_times[@]}"); mr=$(median "${restore_times[@]}"); ms=$(median "${serial_times[@]}")
echo "median cp+fsync ${mc}s, median restore ${mr}s (ratio $(echo "scale=2; $mr / $mc" | bc)), -parallelism 1 ${ms}s (ratio $(echo "scale=2; $ms / $mc" | bc)), max RSS $(printf '%s\n' "${rss[@]}" | sort -n | tail -1) MB"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
