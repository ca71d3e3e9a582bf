#!/usr/bin/env bash
# Restore from S3 when the store is far away: s3rver behind a proxy that holds every request LATENCY_MS first; a
# snapshot and FILES L0 files restored with `-parallelism 1` (each file asked for once the one before it is applied)
# and with the default (the next file asked for while the current one is applied), alternating, RUNS each. Every
# restore is compared (.dump) with the source. Starts the servers scripts/test-servers.sh starts and stops them by PID.
# Usage: bench/restore-latency.sh [files] [latency_ms] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
files="${1:-200}"; latency="${2:-20}"; runs="${3:-5}"
"$root/scripts/install-test-tools.sh" >/dev/null
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
state="$(mktemp -d)"
export LSA_SERVERS_DIR="$state/servers"
mkdir -p "$LSA_SERVERS_DIR"
trap '"$root/scripts/stop-test-servers.sh"; rm -rf "$state"' EXIT
eval "$("$root/scripts/test-servers.sh")"
"$root/bench/LitestreamActors.Benchmarks/bin/Release/net10.0/LitestreamActors.Benchmarks" \
  restore-latency "$root/src/Cli/bin/Release/litestream" "$files" "$latency" "$runs"
