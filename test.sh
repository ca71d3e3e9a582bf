#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the tools the tests drive, builds Release, starts the real servers
# the tests need (stopped by PID on exit), runs all test projects, and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-test-tools.sh
dotnet build LitestreamActors.sln -c Release -nologo -v quiet

results="$(mktemp -d)"
export LSA_SERVERS_DIR="$results/servers"
# Each node's own state (data-dir defaults under XDG_DATA_HOME) stays in the run's scratch folder.
export XDG_DATA_HOME="$results/data"
trap 'scripts/stop-test-servers.sh; rm -rf "$results"' EXIT
eval "$(scripts/test-servers.sh)"
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=1
done

passed=0; failed=0; skipped=0; reports=0
for report in "$results"/*.trx; do
  [ -f "$report" ] || continue
  reports=$((reports + 1))
  counters="$(grep -o '<Counters [^>]*>' "$report")"
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count notExecuted)))
done
if [ "$reports" -eq 0 ] && [ "$status" -ne 0 ]; then
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
