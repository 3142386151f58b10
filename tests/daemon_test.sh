#!/bin/sh
# The whole daemon (loop, signals, reload, dump, interface loss, routes at
# exit) without root and without namespaces: PARPD_TEST_BACKENDS puts the
# file back ends in place of libpcap, libdnet and rtnetlink (parpd.8,
# ENVIRONMENT; src/capture_file.c, src/iface_file.c, src/route_record.c).
# Frames go in through DIR/em0.in and answers come out in DIR/em0.out as
# hex lines; the interface is DIR/em0.iface; routes are DIR/routes.
# Every check compares what parpd wrote with what the scenario expects.

PASSED=0
FAILED=0
PID=
WATCHDOG=
DIR=$(mktemp -d "${TMPDIR:-/tmp}/parpd-daemon.XXXXXX") || exit 99

cleanup()
{
	trap - EXIT INT TERM
	[ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID" 2>/dev/null
	fi
	if [ "$FAILED" -ne 0 ] && [ -f "$DIR/log" ]; then
		echo "---- parpd's log"
		cat "$DIR/log"
		echo "---- routes"
		cat "$DIR/routes" 2>/dev/null
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'FAILED=$((FAILED + 1)); exit 1' INT TERM

if [ -z "${PARPD:-}" ] || [ ! -x "$PARPD" ]; then
	echo "PARPD (${PARPD:-unset}) is not an executable"
	exit 99
fi

# A write into a FIFO nobody reads blocks: end the test instead.
(
	trap 'kill $_sp 2>/dev/null; exit 0' TERM
	sleep 60 >/dev/null 2>&1 &
	_sp=$!
	wait $_sp || exit 0
	echo "TIMEOUT: the daemon test took over 60 s" >&2
	kill -TERM $$
) >/dev/null &
WATCHDOG=$!

ok()
{
	PASSED=$((PASSED + 1))
	echo "ok: $1"
}

fail()
{
	FAILED=$((FAILED + 1))
	echo "FAIL: $1"
}

# check TEXT CMD...: CMD must succeed.
check()
{
	_what=$1
	shift
	if "$@"; then ok "$_what"; else fail "$_what"; fi
}

# check_eq TEXT WANT GOT
check_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1"
		echo "    want: $2"
		echo "    got:  $3"
	fi
}

# wait_for SECONDS CMD...: retry CMD every 0.1 s.
wait_for()
{
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# count FILE PATTERN: lines of FILE matching the fixed string PATTERN.
count()
{
	grep -cF -- "$2" "$1" 2>/dev/null || true
}

log_has()
{
	[ "$(count "$DIR/log" "$1")" -ge "${2:-1}" ]
}

lines()
{
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

out_lines()
{
	[ "$(lines "$DIR/em0.out")" -ge "$1" ]
}

# dump N: ask for dump number N and wait for it.
dump()
{
	kill -USR1 "$PID"
	wait_for 5 grep -sqx "dumps $1" "$DIR/dump"
}

# ---- frames, as hex: destination, source, ARP ----
BCAST=ffffffffffff
PAD=000000000000000000000000000000000000
GW_MAC=020000000001
C1_MAC=0200000000c1
SRV_MAC=020000000005
SRV2_MAC=020000000006
GW_IP=c6336401	# 198.51.100.1, em0's address
C1_IP=c6336402	# 198.51.100.2
SRV_IP=c633640a	# 198.51.100.10
SRV2_IP=c633640b	# 198.51.100.11

# arp_req SHA SPA TPA: a broadcast who-has.
arp_req()
{
	echo "$BCAST $1 0806 0001 0800 06 04 0001 $1 $2 000000000000 $3 $PAD"
}

send()
{
	echo "$1" >"$DIR/em0.in"
}

conf_tell()
{
	cat <<EOF
pidfile $DIR/pid
dumpfile $DIR/dump
control $DIR/sock
interface em0
	routes
	$1
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
}

# ---- start ----
conf_tell "" >"$DIR/parpd.conf"
rc=0
PARPD_TEST_BACKENDS=$DIR "$PARPD" -c "$DIR/parpd.conf" >"$DIR/log" 2>&1 ||
    rc=$?
check_eq "the test back ends are refused without -d or -f" 1 "$rc"
check "the refusal says why" log_has "is for tests only"
echo "up 02:00:00:00:00:01 198.51.100.1 fe80::1" >"$DIR/em0.iface"
conf_tell "" >"$DIR/parpd.conf"
PARPD_TEST_BACKENDS=$DIR "$PARPD" -d -c "$DIR/parpd.conf" >"$DIR/log" 2>&1 &
PID=$!
check "parpd listens on the file interface em0" \
    wait_for 5 log_has "em0: listening (02:00:00:00:00:01 198.51.100.1"
if ! log_has "em0: listening"; then
	echo "parpd did not start"
	exit 1
fi

# ---- an ARP request for a tell'ed host is answered ----
send "$(arp_req $C1_MAC $C1_IP $GW_IP)"
check "c1's request for the gateway teaches parpd c1" \
    wait_for 5 log_has "em0: learned 198.51.100.2 at 02:00:00:00:00:c1"
check "c1's route is added on em0" \
    wait_for 5 grep -qx "add 198.51.100.2 em0" "$DIR/routes"
send "$(arp_req $SRV_MAC $SRV_IP $C1_IP)"
check "the server's request for c1 is answered" wait_for 5 out_lines 1
want="${SRV_MAC}${GW_MAC}08060001080006040002${C1_MAC}${C1_IP}${SRV_MAC}${SRV_IP}$PAD"
check_eq "the answer gives c1's MAC, from em0's MAC, to the server" \
    "$want" "$(sed -n 1p "$DIR/em0.out")"

# ---- SIGUSR1 ----
check "SIGUSR1 writes the dump" dump 1
check "the dump lists c1 on em0 with parpd's route" \
    grep -qx "198.51.100.2 02:00:00:00:00:c1 em0 learned [0-9]* yes" \
    "$DIR/dump"
check_eq "the dump counts one answer" "answered 1" \
    "$(grep '^answered ' "$DIR/dump")"
check_eq "the dump counts the two frames read on em0" \
    "iface.em0.rx_frames 2" "$(grep '^iface.em0.rx_frames ' "$DIR/dump")"

# ---- SIGHUP with a bad file: refused, the old rules stay ----
printf 'interface em0\n\trule 198.51.100.0/24 nonsense\nend\n' \
    >"$DIR/parpd.conf"
kill -HUP "$PID"
check "SIGHUP with a bad file is refused" \
    wait_for 5 log_has "keeping the configuration in force"
check "the bad file's error is logged with its line" \
    log_has "parpd.conf:2:"
send "$(arp_req $SRV_MAC $SRV_IP $C1_IP)"
check "the old rules still answer after the refused reload" \
    wait_for 5 out_lines 2
check "the dump counts the failed reload and no reload" dump 2
check_eq "reload_failures 1" "reload_failures 1" \
    "$(grep '^reload_failures ' "$DIR/dump")"
check_eq "reloads 0" "reloads 0" "$(grep '^reloads ' "$DIR/dump")"

# ---- SIGHUP with a new file: the server is now ignored ----
conf_tell "rule 198.51.100.10/32 198.51.100.0/24 ignore" >"$DIR/parpd.conf"
kill -HUP "$PID"
check "SIGHUP with a good file is applied" \
    wait_for 5 log_has "configuration reloaded: 1 interface"
send "$(arp_req $SRV_MAC $SRV_IP $C1_IP)"
send "$(arp_req $SRV2_MAC $SRV2_IP $C1_IP)"
check "the second server's request is answered" wait_for 5 out_lines 3
want="${SRV2_MAC}${GW_MAC}08060001080006040002${C1_MAC}${C1_IP}${SRV2_MAC}${SRV2_IP}$PAD"
check_eq "the new rule ignored the server; the next answer is the other's" \
    "$want" "$(sed -n 3p "$DIR/em0.out")"
check "c1 survived the reload" dump 3
check "the dump still lists c1" \
    grep -q "^198.51.100.2 02:00:00:00:00:c1 em0 " "$DIR/dump"

# ---- interface lost and back ----
# The entries stay; the kernel drops the routes with the link, so parpd
# no longer counts them as routed and adds them again when em0 is back.
rm "$DIR/em0.iface"
check "em0 gone: noticed at the next rescan" \
    wait_for 8 log_has "em0: interface vanished"
check "the dump says em0 is down and lost once" dump 4
check_eq "iface.em0.up 0" "iface.em0.up 0" \
    "$(grep '^iface.em0.up ' "$DIR/dump")"
check_eq "iface.em0.lost 1" "iface.em0.lost 1" \
    "$(grep '^iface.em0.lost ' "$DIR/dump")"
check "c1 stays in the cache, no longer routed" \
    grep -qx "198.51.100.2 02:00:00:00:00:c1 em0 learned [0-9]* no" \
    "$DIR/dump"
echo "up 02:00:00:00:00:01 198.51.100.1 fe80::1" >"$DIR/em0.iface"
check "em0 back: listening again" \
    wait_for 8 log_has "em0: listening (02:00:00:00:00:01" 2
check "c1's route is added again" \
    wait_for 5 test "$(count "$DIR/routes" "add 198.51.100.2 em0")" -eq 2
send "$(arp_req $SRV2_MAC $SRV2_IP $C1_IP)"
check "answers again after em0 came back" wait_for 5 out_lines 4
check_eq "the fourth answer is c1's for the second server" \
    "$want" "$(sed -n 4p "$DIR/em0.out")"

# ---- SIGTERM removes parpd's routes ----
adds=$(count "$DIR/routes" "add 198.51.100.")
kill -TERM "$PID"
rc=0
wait "$PID" || rc=$?
PID=
check_eq "parpd exits 0 on SIGTERM" 0 "$rc"
check "it says why it exits" log_has "exiting on SIGTERM"
for ip in 198.51.100.2 198.51.100.10 198.51.100.11; do
	check_eq "the route of $ip is deleted last" "del $ip em0" \
	    "$(grep " $ip em0\$" "$DIR/routes" | tail -n 1)"
done
check "routes were added at all ($adds)" [ "$adds" -ge 4 ]

# ---- the state file: written at exit, adopted by the next start ----
check "the state file (beside the pidfile) has its version line" \
    grep -qx "parpd-cache 1" "$DIR/parpd.cache"
check "and c1's pair" \
    grep -q "^em0 198.51.100.2 02:00:00:00:00:c1 [0-9]*\$" "$DIR/parpd.cache"
PARPD_TEST_BACKENDS=$DIR "$PARPD" -d -c "$DIR/parpd.conf" >"$DIR/log" 2>&1 &
PID=$!
check "the next start adopts the three pairs" \
    wait_for 5 log_has "3 pairs adopted of 3 read (0 rejected, 0 older"
check "and restores c1's route before the first frame" \
    wait_for 5 sh -c "tail -n 3 '$DIR/routes' | grep -qx 'add 198.51.100.2 em0'"
check "the dump lists c1, routed" dump 1
check "c1 is in it" grep -q "^198.51.100.2 02:00:00:00:00:c1 em0 [a-z]* [0-9]* yes\$" \
    "$DIR/dump"
check_eq "the dump counts the adoptions" "adopted 3" \
    "$(grep '^adopted ' "$DIR/dump")"
check "c1 is refreshed at once by a unicast ARP request" \
    grep -q "^${C1_MAC}${GW_MAC}08060001080006040001${GW_MAC}${GW_IP}000000000000${C1_IP}" \
    "$DIR/em0.out"
kill -TERM "$PID"
rc=0
wait "$PID" || rc=$?
PID=
check_eq "the second run exits 0 on SIGTERM" 0 "$rc"

echo "passed $PASSED, failed $FAILED"
[ "$FAILED" -eq 0 ]
