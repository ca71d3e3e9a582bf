#!/usr/bin/env bash
# Stops, by PID, every server scripts/test-servers.sh started.
state="${LSA_SERVERS_DIR:?}"
[ -f "$state/pids" ] || exit 0
while read -r pid; do
  kill "$pid" 2>/dev/null || true
done < "$state/pids"
while read -r pid; do
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done < "$state/pids"
rm -f "$state/pids"
