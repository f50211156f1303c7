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
	"./internal/ticketcode FuzzParse"
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
		# A renamed package or target must not drop out of the burst unseen.
		echo "fuzz: $name not in $pkg" >&2
		exit 1
	fi
	echo "fuzz: $name ($pkg, $FUZZTIME)"
	# -parallel 2: this runs on small CI machines; each worker of the HTTP
	# targets opens its own database.
	out=$($GO test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -parallel 2 "$pkg" 2>&1) && status=0 || status=$?
	printf '%s\n' "$out" | grep -v '^fuzz: elapsed' || true
	if [ "$status" -ne 0 ]; then
		# Go's fuzzing engine can end a very short burst with "context deadline
		# exceeded" when its time runs out while workers start up on a busy
		# machine: that is no finding. A real one names the input it wrote.
		if printf '%s\n' "$out" | grep -q 'context deadline exceeded' && ! printf '%s\n' "$out" | grep -q 'Failing input written'; then
			echo "fuzz: $name: the burst ran out of time while starting (no failing input)"
			continue
		fi
		exit 1
	fi
done
