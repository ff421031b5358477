#!/usr/bin/env bash
# Chromium for test/browser.test.ts (Debian's package; playwright-core drives it).
#
#   chromium.sh install    apt-get chromium if /usr/bin/chromium is missing
set -euo pipefail
case "${1:-install}" in
  install)
    if command -v chromium >/dev/null; then exit 0; fi
    echo "[chromium] installing chromium from Debian packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
    ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
