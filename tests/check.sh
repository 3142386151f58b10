#!/bin/sh
# The README's second Quick start command: installs what is needed,
# builds with warnings as errors and sanitizers, and runs the whole test
# suite (unit tests, golden files and, as root, the namespace scenarios).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/tests/setup.sh"
cd "$top/build"
# One scenario at a time: the namespace tests share the machine's
# clock-sensitive timing, the unit tests are quick either way.
status=0
make check || status=$?
if [ "$status" -ne 0 ]; then
	echo "check: some tests failed; their logs:" >&2
	for log in tests/*.log tests/integration/*.log; do
		[ -f "$log" ] || continue
		grep -q '^FAIL\|^ERROR' "${log%.log}.trs" 2>/dev/null &&
		    { echo "==== $log"; cat "$log"; }
	done
fi
exit "$status"
