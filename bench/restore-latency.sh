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
source "$root/bench/with-servers.sh"
"$bench" restore-latency "$root/src/Cli/bin/Release/litestream" "$files" "$latency" "$runs"
