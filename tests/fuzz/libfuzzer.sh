#!/bin/sh
# Builds the three fuzzers with clang's libFuzzer (the core library
# instrumented for coverage) and runs each for a while on a copy of its
# corpus.  Fails on a crash, a leak or a sanitizer report; the crash file
# is kept in the work directory and its path printed.  Used by .ci/run.
#
#   sh tests/fuzz/libfuzzer.sh [SECONDS [WORKDIR]]
#
# SECONDS per fuzzer (default 60); WORKDIR default /tmp/parpd-libfuzzer.
# The mutations follow a fixed seed (PARPD_FUZZ_SEED, default 1) so that
# a run is the same from one machine to the next, as far as its time
# takes it; PARPD_FUZZ_SEED=0 lets libFuzzer pick one.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
work=${2:-/tmp/parpd-libfuzzer}
san="-fsanitize=address,undefined -fno-sanitize-recover=all"

command -v clang >/dev/null || { echo "libfuzzer: no clang" >&2; exit 77; }
mkdir -p "$work/build"
cd "$work/build"
# The library with coverage instrumentation but without libFuzzer's
# main(); the fuzzers link it with -fsanitize=fuzzer.
if [ ! -f Makefile ]; then
	"$top/configure" CC=clang \
	    CFLAGS="-g -O1 -fsanitize=fuzzer-no-link $san" >configure.out 2>&1 ||
	    { cat configure.out; exit 1; }
fi
make -j2 libparpd_core.a >make.out 2>&1 || { cat make.out; exit 1; }

status=0
for f in fuzz_codec fuzz_conf fuzz_core; do
	clang -g -O1 -fsanitize=fuzzer $san -I. -I"$top/src" \
	    "$top/tests/fuzz/$f.c" libparpd_core.a -o "$f"
	rm -rf "$work/corpus-$f" && mkdir -p "$work/corpus-$f"
	cp "$top/tests/fuzz/corpus/$f"/* "$work/corpus-$f/"
	# Crashes land in the work directory as crash-<sha1>.
	if (cd "$work" && "./build/$f" -max_total_time="$secs" \
	    -seed="${PARPD_FUZZ_SEED:-1}" -max_len=4096 -print_final_stats=1 -artifact_prefix="$work/$f-" \
	    "corpus-$f" >"$f.log" 2>&1); then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "$work/$f.log")
		cov=$(grep -o 'cov: [0-9]*' "$work/$f.log" | tail -n 1)
		echo "libfuzzer: $f: ${secs} s, ${runs:-?} runs, ${cov:-cov ?}, no crash"
	else
		echo "libfuzzer: $f FAILED; its log ($work/$f.log) ends:"
		tail -n 40 "$work/$f.log"
		ls "$work/$f-"* 2>/dev/null || true
		status=1
	fi
done
exit "$status"
