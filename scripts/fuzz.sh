#!/bin/sh
# fuzz.sh runs every fuzz target of the module (every func FuzzXxx in a
# _test.go file, found by name so that a new target runs without an edit
# here) for FUZZTIME each (default 15s), one after the other, and prints
# the executions of each. A failure stops with the fuzzer's report; the
# failing input is saved under the package's testdata/fuzz/FuzzXxx/, where
# it becomes a regression test of every later `go test`.
#
# One failure is not a finding: Go's fuzzing coordinator can end a run
# with a bare "context deadline exceeded" when -fuzztime expires while a
# worker is busy (a race between the deadline's parent and child
# contexts, seen on loaded machines; no input is written). Such a run is
# repeated once; a second one, any other message, or a written input
# fails.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-15s}
found=0

# deadline_only LOG DIR TARGET BEFORE: the run failed only with the
# coordinator's deadline message and wrote no new input.
deadline_only() {
	grep -q '^    context deadline exceeded$' "$1" || return 1
	grep -qE '_test\.go:[0-9]+:|panic:|Failing input written' "$1" && return 1
	after=$(ls "$2/testdata/fuzz/$3" 2>/dev/null | wc -l)
	[ "$after" -eq "$4" ]
}

for file in $(grep -rl --include='*_test.go' '^func Fuzz[A-Z0-9_a-z]*(f \*testing.F)' . | sort); do
	dir=$(dirname "$file")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing.F).*/\1/p' "$file"); do
		found=$((found + 1))
		log=$(mktemp)
		try=1
		while :; do
			before=$(ls "$dir/testdata/fuzz/$target" 2>/dev/null | wc -l)
			if $GO test -run '^$' -fuzz "^$target\$" -fuzztime "$FUZZTIME" "$dir" >"$log" 2>&1; then
				break
			fi
			if [ "$try" -eq 1 ] && deadline_only "$log" "$dir" "$target" "$before"; then
				echo "fuzz: $dir $target: the coordinator's deadline race (no input written); once more" >&2
				try=2
				continue
			fi
			cat "$log" >&2
			rm -f "$log"
			echo "fuzz: $dir $target FAILED" >&2
			exit 1
		done
		execs=$(sed -n 's/.*execs: \([0-9]*\).*/\1/p' "$log" | tail -1)
		rm -f "$log"
		echo "fuzz: $dir $target: ${execs:-?} executions in $FUZZTIME, no failure"
	done
done
echo "fuzz: $found targets"
