#!/usr/bin/env bash
# The long kill campaign (issue 16): kill -9 the node at random moments, 1,000 times by default, in rounds of a hundred,
# while a .NET writer commits and the application checkpoints (PASSIVE, FULL, TRUNCATE) or vacuums while the node is
# down. Every round ends with the replica restored and compared with the source (and read by Litestream 0.5.17); a
# round that loses or rewrites a synced commit or breaks the chain fails the run, which then reports no figure.
# Usage: bench/soak.sh [kills]     (BENCH_DIR to keep the data somewhere specific)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kills="${1:-1000}"
"$root/scripts/install-test-tools.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
# Each node's own state stays in the run's folder.
export XDG_DATA_HOME="$work/data"
"$root/bench/LitestreamActors.Benchmarks/bin/Release/net10.0/LitestreamActors.Benchmarks" soak "$root/src/Cli/bin/Release/litestream" "$kills" "$work"
