#!/bin/sh
# Every fuzzer replays its committed corpus (tests/fuzz/corpus/<fuzzer>/):
# built without libFuzzer they are programs that feed each file to the
# target once, and a crash or a failed check aborts them.
set -u
b=${top_builddir:-.}
src=${top_srcdir:-.}
status=0
for f in fuzz_conf fuzz_codec fuzz_core; do
	dir=$src/tests/fuzz/corpus/$f
	n=$(find "$dir" -type f | wc -l)
	if [ "$n" -eq 0 ]; then
		echo "replay: $f: empty corpus $dir"
		status=1
		continue
	fi
	if "$b/tests/fuzz/$f" "$dir"; then
		echo "replay: $f: $n inputs, ok"
	else
		echo "replay: $f: failed on $dir (status $?)"
		status=1
	fi
done
exit "$status"
