#!/bin/sh
# The README's second Quick start command: installs what is needed,
# builds with warnings as errors and sanitizers, and runs the whole test
# suite (unit tests, golden files and, as root, the namespace scenarios).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/tests/setup.sh"
cd "$top/build"
# Serially (no -j): the namespace scenarios measure timings that a
# second scenario on the same two cores would disturb.
status=0
make check || status=$?
if [ "$status" -ne 0 ]; then
	echo "check: some tests failed; their logs:" >&2
	for log in tests/*.log tests/integration/*.log tests/conformance/*.log; do
		[ -f "$log" ] || continue
		if grep -q '^:test-result: \(FAIL\|ERROR\)' \
		    "${log%.log}.trs" 2>/dev/null; then
			echo "==== $log"
			cat "$log"
		fi
	done
fi
exit "$status"
