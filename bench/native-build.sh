#!/usr/bin/env bash
# A native (NativeAOT) build of the CLI into DIR (default bench/.native): machine code compiled ahead of time, no JIT
# and no IL at run time. Not the shipped binary (docs/performance.md, "A native build"): several packages warn that
# they need code generated at run time or reflection the trimmer cannot see, so warnings are not errors here, and
# what it is known to run is listed there. bench/memory.sh, bench/startup.sh and bench/catch-up.sh measure it beside
# ours when NATIVE=DIR/litestream is set. About 10 minutes on 2 cores. Usage: bench/native-build.sh [dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/bench/.native}"
dotnet publish "$root/src/Cli/LitestreamActors.Cli.csproj" -c Release -r linux-x64 -p:PublishAot=true \
  -p:PublishReadyToRun=false -p:ReadyToRunBuild=false -p:TreatWarningsAsErrors=false -o "$out" -nologo -v quiet \
  > "$out.log" 2>&1 || { grep -E "error" "$out.log" | head -5 >&2; echo "FAIL: native build, log in $out.log" >&2; exit 1; }
echo "$out/litestream ($(( $(stat -c %s "$out/litestream") / 1000000 )) MB)"
