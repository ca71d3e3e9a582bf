#!/usr/bin/env bash
# Peak resident memory of `replicate` for one database, default config (a file replica), ours against Litestream
# 0.3.13, same machine, same run: a Python writer commits 1 KB rows at RATE per second for SECONDS, then VmHWM is read;
# RUNS alternating runs, medians. For ours, where the memory is at the end of the last run (from /proc/PID/smaps):
# the runtime's native code, the framework's and our assemblies, the GC heap and other anonymous memory, SQLite's and
# the runtime's malloc heap, the W^X double mapping. Also the floors under ours, built as our CLI is (bench/AkkaFloor):
# the .NET runtime alone, and a bare Akka.NET actor system with one actor (1,000 asks), medians of RUNS. Every run's
# replica is restored and its .dump compared with the source; a run whose restore differs fails the benchmark. Usage: bench/memory.sh [rate] [seconds] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rate="${1:-200}"; seconds="${2:-20}"; runs="${3:-3}"
source "$root/bench/vs-litestream.sh"

# run tool n: prints the process's peak RSS in MB once the writer is done; leaves its smaps in $work/smaps-TOOL.
run_once() {
  local dir="$work/$1-$2"
  mkdir -p "$dir"
  sqlite3 "$dir/app.db" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT);" >/dev/null
  printf 'dbs:\n  - path: %s\n    replicas:\n      - path: %s\n' "$dir/app.db" "$dir/replica" > "$dir/litestream.yml"
  "${bins[$1]}" replicate -config "$dir/litestream.yml" >"$dir/log" 2>&1 &
  local pid=$!
  python3 - "$dir/app.db" "$rate" "$seconds" <<'PY'
import sqlite3, sys, time
db, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
c = sqlite3.connect(db, isolation_level=None)
start = time.monotonic(); n = 0
while time.monotonic() - start < seconds:
    c.execute("INSERT INTO t(body) VALUES (?)", ("x" * 1000,)); n += 1
    ahead = n / rate - (time.monotonic() - start)
    if ahead > 0: time.sleep(ahead)
PY
  sleep 2
  local hwm; hwm=$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  cp "/proc/$pid/smaps" "$work/smaps-$1"
  kill -INT "$pid"; wait "$pid" || true
  "${bins[$1]}" restore -config "$dir/litestream.yml" -o "$dir/restored.db" "$dir/app.db" >"$dir/restore.log" 2>&1 \
    || { echo "FAIL: $1 could not restore: $(tail -1 "$dir/restore.log")" >&2; exit 1; }
  # Litestream 0.3.13's bookkeeping table may move after its last sync: for it the application's table is compared.
  local what=""; [[ $1 == ours* ]] || what=" t"
  [ "$(sqlite3 "$dir/app.db" ".dump$what" | sha256sum)" = "$(sqlite3 "$dir/restored.db" ".dump$what" | sha256sum)" ] \
    || { echo "FAIL: $1's replica does not restore to the source" >&2; exit 1; }
  echo "$hwm"
}

dotnet publish "$root/bench/AkkaFloor" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/floor" -nologo -v quiet >/dev/null

declare -A peaks
floors=()
for ((i = 0; i < runs; i++)); do
  floor="$("$work/floor/AkkaFloor" runtime) $("$work/floor/AkkaFloor" akka)"
  [[ "$floor" =~ ^[0-9.]+\ [0-9.]+$ ]] || { echo "FAIL: the floor program printed more than its figures: $floor" >&2; exit 1; }
  floors+=("$floor")
  for tool in "${order[@]}"; do peaks[$tool]+="$(run_once "$tool" "$i") "; done
done

base=$(tr ' ' '\n' <<<"${peaks[litestream-0.3.13]}" | grep . | median 1)
printf '| tool | peak RSS (median MB) | runs | ratio |\n|---|---|---|---|\n'
for tool in "${order[@]}"; do
  m=$(tr ' ' '\n' <<<"${peaks[$tool]}" | grep . | median 1)
  printf '| %s | %s | %s | %.2f× |\n' "$tool" "$m" "${peaks[$tool]% }" "$(echo "$m / $base" | bc -l)"
done
echo "every run's replica restored to the source's .dump"
printf 'floors (median MB): .NET runtime alone %s, a bare Akka.NET actor system with one actor %s\n' \
  "$(printf '%s\n' "${floors[@]}" | awk '{print $1}' | median 1)" "$(printf '%s\n' "${floors[@]}" | awk '{print $2}' | median 1)"

echo
echo "ours, resident at the end of the last run (MB):"
awk '
  /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "" ; next }
  /^Rss:/ {
    kb = $2
    if (name ~ /doublemapper/) k = "W^X double mapping of JIT and stub code"
    else if (name == "[heap]") k = "malloc heap (SQLite page cache, runtime)"
    else if (name == "" || name ~ /^\[/) k = "anonymous (GC heap, stacks, runtime data)"
    else if (name ~ /Microsoft\.AspNetCore\.App/) k = "ASP.NET Core assemblies"
    else if (name ~ /Microsoft\.NETCore\.App.*\.so$/) k = "runtime native (coreclr, clrjit, System.Native)"
    else if (name ~ /Microsoft\.NETCore\.App/) k = "framework assemblies (CoreLib " corelib ")"
    else if (name ~ /\.so/) k = "system libraries (libc, libstdc++, libssl)"
    else k = "our and package assemblies, SQLite"
    if (name ~ /System\.Private\.CoreLib/) corelibkb += kb
    sum[k] += kb; total += kb
  }
  END {
    for (k in sum) {
      label = k; sub(/CoreLib .*\)/, sprintf("CoreLib %.1f)", corelibkb / 1024), label)
      printf "  %6.1f  %s\n", sum[k] / 1024, label
    }
    printf "  %6.1f  total\n", total / 1024
  }' "$work/smaps-ours" | sort -rn
