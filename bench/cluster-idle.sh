#!/usr/bin/env bash
# Idle cost of a cluster (issue 17: an idle 3-node cluster on loopback costs each node at most 2% of a core and makes
# no storage requests beyond lease renewals). Three nodes, one database and folder replica each, form a cluster; once
# every member is Up and every database has uploaded, each node's CPU time over WINDOW seconds of idleness is read from
# /proc/PID/stat, and its storage operations from its /metrics. The baseline, in the same run, is one node without a
# cluster section. Each database then takes a commit, is synced and restored and compared with the source's .dump; a
# difference fails the run without a figure.
# Usage: bench/cluster-idle.sh [window-seconds]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
window="${1:-60}"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
bin="$root/src/Cli/bin/Release/litestream"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_node() { # name cluster-yaml -> pid; the node's database, replica, socket and metrics port live under $work/name
  local name="$1" cluster="$2" dir="$work/$1"; mkdir -p "$dir"
  sqlite3 "$dir/app.db" 'PRAGMA journal_mode=wal; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES (hex(randomblob(64)));' >/dev/null
  local http; http=$(port); echo "$http" > "$dir/http"
  printf 'socket:\n  path: %s\naddr: "127.0.0.1:%s"\n%s\ndbs:\n  - path: %s\n    replica:\n      path: %s\n' \
    "$dir/sock" "$http" "$cluster" "$dir/app.db" "$dir/replica" > "$dir/litestream.yml"
  "$bin" replicate -config "$dir/litestream.yml" > "$dir/log" 2>&1 &
  pids+=($!); echo $! > "$dir/pid"; disown
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
operations() { # name -> "total LIST=n PUT=n ..." of the node's storage operations so far
  curl -s "http://127.0.0.1:$(cat "$work/$1/http")/metrics" | awk -F'[",} ]+' '/^litestream_replica_operation_total/ {n[$4] += $NF; s += $NF} END {printf "%d", s; for (o in n) printf " %s=%d", o, n[o]; print ""}'; }

wait_ready() { # name [members]
  for _ in $(seq 120); do
    if ls "$work/$1/replica/ltx/0/"*.ltx >/dev/null 2>&1; then
      if [ -z "${2:-}" ] || [ "$("$bin" cluster show -json -socket "$work/$1/sock" 2>/dev/null | grep -o '"status": *"Up"' | wc -l)" -ge "$2" ]; then return 0; fi
    fi
    sleep 1
  done
  echo "FAIL $1 did not become ready:"; tail -20 "$work/$1/log"; exit 1
}

measure() { # names... -> "name percent operations" per node after the idle window
  local -A before ops
  for n in "$@"; do before[$n]=$(cpu_ticks "$(cat "$work/$n/pid")"); ops[$n]=$(operations "$n"); done
  sleep "$window"
  for n in "$@"; do
    local used=$(( $(cpu_ticks "$(cat "$work/$n/pid")") - before[$n] )) after; after=$(operations "$n")
    echo "$n $(echo "scale=2; 100 * $used / $ticks / $window" | bc) $(( ${after%% *} - ${ops[$n]%% *} )) (before: ${ops[$n]#* }; after: ${after#* })"
  done
}

verify() { # name: a commit reaches the replica and restores to the source
  local dir="$work/$1"
  sqlite3 "$dir/app.db" "INSERT INTO t(v) VALUES ('after idle');"
  "$bin" sync -socket "$dir/sock" -wait -timeout 60 "$dir/app.db" >/dev/null
  rm -f "$dir/restored.db"
  "$bin" restore -o "$dir/restored.db" "file://$dir/replica" >/dev/null
  [ "$(sqlite3 "$dir/app.db" .dump)" = "$(sqlite3 "$dir/restored.db" .dump)" ] || { echo "FAIL $1 restored differently"; exit 1; }
}

start_node local ""
wait_ready local
ports=($(port) $(port) $(port))
for i in 0 1 2; do
  start_node "node$i" "$(printf 'cluster:\n  port: %s\n  seed-nodes: ["127.0.0.1:%s"]\n' "${ports[$i]}" "${ports[0]}")"
done
for i in 0 1 2; do wait_ready "node$i" 3; done
sleep 45 # joining settles, the catalog is written, and the first level-1 compaction (30 s) of the first upload is done

echo "idle ${window}s on $(nproc) cores, CPU % of one core and storage operations in the window:"
results=$(measure local node0 node1 node2)
echo "$results" | awk '{d = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", d); printf "  %-6s %6s%%  %s operations %s\n", $1, $2, $3, d}'
for n in local node0 node1 node2; do verify "$n"; done
base=$(echo "$results" | awk '$1 == "local" {print $2}')
echo "$results" | awk -v base="$base" '$1 != "local" {printf "  %s: %.1fx the local node\n", $1, (base > 0 ? $2 / base : 0)}'
echo "every node's database restored equal to its source after the window"
