#!/usr/bin/env bash
# GCS JSON API emulator (firebase-tools storage emulator) on 127.0.0.1:$PORT.
#   gcs-emulator.sh install   npm ci in test/servers (firebase-tools, ~300 MB, kept out of the root install)
#   gcs-emulator.sh start     install if needed, then run in the foreground
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
export PORT=${PORT:-9199}
install() {
  [ -f "$DIR/node_modules/firebase-tools/package.json" ] && return
  echo "[gcs-emulator] npm ci in $DIR" >&2
  npm ci --prefix "$DIR" --no-audit --no-fund --ignore-scripts --loglevel=error >&2
}
case "${1:-start}" in
  install) install ;;
  start) install; exec node "$DIR/gcs-emulator.cjs" ;;
  *) echo "usage: $0 install|start" >&2; exit 2 ;;
esac
