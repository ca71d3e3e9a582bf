# Sourced by the benchmarks that need the test servers (set root first): a Release build, then the servers
# scripts/test-servers.sh starts, their LSA_* environment exported, stopped by PID on exit; $bench is the benchmark
# program.
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
state="$(mktemp -d)"
export LSA_SERVERS_DIR="$state/servers"
mkdir -p "$LSA_SERVERS_DIR"
trap '"$root/scripts/stop-test-servers.sh"; rm -rf "$state"' EXIT
eval "$("$root/scripts/test-servers.sh")"
bench="$root/bench/LitestreamActors.Benchmarks/bin/Release/net10.0/LitestreamActors.Benchmarks"
