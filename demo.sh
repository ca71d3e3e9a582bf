#!/usr/bin/env bash
# The main job on the embedded default: restore the bundled sample replica (written by the real Litestream 0.5.17)
# with our `litestream restore`, check it, and show its tables.
set -euo pipefail
cd "$(dirname "$0")"
command -v sqlite3 >/dev/null || ./scripts/install-test-tools.sh
dotnet build src/Cli/LitestreamActors.Cli.csproj -c Release -nologo -v quiet
bin=src/Cli/bin/Release/litestream
replica="file://$PWD/tests/fixtures/ltx-v0.5.17/replica"
out="$(mktemp -d)/demo.db"

echo "== litestream ltx $replica"
"$bin" ltx "$replica"
echo
echo "== litestream restore -integrity-check full -o $out $replica"
"$bin" restore -integrity-check full -o "$out" "$replica" 2>&1
echo
echo "== tables in the restored database"
sqlite3 "$out" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;" | while read -r table; do
  printf '%-20s %s rows\n' "$table" "$(sqlite3 "$out" "SELECT count(*) FROM \"$table\";")"
done
