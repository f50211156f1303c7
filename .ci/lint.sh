#!/usr/bin/env bash
# Static analysis for `make test`: staticcheck (honnef.co/go/tools), pinned
# here and run through `go run`, so go.mod does not depend on it.
set -euo pipefail
cd "$(dirname "$0")/.."
STATICCHECK_VERSION=v0.8.2
go run "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}" -checks inherit ./...
