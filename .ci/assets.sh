#!/usr/bin/env bash
# Installs the pinned front-end packages (assets/package-lock.json) and copies
# the files the pages load into assets/static/vendor/, which is embedded in the
# binary. Nothing under vendor/ is committed. Mode "run" (make run/build) only
# warns when npm is missing: the site works, but the phone scanner then has no
# QR decoder and falls back to keyboard-wedge scanners. Mode "test" installs
# npm as root or fails.
set -euo pipefail
mode="${1:-run}"
cd "$(dirname "$0")/../assets"
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ "$mode" = test ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "npm not found: the door scanner's QR decoder is not bundled (install Node.js and npm, then run make build again)" >&2
    [ "$mode" = test ] && exit 1
    exit 0
  fi
fi
stamp=node_modules/.attend-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  cp package-lock.json "$stamp"
fi
rm -rf static/vendor
mkdir -p static/vendor/barcode-detector static/vendor/zxing-wasm static/vendor/axe-core
cp -R node_modules/barcode-detector/dist/es/. static/vendor/barcode-detector/
cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm static/vendor/zxing-wasm/
cp node_modules/axe-core/axe.min.js static/vendor/axe-core/
