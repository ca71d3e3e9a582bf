#!/usr/bin/env bash
# The main job on an embedded default: create a demo database, write to it while `litestream replicate` ships every
# commit to a local folder, stop replication (final sync), restore from the folder, and compare the two databases.
set -euo pipefail
cd "$(dirname "$0")"
command -v sqlite3 >/dev/null || ./scripts/install-test-tools.sh
dotnet build src/Cli/LitestreamActors.Cli.csproj -c Release -nologo -v quiet >/dev/null
bin="$PWD/src/Cli/bin/Release/litestream"
work="$(mktemp -d)"
db="$work/demo.db"
replica="file://$work/replica"

sqlite3 "$db" "CREATE TABLE events(id INTEGER PRIMARY KEY, at TEXT, note TEXT);"
echo "== litestream replicate $db $replica"
"$bin" replicate "$db" "$replica" 2>&1 | sed 's/^/   /' &
sleep 2
pid=$(pgrep -n -f "litestream replicate $db") || { echo "replicate did not start"; exit 1; }

echo "== writing 30 transactions while replicating"
for i in $(seq 1 30); do
  sqlite3 "$db" ".timeout 5000" "INSERT INTO events(at, note) VALUES(datetime('now'), 'event $i: ' || hex(randomblob(32)));"
  sleep 0.1
done
sleep 1.5
kill -TERM "$pid"
wait || true

echo
echo "== litestream ltx $replica"
"$bin" ltx "$replica" | sed 's/^/   /'
echo
echo "== litestream restore -integrity-check full -o $work/restored.db $replica"
"$bin" restore -integrity-check full -o "$work/restored.db" "$replica" 2>&1 | sed 's/^/   /'
echo
if cmp -s <(sqlite3 "$db" .dump) <(sqlite3 "$work/restored.db" .dump); then
  echo "restored database is identical to the source ($(sqlite3 "$work/restored.db" 'SELECT count(*) FROM events') events; .dump compared)"
else
  echo "MISMATCH between source and restored database" >&2
  exit 1
fi
rm -rf "$work"
