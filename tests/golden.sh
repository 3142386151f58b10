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
# run by hand: PARPD=./parpd PARPCTL=./parpctl srcdir=/path/to/source \
#     sh tests/golden.sh
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

# -n -x: which rule of a file decides, before it is deployed.
cat >"$tmp/x.conf" <<EOF
interface em0
	rule 198.51.100.4/32 198.51.100.0/24 ignore
	rule 198.51.100.0/24 198.51.100.0/24 tell
	static 198.51.100.99 02:00:00:00:00:99
end
EOF
want="em0: 198.51.100.4 asking for 198.51.100.9: silent: the rule at line 2 \
(ignore) says ignore (offline: nothing learned, and em0's own addresses \
unknown)"
if "$PARPD" -n -c "$tmp/x.conf" -x em0 198.51.100.4 198.51.100.9 \
    >"$tmp/out" 2>"$tmp/err" && [ "$(cat "$tmp/out")" = "$want" ] &&
    [ ! -s "$tmp/err" ]; then
	ok "-n -x names the deciding rule"
else
	bad "-n -x: unexpected output"
	cat "$tmp/out" "$tmp/err"
fi
if "$PARPD" -n -c "$tmp/x.conf" -x em0 198.51.100.5 198.51.100.99 \
    >"$tmp/out" 2>&1 && grep -q 'line 3 (tell) decides; parpd answers with 02:00:00:00:00:99 (198.51.100.99: static)' \
    "$tmp/out"; then
	ok "-n -x: a static pair is answered"
else
	bad "-n -x: the static pair's answer"
	cat "$tmp/out"
fi
if "$PARPD" -n -c "$tmp/x.conf" -x em1 198.51.100.5 198.51.100.9 \
    >"$tmp/out" 2>"$tmp/err" || [ -s "$tmp/out" ] ||
    ! grep -qx 'no interface em1 in the configuration' "$tmp/err"; then
	bad "-n -x with an unknown interface: not an error on stderr"
else
	ok "-n -x with an unknown interface: error on stderr, status 1"
fi
if "$PARPD" -c "$tmp/x.conf" -x em0 198.51.100.5 198.51.100.9 \
    >"$tmp/out" 2>"$tmp/err" || ! grep -q '^usage: parpd ' "$tmp/err"; then
	bad "-x without -n: not the usage"
else
	ok "-x without -n: usage, status 1"
fi

# parpctl: version, usage, and a clear status 2 when nobody listens.
: "${PARPCTL:?PARPCTL is not set}"
if "$PARPCTL" -V >"$tmp/out" 2>&1 && grep -qx 'parpctl [0-9][0-9.]*' \
    "$tmp/out"; then
	ok "parpctl -V prints the version"
else
	bad "parpctl -V: unexpected output"
fi
if "$PARPCTL" -h >"$tmp/out" 2>"$tmp/err" &&
    grep -q '^usage: parpctl ' "$tmp/out" && [ ! -s "$tmp/err" ]; then
	ok "parpctl -h prints the usage to stdout"
else
	bad "parpctl -h: not the usage on stdout"
fi
rc=0
"$PARPCTL" -s "$tmp/none.sock" show counters >"$tmp/out" 2>"$tmp/err" ||
    rc=$?
if [ "$rc" -eq 2 ] && grep -q 'is parpd running' "$tmp/err"; then
	ok "parpctl without a parpd: status 2, says why"
else
	bad "parpctl without a parpd: status $rc"
	cat "$tmp/err"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
