#!/usr/bin/env bash
# Requests a node makes during an outage of 503s (issue 16: no retry storm), per HTTP backend: HttpFaultTests with the
# outage made SECONDS long (default 60) against the real s3rver, Azurite and Apache WebDAV and the GCS fake, each behind
# HttpFaultProxy, while a writer commits; the test still ends by restoring and comparing with the source, and fails above
# 4 requests a second.
# Usage: bench/outage.sh [seconds]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
"$root/scripts/install-test-tools.sh"
dotnet build "$root/LitestreamActors.sln" -c Release -nologo -v quiet >/dev/null
export LSA_SERVERS_DIR="$(mktemp -d)"
trap 'LSA_SERVERS_DIR="$LSA_SERVERS_DIR" "$root/scripts/stop-test-servers.sh" >/dev/null 2>&1; rm -rf "$LSA_SERVERS_DIR"' EXIT
eval "$("$root/scripts/test-servers.sh" </dev/null)"
export XDG_DATA_HOME="$LSA_SERVERS_DIR/data" LSA_OUTAGE_SECONDS="$seconds"
dotnet test "$root/tests/LitestreamActors.EndToEnd.Tests" -c Release --no-build -nologo --filter "FullyQualifiedName~HttpFaultTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "requests during|Passed!|Failed!|Error Message" | sed 's/^ *//'
