#!/usr/bin/env bash
# Installs the pinned front-end packages (assets/package-lock.json) and copies
# the files the pages load into assets/static/vendor/, which is embedded in the
# binary. Nothing under vendor/ is committed.
set -euo pipefail
cd "$(dirname "$0")/../assets"
stamp=node_modules/.attend-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  cp package-lock.json "$stamp"
fi
rm -rf static/vendor
mkdir -p static/vendor/barcode-detector static/vendor/zxing-wasm static/vendor/axe-core
cp -R node_modules/barcode-detector/dist/es/. static/vendor/barcode-detector/
cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm static/vendor/zxing-wasm/ 2>/dev/null || true
cp node_modules/axe-core/axe.min.js static/vendor/axe-core/
