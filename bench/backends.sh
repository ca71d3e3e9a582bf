#!/usr/bin/env bash
# Backend benchmark: each replica client's upload and download throughput against its local server, then the requests
# `litestream replicate` makes per minute to S3 and Azure (idle, and at 10 tx/s). Starts the servers scripts/test-servers.sh
# starts (install them first with scripts/install-test-tools.sh) and stops them by PID.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
source "$root/bench/with-servers.sh"
"$bench" backends
for backend in s3 abs gs; do
  "$bench" requests "$backend" "$root/src/Cli/bin/Release/litestream" "$seconds"
done
