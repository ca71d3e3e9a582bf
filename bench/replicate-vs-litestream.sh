#!/usr/bin/env bash
# End-to-end replication benchmark against Litestream 0.3.13 on the same machine, in the same run, with the same
# paced write load (1-row transactions of ~1 KiB). Prints per-run figures and the ratios:
#   replicator CPU seconds per MB written (ours / theirs), application tx/s kept (with replicator / without),
#   peak RSS, RSS per further database, CPU and uploads while idle.
# Every run with a replicator ends with that tool's own restore compared (.dump) with the source; a restore that
# differs fails the benchmark before any figure of that run is printed.
# Usage: bench/replicate-vs-litestream.sh [rate_tx_per_s] [seconds] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rate="${1:-1000}"; seconds="${2:-10}"; runs="${3:-3}"
"$root/scripts/install-test-tools.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
ours="$root/src/Cli/bin/Release/litestream"
theirs="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
writer="$root/bench/LitestreamActors.Benchmarks/bin/Release/net10.0/LitestreamActors.Benchmarks"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)

config() { # db [db...]: v0.3-style YAML both tools read, one file replica per database
  echo "dbs:"
  local n=0
  for db in "$@"; do
    n=$((n + 1))
    printf '  - path: %s\n    replicas:\n      - type: file\n        path: %s/replica-%d\n' "$db" "$work/case" "$n"
  done
}

new_db() { sqlite3 "$1" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, ts REAL, tag TEXT, body BLOB);" >/dev/null; }

wait_for_replica() {
  for _ in $(seq 200); do
    if find "$work/case" -path '*replica-1*' \( -name '*.ltx' -o -name '*.snapshot.lz4' \) 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.1
  done
  echo "replica never appeared" >&2; return 1
}

cpu_of() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }

# restore_differs tool db config: prints why the tool's own restore is not the source, or nothing when it is.
restore_differs() {
  local bin="$ours" out="$work/case/restored.db"; [ "$1" = theirs ] && bin="$theirs"
  rm -f "$out"
  if ! "$bin" restore -config "$3" -o "$out" "$2" >"$work/case/restore.log" 2>&1; then
    echo "restore failed: $(tail -1 "$work/case/restore.log")"; return
  fi
  # Ours restores the whole database; Litestream 0.3.13's bookkeeping tables may move after its last sync, so for it
  # the application's table is compared.
  local what=""; [ "$1" = theirs ] && what=" t"
  if [ "$(sqlite3 "$2" ".dump$what" | sha256sum)" != "$(sqlite3 "$out" ".dump$what" | sha256sum)" ]; then
    echo "restored $(sqlite3 "$out" 'SELECT count(*) FROM t') rows, the source holds $(sqlite3 "$2" 'SELECT count(*) FROM t')"
  fi
}

# One run: tool = none | ours | theirs, at a write rate (0 = saturating). Prints "tx_per_sec mb cpu_s peak_rss_mb start_cpu_s":
# cpu_s is the replicator's CPU from the first write to 2.5 s after the last (steady state), start_cpu_s what it used
# to start and take its first snapshot.
run_case() {
  local tool="$1" load="$2"
  rm -rf "$work/case"; mkdir -p "$work/case"
  local db="$work/case/db.sqlite"
  new_db "$db"
  config "$db" > "$work/case/litestream.yml"
  local pid=""
  if [ "$tool" != none ]; then
    local bin="$ours"; [ "$tool" = theirs ] && bin="$theirs"
    "$bin" replicate -config "$work/case/litestream.yml" >"$work/case/log" 2>&1 &
    pid=$!
    wait_for_replica
    sleep 1
  fi
  local start_cpu=0; [ -n "$pid" ] && start_cpu=$(cpu_of "$pid")
  local out; out="$("$writer" write "$db" "$load" "$seconds")"
  local tps mb; tps=$(echo "$out" | sed -E 's/.*tx_per_sec=([0-9]+).*/\1/'); mb=$(echo "$out" | sed -E 's/.*mb=([0-9.]+).*/\1/')
  if [ -n "$pid" ]; then
    sleep 2.5
    local cpu rss; cpu=$(echo "$(cpu_of "$pid") $start_cpu" | awk '{ printf "%.2f", $1 - $2 }'); rss=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
    kill -INT "$pid"; wait "$pid" || true
    local differs; differs="$(restore_differs "$tool" "$db" "$work/case/litestream.yml")"
    if [ -n "$differs" ]; then echo "FAIL $differs"; return; fi
    echo "$tps $mb $cpu $rss $start_cpu"
  else
    echo "$tps $mb 0 0 0"
  fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# fail_if_differs tool load result: a run whose restore differed ends the benchmark with no figure.
fail_if_differs() {
  case "$3" in FAIL*) echo "FAILED: $1, $2: ${3#FAIL }; the restore differs from the source, so no figure is reported" >&2; exit 1 ;; esac
}

declare -A tps mbs cpus rsss sat
for run in $(seq "$runs"); do
  for tool in none ours theirs; do
    result="$(run_case "$tool" "$rate")"; fail_if_differs "$tool" "paced $rate tx/s" "$result"
    read -r t m c r s <<<"$result"
    tps[$tool]+="$t "; mbs[$tool]+="$m "; cpus[$tool]+="$c "; rsss[$tool]+="$r "
    echo "run $run $tool, paced $rate tx/s: app ${t} tx/s, ${m} MB written, replicator CPU ${c}s (startup ${s}s), peak RSS ${r} MB"
    result="$(run_case "$tool" 0)"; fail_if_differs "$tool" saturating "$result"
    read -r t m c r s <<<"$result"
    sat[$tool]+="$t "
    echo "run $run $tool, saturating: app ${t} tx/s, ${m} MB written, replicator CPU ${c}s, peak RSS ${r} MB"
  done
done

echo
for tool in none ours theirs; do
  # shellcheck disable=SC2086
  printf '%-7s median app tx/s %s, CPU s %s, CPU ms/MB %s, peak RSS MB %s\n' "$tool" "$(median ${tps[$tool]})" "$(median ${cpus[$tool]})" \
    "$(echo "$(median ${cpus[$tool]}) $(median ${mbs[$tool]})" | awk '{ printf "%.1f", ($2 > 0 ? 1000 * $1 / $2 : 0) }')" "$(median ${rsss[$tool]})"
done
# shellcheck disable=SC2086
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }
ours_cpu_mb=$(echo "$(median ${cpus[ours]}) $(median ${mbs[ours]})" | awk '{ print $1 / $2 }')
theirs_cpu_mb=$(echo "$(median ${cpus[theirs]}) $(median ${mbs[theirs]})" | awk '{ print $1 / $2 }')
echo "ratio CPU per MB ours/theirs: $(ratio "$ours_cpu_mb" "$theirs_cpu_mb") (target <= 0.5)"
echo "saturating writer, median tx/s: none $(median ${sat[none]}), ours $(median ${sat[ours]}), theirs $(median ${sat[theirs]})"
echo "app tx/s kept with ours: $(ratio "$(median ${sat[ours]})" "$(median ${sat[none]})") (target >= 0.90); with theirs: $(ratio "$(median ${sat[theirs]})" "$(median ${sat[none]})")"

# Idle: no writes for 10 s after the first snapshot.
for tool in ours theirs; do
  rm -rf "$work/case"; mkdir -p "$work/case"; new_db "$work/case/db.sqlite"; config "$work/case/db.sqlite" > "$work/case/litestream.yml"
  bin="$ours"; [ "$tool" = theirs ] && bin="$theirs"
  "$bin" replicate -config "$work/case/litestream.yml" >"$work/case/log" 2>&1 & pid=$!
  wait_for_replica; sleep 2
  files0=$(find "$work/case/replica-1" -type f | wc -l); cpu0=$(cpu_of "$pid")
  sleep 10
  files1=$(find "$work/case/replica-1" -type f | wc -l); cpu1=$(cpu_of "$pid")
  kill -INT "$pid"; wait "$pid" || true
  echo "idle $tool: $((files1 - files0)) uploads, $(echo "$cpu1 $cpu0" | awk '{ printf "%.2f", $1 - $2 }') CPU s in 10 s"
done

# RSS of our replicate with 1 and with 21 databases, after startup settles.
for n in 1 21; do
  rm -rf "$work/case"; mkdir -p "$work/case"; dbs=()
  for i in $(seq "$n"); do new_db "$work/case/db$i.sqlite"; dbs+=("$work/case/db$i.sqlite"); done
  config "${dbs[@]}" > "$work/case/litestream.yml"
  "$ours" replicate -config "$work/case/litestream.yml" >"$work/case/log" 2>&1 & pid=$!
  wait_for_replica; sleep 5
  rss[$n]=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
  kill -INT "$pid"; wait "$pid" || true
done
echo "ours peak RSS: 1 database ${rss[1]} MB, 21 databases ${rss[21]} MB, $(echo "${rss[21]} ${rss[1]}" | awk '{ printf "%.2f", ($1 - $2) / 20 }') MB per further database"
