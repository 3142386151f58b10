#!/bin/sh
# Golden tests of the configuration parser through "parpd -n" and "-nv".
#
# For each tests/data/NAME.conf:
#   NAME.out  expected canonical form (parpd -nv, exit 0); the printout
#             must parse again and print identically (idempotent);
#   NAME.err  expected diagnostics on stderr (with NAME.out: warnings of
#             a valid file; alone: errors, exit status 1).
# The shipped conf/parpd.conf must pass "parpd -n" without a word.
# $PARPD and $srcdir come from the test harness (AM_TESTS_ENVIRONMENT);
# run by hand: PARPD=./parpd srcdir=/path/to/source sh tests/golden.sh
set -u

: "${PARPD:?PARPD is not set}"
: "${srcdir:=.}"
data=$srcdir/tests/data
tmp=${TMPDIR:-/tmp}/parpd-golden.$$
mkdir "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok: $1"
}

bad() {
	fail=$((fail + 1))
	echo "FAIL: $1"
}

# Run from the data directory so that diagnostics name the bare file.
run() {
	(cd "$data" && "$PARPD" "$@")
}

for conf in "$data"/*.conf; do
	[ -e "$conf" ] || continue
	name=$(basename "$conf" .conf)
	out=$data/$name.out
	err=$data/$name.err
	[ -e "$out" ] || [ -e "$err" ] || continue

	run -nv -c "$name.conf" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ -e "$out" ]; then
		if [ "$status" -ne 0 ]; then
			bad "$name: parpd -nv exited $status"
			cat "$tmp/err"
			continue
		fi
		if diff -u "$out" "$tmp/out"; then
			ok "$name: -nv output"
		else
			bad "$name: -nv output differs from $name.out"
		fi
		# The printout parses again, silently, to the same printout.
		cp "$tmp/out" "$tmp/again.conf"
		"$PARPD" -nv -c "$tmp/again.conf" >"$tmp/again" \
		    2>"$tmp/again.err"
		status=$?
		if [ "$status" -eq 0 ] && [ ! -s "$tmp/again.err" ] &&
		    cmp -s "$tmp/out" "$tmp/again"; then
			ok "$name: printout is idempotent"
		else
			bad "$name: printout does not reparse identically"
			cat "$tmp/again.err"
			diff -u "$tmp/out" "$tmp/again"
		fi
	elif [ "$status" -ne 1 ]; then
		bad "$name: parpd -nv exited $status, expected 1"
		continue
	elif [ -s "$tmp/out" ]; then
		bad "$name: a failed check printed a configuration"
		continue
	fi
	if [ -e "$err" ]; then
		if diff -u "$err" "$tmp/err"; then
			ok "$name: diagnostics"
		else
			bad "$name: diagnostics differ from $name.err"
		fi
	elif [ -s "$tmp/err" ]; then
		bad "$name: unexpected diagnostics"
		cat "$tmp/err"
	fi
done

# The example that is installed as the default configuration.
shipped=$srcdir/conf/parpd.conf
if "$PARPD" -n -c "$shipped" >"$tmp/out" 2>"$tmp/err" &&
    [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then
	ok "conf/parpd.conf passes parpd -n"
else
	bad "conf/parpd.conf does not pass parpd -n"
	cat "$tmp/err"
fi

# A missing file is one precise error.
if run -n -c no-such.conf >"$tmp/out" 2>"$tmp/err"; then
	bad "a missing file was accepted"
elif grep -q '^no-such.conf: cannot open no-such.conf: ' "$tmp/err"; then
	ok "missing file"
else
	bad "missing file: unexpected message"
	cat "$tmp/err"
fi

# -h: the usage on standard output, status 0; -V: the version.
if "$PARPD" -h >"$tmp/out" 2>"$tmp/err" && grep -q '^usage: parpd ' \
    "$tmp/out" && [ ! -s "$tmp/err" ]; then
	ok "-h prints the usage to stdout, exit 0"
else
	bad "-h: not the usage on stdout with status 0"
fi
if "$PARPD" -V >"$tmp/out" 2>&1 && grep -qx 'parpd [0-9][0-9.]*' "$tmp/out"
then
	ok "-V prints the version"
else
	bad "-V: unexpected output"
	cat "$tmp/out"
fi
# -V's second line: the route back end (tests/integration/lib.sh reads it).
if "$PARPD" -V 2>&1 | sed -n 2p | grep -Eqx \
    'routes: (rtnetlink, protocol 245|libdnet, state file /.+)'; then
	ok "-V names the route back end"
else
	bad "-V: no route back end on the second line"
	"$PARPD" -V
fi
if "$PARPD" -Z >"$tmp/out" 2>"$tmp/err" || [ -s "$tmp/out" ] ||
    ! grep -q '^usage: parpd ' "$tmp/err"; then
	bad "an unknown option: not the usage on stderr with status 1"
else
	ok "an unknown option: usage on stderr, status 1"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
