#!/usr/bin/env bash
# Installs what the test suite drives, on a fresh Debian machine with the .NET SDK:
#   Debian: sqlite3 (the real shell that writes and dumps test databases), python3 (its sqlite3 module is one of the
#           writers the capture is tested under), lz4, nats-server (JetStream),
#           openssh-server (SFTP; its own config on a loopback port, never the system service),
#           apache2 (WebDAV through mod_dav_fs, its own config), awscli (an independent S3 client),
#           prometheus (its promtool checks /metrics; the server itself is never started),
#           libfaketime (a running node's wall clock made to jump)
#   npm:    Litestream 0.5.17's LTX reader/writer (an SQLite extension), Litestream 0.3.13, s3rver (S3),
#           azurite (Azure Blob), the MCP SDK (its client calls our MCP server), kubernetes-models and yaml (the
#           rendered k8s/ manifests validated against Kubernetes' schemas), into .tools/
#   kubectl is expected on the machine (its kustomize renders k8s/ offline); the tests fail without it
# Safe to run again: it installs only what is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

missing=()
for pkg in sqlite3 lz4 nats-server openssh-server apache2 awscli prometheus libfaketime; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
python3 -c 'import sqlite3' 2>/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

vfs="$root/.tools/node_modules/litestream-vfs-linux-amd64/litestream-vfs.so"
v03="$root/.tools/node_modules/@flydotio/litestream-linux-x64/litestream"
s3rver="$root/.tools/node_modules/.bin/s3rver"
azurite="$root/.tools/node_modules/.bin/azurite-blob"
mcp="$root/.tools/node_modules/@modelcontextprotocol/sdk/package.json"
models="$root/.tools/node_modules/kubernetes-models/package.json"
if [ ! -f "$vfs" ] || [ ! -f "$v03" ] || [ ! -e "$s3rver" ] || [ ! -e "$azurite" ] || [ ! -f "$mcp" ] || [ ! -f "$models" ]; then
  mkdir -p "$root/.tools"
  npm install --silent --no-save --no-package-lock --prefix "$root/.tools" \
    litestream-vfs-linux-amd64@0.5.17 @flydotio/litestream-linux-x64@1.0.1 s3rver@3.7.1 azurite@3.37.0 @modelcontextprotocol/sdk@1.32.2 \
    kubernetes-models@5.1.0 yaml@2.9.1 >/dev/null
fi
chmod +x "$v03"
