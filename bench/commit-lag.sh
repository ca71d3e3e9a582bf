#!/usr/bin/env bash
# Commit-to-replica lag (sparse commits) and files written per minute at 1, 10 and 1,000 commits/s, ours against
# Litestream 0.3.13, same machine, same run, default config, file replicas; every run's restore is compared with the
# source (bench/commit_lag.py says how). Usage: bench/commit-lag.sh [commits] [seconds_per_rate] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-test-tools.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$root/bench/commit_lag.py" "$root/src/Cli/bin/Release/litestream" \
  "$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream" "$work" "${1:-30}" "${2:-20}" "${3:-2}"
