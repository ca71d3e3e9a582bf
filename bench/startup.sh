#!/usr/bin/env bash
# Start-up, ours against Litestream 0.3.13 and against our own build without the ReadyToRun step (its assemblies
# JIT-compiled, as every build was before it; built into a scratch folder), same machine, same run:
# `databases -config` wall time, and `replicate -config` from exec until its "initialized db" line (read from a pipe),
# each a median of RUNS alternating runs (with NATIVE=path, a native build of ours too, bench/native-build.sh). Every replicate run leaves a replica; each tool's last one is restored and its .dump compared
# with the source. Usage: bench/startup.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-7}"
"$root/scripts/install-test-tools.sh" >/dev/null
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build "$root/src/Cli" -c Release -p:ReadyToRunBuild=false -p:OutDir="$work/jit/" -nologo -v quiet >/dev/null
declare -A bins=(
  [ours]="$root/src/Cli/bin/Release/litestream"
  [ours-jit-only]="$work/jit/litestream"
  [litestream-0.3.13]="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
)
order=(litestream-0.3.13 ours ours-jit-only)
# A native build of ours beside them (bench/native-build.sh), when asked for.
if [ -n "${NATIVE:-}" ]; then bins[ours-native]="$NATIVE"; order+=(ours-native); fi

sqlite3 "$work/app.db" "PRAGMA journal_mode=wal; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<1000) INSERT INTO t(v) SELECT hex(randomblob(100)) FROM n;" >/dev/null

now() { date +%s.%N; }
config() { printf 'dbs:\n  - path: %s\n    replicas:\n      - path: %s\n' "$work/app.db" "$work/replica-$1" > "$work/$1.yml"; }

databases_once() {
  local start; start=$(now)
  "${bins[$1]}" databases -config "$work/$1.yml" >/dev/null
  echo "$(now) - $start" | bc
}

replicate_once() {
  local log="$work/$1.log" start up="" line out pid drain
  rm -rf "$work/replica-$1"
  : > "$log"
  start=$(now)
  # The log is read through a pipe as it is written: a grep loop polling the file beside the process took CPU from
  # it on this 2-core machine (most from a start that uses both cores).
  exec {out}< <(exec "${bins[$1]}" replicate -config "$work/$1.yml" 2>&1)
  pid=$!
  while IFS= read -r line <&"$out"; do
    printf '%s\n' "$line" >> "$log"
    if [[ $line == *"initialized db"* ]]; then up=$(echo "$(now) - $start" | bc); break; fi
  done
  [ -n "$up" ] || { cat "$log" >&2; echo "$1 exited before initializing" >&2; exit 1; }
  cat <&"$out" >> "$log" &
  drain=$!
  sleep 1.5 # let the first snapshot land before stopping
  kill -INT "$pid"; wait "$pid" || true
  wait "$drain"; exec {out}<&-
  echo "$up"
}

median() { sort -n | awk '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

declare -A db up
for tool in "${order[@]}"; do config "$tool"; done
for ((i = 0; i < runs; i++)); do
  for tool in "${order[@]}"; do
    db[$tool]+="$(databases_once "$tool") "
    up[$tool]+="$(replicate_once "$tool") "
  done
done

want="$(sqlite3 "$work/app.db" .dump | sha256sum)"
for tool in "${order[@]}"; do
  rm -f "$work/restored-$tool.db"
  "${bins[$tool]}" restore -config "$work/$tool.yml" -o "$work/restored-$tool.db" "$work/app.db" >/dev/null 2>&1
  got="$(sqlite3 "$work/restored-$tool.db" .dump | sha256sum)"
  [ "$got" = "$want" ] || { echo "FAIL: $tool's replica does not restore to the source" >&2; exit 1; }
done

base_db=$(tr ' ' '\n' <<<"${db[litestream-0.3.13]}" | grep . | median)
base_up=$(tr ' ' '\n' <<<"${up[litestream-0.3.13]}" | grep . | median)
printf '| tool | databases (median s) | ratio | replicate to "initialized db" (median s) | ratio |\n|---|---|---|---|---|\n'
for tool in "${order[@]}"; do
  d=$(tr ' ' '\n' <<<"${db[$tool]}" | grep . | median)
  u=$(tr ' ' '\n' <<<"${up[$tool]}" | grep . | median)
  printf '| %s | %s | %.1f× | %s | %.1f× |\n' "$tool" "$d" "$(echo "$d / $base_db" | bc -l)" "$u" "$(echo "$u / $base_up" | bc -l)"
done
echo "every tool's replica restored to the source's .dump"
