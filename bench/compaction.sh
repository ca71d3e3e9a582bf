#!/usr/bin/env bash
# Compaction benchmark (issue 5), two parts, both on histories simulated with the real compaction and retention code
# (bench/LitestreamActors.Benchmarks/HistorySimulator.cs) at upstream's default levels (30s/5m/1h, L0 kept 5m):
#  1. restore of a ~1 GB database with a day of history (one commit every 10 s, 8 pages each) from the compacted
#     replica against the same history held as L0 files only; alternating runs, medians, ratio; every restore is
#     compared byte for byte with the source.
#  2. objects written per hour and held at the end, at one commit per second for 3 simulated hours (8 MB database).
# Usage: bench/compaction.sh [size_mb] [runs]     (BENCH_DIR to keep the data somewhere specific)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mb="${1:-1024}"
runs="${2:-3}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"

dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
bin="$root/src/Cli/bin/Release/litestream"
bench="$root/bench/LitestreamActors.Benchmarks/bin/Release/net10.0/LitestreamActors.Benchmarks"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "== part 1: restore with a day of compacted history vs L0 only"
db="$work/source.db"
[ -f "$db" ] || "$root/bench/make-db.sh" "$db" "$size_mb"
rm -rf "$work/l0" "$work/compacted" "$work/scratch"
"$bench" history "$db" "$work/l0" "$work/compacted" 8640 10 8
for replica in l0 compacted; do
  echo "$replica: $(du -sm "$work/$replica" | cut -f1) MB, latest restore plan holds" \
    "$("$bin" restore -dry-run -json -o "$work/plan.db" "file://$work/$replica" | grep -c '"level"') files"
done
l0_times=(); compacted_times=()
for i in $(seq "$runs"); do
  for replica in l0 compacted; do
    rm -f "$work/restored.db"; sync
    start=$(date +%s.%N)
    "$bin" restore -o "$work/restored.db" "file://$work/$replica" 2>/dev/null
    end=$(date +%s.%N)
    cmp "$db" "$work/restored.db"
    t=$(echo "$end - $start" | bc)
    if [ "$replica" = l0 ]; then l0_times+=("$t"); else compacted_times+=("$t"); fi
    echo "run $i: $replica ${t}s (identical to the source)"
  done
done
ml=$(median "${l0_times[@]}"); mc=$(median "${compacted_times[@]}")
echo "median restore: L0 only ${ml}s, compacted ${mc}s, compacted/L0 ratio $(echo "scale=2; $mc / $ml" | bc)"

echo "== part 2: objects at one commit per second"
small="$work/small.db"
rm -f "$small"; "$root/bench/make-db.sh" "$small" 8
rm -rf "$work/l0" "$work/compacted" "$work/scratch"
"$bench" history "$small" "$work/l0" "$work/compacted" 10800 1 4
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
