#!/usr/bin/env bash
# Installs the Go-built tools the tests talk to when they are missing:
# mailpit (a real SMTP server with an HTTP API), pinned to the version
# internal/mailtest expects.
set -euo pipefail
MAILPIT_VERSION="v1.27.11"

gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"

if command -v mailpit >/dev/null 2>&1 || [ -x "$gobin/mailpit" ]; then
  exit 0
fi
echo "installing: mailpit $MAILPIT_VERSION (go install)"
GOFLAGS=-buildvcs=false go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
