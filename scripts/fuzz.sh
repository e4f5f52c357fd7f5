#!/bin/sh
# fuzz.sh runs every fuzz target of the module (every func FuzzXxx in a
# _test.go file, found by name so that a new target runs without an edit
# here) for FUZZTIME each (default 15s), one after the other, and prints
# the executions of each. A failure stops with the fuzzer's report; the
# failing input is saved under the package's testdata/fuzz/FuzzXxx/, where
# it becomes a regression test of every later `go test`.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-15s}
found=0
for file in $(grep -rl --include='*_test.go' '^func Fuzz[A-Z0-9_a-z]*(f \*testing.F)' . | sort); do
	dir=$(dirname "$file")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing.F).*/\1/p' "$file"); do
		found=$((found + 1))
		log=$(mktemp)
		if ! $GO test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" "$dir" >"$log" 2>&1; then
			cat "$log" >&2
			rm -f "$log"
			echo "fuzz: $dir $target FAILED" >&2
			exit 1
		fi
		execs=$(sed -n 's/.*execs: \([0-9]*\).*/\1/p' "$log" | tail -1)
		rm -f "$log"
		echo "fuzz: $dir $target: ${execs:-?} executions in $FUZZTIME, no failure"
	done
done
echo "fuzz: $found targets"
