#!/usr/bin/env bash
# The fault tests and the hostile-input catalogue, run verbosely so that CI
# shows what they counted (scans acknowledged vs found, messages delivered,
# cases refused). On failure the whole output is shown.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if $GO test -race -v -timeout 10m ./internal/faults ./internal/hostile >"$log" 2>&1; then
  grep -E '^(Test[A-Za-z]+(/[^:]*)?: |hostile: |outbox: )' "$log" || true
  grep -E '^(ok|PASS)' "$log"
else
  cat "$log"
  exit 1
fi
