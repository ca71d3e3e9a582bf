#!/usr/bin/env bash
# Many databases in one config (ten per folder, a folder replica each), ours against Litestream 0.3.13 on the same
# machine in the same run: seconds from start until every database's first upload, the most threads seen, seconds
# from SIGINT to exit; then, once up, the databases left idle for SETTLE seconds, the CPU used over the next IDLE seconds
# (percent of one core, from /proc/PID/stat) and the peak resident memory (VmHWM). Every database must have uploaded
# and (for ours) logged its final sync, and a sample of them must restore to the source's .dump, or the run fails
# without a figure. Usage: bench/many-databases.sh [databases] [runs] [settle] [idle]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-1000}"; runs="${2:-3}"; settle="${3:-30}"; idle="${4:-30}"
"$root/scripts/install-test-tools.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
ours="$root/src/Cli/bin/Release/litestream"
theirs="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

setup() { # fresh databases and a v0.3-style config both tools read
  rm -rf "$work/case"; mkdir -p "$work/case"
  echo "dbs:" > "$work/case/litestream.yml"
  local script="$work/case/create.sql"; : > "$script"
  for i in $(seq 0 $((count - 1))); do
    local dir="$work/case/dir$((i / 10))"; mkdir -p "$dir"
    echo "ATTACH '$dir/db$((i % 10)).db' AS x; CREATE TABLE x.t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO x.t(v) VALUES('first'); DETACH x;" >> "$script"
    printf '  - path: %s\n    replicas:\n      - type: file\n        path: %s\n' "$dir/db$((i % 10)).db" "$work/case/replicas/$i" >> "$work/case/litestream.yml"
  done
  sqlite3 :memory: < "$script"
}

uploaded() { # one find for all replicas: a process per replica would itself take seconds per poll
  find "$work/case/replicas" \( -name '*.ltx' -o -name '*.snapshot.lz4' \) 2>/dev/null | sed -E "s#^$work/case/replicas/([0-9]+)/.*#\\1#" | sort -u | wc -l; }

cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{print ($14 + $15) / tck}' "/proc/$1/stat"; }

run_case() { # tool: prints "up_seconds max_threads stop_seconds idle_cpu_percent peak_rss_mb", or FAIL and why
  local bin="$ours"; [ "$1" = theirs ] && bin="$theirs"
  setup
  local start; start=$(date +%s.%N)
  "$bin" replicate -config "$work/case/litestream.yml" >"$work/case/log" 2>&1 & local pid=$!
  local threads=0 up=""
  for _ in $(seq 1800); do
    local t; t=$(ls "/proc/$pid/task" 2>/dev/null | wc -l); [ "$t" -gt "$threads" ] && threads=$t
    if [ "$(uploaded)" -ge "$count" ]; then up=$(echo "$(date +%s.%N) - $start" | bc); break; fi
    sleep 0.2
  done
  [ -n "$up" ] || { kill -9 "$pid"; echo "FAIL not every database uploaded within 6 minutes"; return; }
  sleep "$settle"
  local before; before=$(cpu_seconds "$pid"); sleep "$idle"
  local idle_cpu; idle_cpu=$(echo "($(cpu_seconds "$pid") - $before) * 100 / $idle" | bc -l)
  local rss; rss=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$pid/status")
  local stopping; stopping=$(date +%s.%N)
  kill -INT "$pid"; wait "$pid" || true
  local stop; stop=$(echo "$(date +%s.%N) - $stopping" | bc)
  if [ "$1" = ours ] && [ "$(grep -c 'final sync complete' "$work/case/log")" -ne "$count" ]; then
    echo "FAIL not every database logged its final sync"; return
  fi
  for i in 0 $((count / 2)) $((count - 1)); do
    local db="$work/case/dir$((i / 10))/db$((i % 10)).db"
    rm -f "$work/case/restored.db"
    "$bin" restore -o "$work/case/restored.db" -config "$work/case/litestream.yml" "$db" >/dev/null 2>&1 || { echo "FAIL restore of database $i"; return; }
    [ "$(sqlite3 "$db" '.dump t')" = "$(sqlite3 "$work/case/restored.db" '.dump t')" ] || { echo "FAIL database $i restored differently"; return; }
  done
  printf '%s %s %s %.2f %.1f\n' "$up" "$threads" "$stop" "$idle_cpu" "$rss"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A ups threads stops idles rsss
for run in $(seq "$runs"); do
  for tool in ours theirs; do
    result="$(run_case "$tool")"
    case "$result" in FAIL*) echo "FAILED: $tool, run $run: ${result#FAIL }; no figure" >&2; exit 1 ;; esac
    read -r u t s c m <<<"$result"
    ups[$tool]+="$u "; threads[$tool]+="$t "; stops[$tool]+="$s "; idles[$tool]+="$c "; rsss[$tool]+="$m "
    echo "run $run $tool: $count databases up in ${u}s, at most $t threads, idle ${c}% of a core, peak RSS ${m} MB, stopped in ${s}s after SIGINT"
  done
done
for tool in ours theirs; do
  # shellcheck disable=SC2086
  echo "$tool median: up $(median ${ups[$tool]})s, threads $(median ${threads[$tool]}), idle $(median ${idles[$tool]})% of a core, peak RSS $(median ${rsss[$tool]}) MB, stop $(median ${stops[$tool]})s"
done
