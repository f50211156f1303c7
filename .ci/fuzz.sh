#!/usr/bin/env bash
# A short fuzzing burst: a few seconds per target (FUZZTIME, default 4s).
# The seed corpora already run in every `go test`; this explores beyond them.
# A failure leaves the crashing input under the package's testdata/fuzz/,
# ready to commit as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-4s}
targets=(
	"./internal/ticket FuzzParse"
	"./internal/hostile FuzzExportCSV"
	"./internal/hostile FuzzExportXLSX"
	"./internal/hostile FuzzRegistrationAPI"
	"./internal/hostile FuzzRegistrationForm"
	"./internal/hostile FuzzSyncUpload"
)
for t in "${targets[@]}"; do
	set -- $t
	pkg=$1 name=$2
	if ! grep -qs "func $name(" "$pkg"/*_test.go; then
		echo "fuzz: $name not in $pkg, skipped"
		continue
	fi
	echo "fuzz: $name ($pkg, $FUZZTIME)"
	# -parallel 2: this runs on small CI machines; each worker of the HTTP
	# targets opens its own database.
	$GO test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -parallel 2 "$pkg" 2>&1 | grep -v '^fuzz: elapsed' || exit 1
done
