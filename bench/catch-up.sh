#!/usr/bin/env bash
# Catch-up: from `replicate` start until the first complete upload of a SIZE_MB database (bench/make-db.sh rows) to a
# file replica, ours against Litestream 0.3.13, same machine, same run, RUNS alternating runs each (fresh replica and
# local state every run), with the replicator's CPU seconds at that moment and its peak RSS. "Complete" is ours: the
# L0 file renamed into place; Litestream 0.3.13 writes its snapshot in place, so for it the moment its log says
# "snapshot written". Each tool's last replica is restored and compared (SQLite's .sha3sum of the whole database)
# with the source, or the run fails without a figure. One untimed round of both tools comes first: the database just
# made is slower to read for either tool in its first runs after it was written (up to 1.6× for ours, 1.3× for
# Litestream's, bench/RESULTS.md), and a database a replicator catches up with was written long before. A run that
# takes more than twice its tool's median has its log printed after the table.
# Usage: bench/catch-up.sh [size_mb] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size="${1:-1024}"; runs="${2:-3}"
source "$root/bench/vs-litestream.sh"
ticks=$(getconf CLK_TCK)
"$root/bench/make-db.sh" "$work/app.db" "$size"
sqlite3 "$work/app.db" "PRAGMA journal_mode=WAL;" >/dev/null
now() { date +%s.%N; }

uploaded() { # tool: whether the first upload is complete
  if [[ $1 == ours* ]]; then
    compgen -G "$work/replica-$1/ltx/0/*.ltx" >/dev/null
  else
    grep -q "snapshot written" "$work/log-$1" 2>/dev/null
  fi
}

run_once() { # tool [log]: prints "seconds cpu_s peak_rss_mb"
  rm -rf "$work/replica-$1" "$work/.app.db-litestream" "$work/app.db-litestream"
  printf 'dbs:\n  - path: %s\n    replicas:\n      - path: %s\n' "$work/app.db" "$work/replica-$1" > "$work/$1.yml"
  # The previous run's files are on disk first: neither tool waits for the other's writeback.
  sync
  local start; start=$(now)
  "${bins[$1]}" replicate -config "$work/$1.yml" >"$work/log-$1" 2>&1 &
  local pid=$!
  until uploaded "$1"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log-$1" >&2; echo "$1 exited before its first upload" >&2; exit 1; }
    sleep 0.02
  done
  local took cpu rss
  took=$(echo "$(now) - $start" | bc)
  cpu=$(awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$pid/stat")
  rss=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  sleep 1
  kill -INT "$pid"; wait "$pid" || true
  [ -z "${2:-}" ] || cp "$work/log-$1" "$2"
  echo "$took $cpu $rss"
}

declare -A took cpu rss
for tool in "${order[@]}"; do run_once "$tool" >/dev/null; done
for ((i = 0; i < runs; i++)); do
  for tool in "${order[@]}"; do
    read -r t c r <<<"$(run_once "$tool" "$work/run-$tool-$i.log")"
    took[$tool]+="$t "; cpu[$tool]+="$c "; rss[$tool]+="$r "
  done
done

for tool in "${order[@]}"; do
  rm -f "$work/restored-$tool.db"
  "${bins[$tool]}" restore -config "$work/$tool.yml" -o "$work/restored-$tool.db" "$work/app.db" >/dev/null 2>&1 \
    || { echo "FAIL: $tool could not restore its replica" >&2; exit 1; }
  # Litestream 0.3.13 keeps bookkeeping tables in the database and writes them after its snapshot: for it the
  # application's table is compared, for ours the whole database.
  what=""; [[ $tool == ours* ]] || what=" t"
  [ "$(sqlite3 "$work/restored-$tool.db" ".sha3sum$what")" = "$(sqlite3 "$work/app.db" ".sha3sum$what")" ] \
    || { echo "FAIL: $tool's replica does not restore to the source" >&2; exit 1; }
done

base=$(tr ' ' '\n' <<<"${took[litestream-0.3.13]}" | grep . | median 2)
printf '%s MB database (%s runs each after an untimed one)\n\n' "$(( $(stat -c %s "$work/app.db") / 1000000 ))" "$runs"
printf '| tool | to first complete upload (median s) | runs | ratio | CPU s (median) | peak RSS MB (median) |\n|---|---|---|---|---|---|\n'
for tool in "${order[@]}"; do
  m=$(tr ' ' '\n' <<<"${took[$tool]}" | grep . | median 2)
  printf '| %s | %s | %s | %.2f× | %s | %s |\n' "$tool" "$m" "${took[$tool]% }" "$(echo "$m / $base" | bc -l)" \
    "$(tr ' ' '\n' <<<"${cpu[$tool]}" | grep . | median 2)" "$(tr ' ' '\n' <<<"${rss[$tool]}" | grep . | median 2)"
done
echo "each tool's replica restored to the source (.sha3sum)"
for tool in "${order[@]}"; do
  m=$(tr ' ' '\n' <<<"${took[$tool]}" | grep . | median 2)
  i=0
  for t in ${took[$tool]}; do
    if (( $(echo "$t > 2 * $m" | bc) )); then printf '\n%s run %s took %s s; its log:\n' "$tool" "$((i + 1))" "$t"; cat "$work/run-$tool-$i.log"; fi
    i=$((i + 1))
  done
done
