#!/usr/bin/env bash
# Warm standby failover (issue 18): RTO from the owner's kill -9 to the standby promoted and writing, and the commits
# lost. Runs WarmStandbyTests' automatic-promotion case RUNS times on the real test servers (s3rver): three nodes on
# loopback, node 1 replicating to S3 while a Python writer commits 100 transactions a second, node 2 following with
# promote: auto, split-brain stable-after 3s and lease-ttl 6s. Each run asserts that every synced commit is in the
# promoted file, the chain goes on with no gap and the replica restores to the promoted file's .dump (a run that
# fails reports no figure). Printed per run: promotion and first-write times after the kill, and the unsynced window.
# Usage: bench/standby-failover.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
export LSA_SERVERS_DIR="$(mktemp -d)"
trap 'LSA_SERVERS_DIR="$LSA_SERVERS_DIR" "$root/scripts/stop-test-servers.sh" >/dev/null 2>&1 || true; rm -rf "$LSA_SERVERS_DIR"' EXIT
"$root/scripts/test-servers.sh" > "$LSA_SERVERS_DIR/env.sh" </dev/null
# shellcheck disable=SC1091
source "$LSA_SERVERS_DIR/env.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
for run in $(seq "$runs"); do
  out="$(dotnet test "$root/tests/LitestreamActors.EndToEnd.Tests" -c Release --no-build \
    --filter "FullyQualifiedName~WarmStandbyTests.With_auto" --logger "console;verbosity=normal" 2>&1)" || { echo "run $run failed:"; echo "$out" | tail -30; exit 1; }
  echo "run $run:"; echo "$out" | grep '^standby:' | sed 's/^/  /'
done
