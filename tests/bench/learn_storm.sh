#!/bin/sh
# The learning storm (issue 11, "a million hosts"): every subscriber's CPE
# asks at once after an outage.  N distinct invented IPv6 senders
# (2001:db8:1::1:0 upwards, one NS each; IPv6 because the benchmark's
# IPv4 range holds only 131,072 addresses) flood a `routes' interface
# whose tell scope covers them, in passes until all are learned (a CPE
# asks again), while a legitimate requester asks for 16 known IPv4 hosts
# at 1000/s throughout.  Printed: entries learned and host routes added
# per second (parpd's counters, polled each second), the legitimate
# requester's share and p99, parpd's resident memory at the end, the
# kernel's routes of protocol 245, and how long SIGTERM takes to remove
# them.  Fails (exit 1) when parpd dies, learns or routes fewer than N,
# or leaves a route behind; the figures themselves are not judged.
#
# Usage (root): [N=1000000] [RATE=200000] [PARPD=...] [PARPCTL=...]
#     [GEN=...] sh tests/bench/learn_storm.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
N=${N:-1000000} RATE=${RATE:-200000}
PARPD=${PARPD:-$top/build/parpd}
PARPCTL=${PARPCTL:-$(dirname "$PARPD")/parpctl}
GEN=${GEN:-$top/build/tests/bench/wire/parpd-gen}
[ "$(id -u)" = 0 ] || { echo "learn_storm: needs root" >&2; exit 77; }
[ -x "$GEN" ] || { echo "learn_storm: no $GEN (make check builds it)" >&2; exit 77; }
. "$here/veth_lab.sh"
work=$(mktemp -d /tmp/learn-storm.XXXXXX)
G=lsg$$ R=lsr$$
cleanup()
{
	[ -n "${ppid:-}" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
	[ -n "${lpid:-}" ] && touch "$work/stop" && wait "$lpid" 2>/dev/null
	veth_lab_del
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
veth_lab || exit 1
for ns in $G $R; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.forwarding=1
done
ig ip addr add 198.18.0.2/16 dev wg0
ig ip addr add 2001:db8:1::2/64 dev wg0 nodad
ir ip addr add 198.18.0.254/16 dev wr0
ir ip addr add 2001:db8:1::fe/64 dev wr0 nodad
# A table as large as the flood (a prime about a third of it, as
# parpd.conf(5) advises, is left to the operator; this one is simple).
ts=$((N / 3 + 1))
cat >"$work/parpd.conf" <<EOF
control $work/parpd.sock
dumpfile $work/parpd.dump
cache
	limit $((N + 1000))
	tablesize $ts
	timeout 3600
end
interface wr0
	routes
	rule 198.18.0.0/16 198.19.0.0/16 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
ip netns exec $R "$PARPD" -f -c "$work/parpd.conf" -p "$work/parpd.pid" \
    >"$work/parpd.log" 2>&1 &
ppid=$!
sleep 1
ctl() { ir "$PARPCTL" -s "$work/parpd.sock" "$@"; }
counter() { ctl show counters | awk -v n="$1" '$1 == n { print $2 }'; }
kill -0 "$ppid" 2>/dev/null || { cat "$work/parpd.log"; exit 1; }

# The legitimate requester: 16 IPv4 hosts learned first, then asked for
# at 1000/s in rounds of 5 s until the storm is over, a line per round.
ig "$GEN" -i wg0 -n 16 -L 198.18.0.254 -r 1000 -d 1 >/dev/null 2>&1
(
	while [ ! -f "$work/stop" ]; do
		ig "$GEN" -i wg0 -n 16 -r 1000 -d 5 -w 0.2
	done >"$work/legit.out" 2>&1
) &
lpid=$!

echo "learn_storm: $N IPv6 senders at $RATE/s on a routes interface"
t0=$(date +%s.%N)
poll_learned=0 poll_routes=0 pass=0 status=0
while :; do
	pass=$((pass + 1))
	ig "$GEN" -6 -S -i wg0 -s 2001:db8:1::1:0 -n "$N" -r "$RATE" \
	    -d "$(echo "$N $RATE" | awk '{ print $1 / $2 }')" -w 0 \
	    >"$work/storm.out" 2>&1 &
	spid=$!
	while kill -0 "$spid" 2>/dev/null; do
		sleep 1
		l=$(counter learned) r=$(counter route_added)
		echo "  pass $pass: +$(( ${l:-0} - poll_learned )) learned," \
		    "+$(( ${r:-0} - poll_routes )) routes (total $l, $r)"
		poll_learned=${l:-0} poll_routes=${r:-0}
	done
	wait "$spid"
	sleep 2
	l=$(counter learned)
	[ "${l:-0}" -ge "$N" ] || [ "$pass" -ge 5 ] && break
done
# Routes may still be going in: wait until the count stands still.
prev=-1
while r=$(counter route_added); [ "$r" != "$prev" ]; do
	prev=$r; sleep 1
done
t1=$(date +%s.%N)
touch "$work/stop"; wait "$lpid" 2>/dev/null; lpid=""
l=$(counter learned) r=$(counter route_added) e=$(counter entries)
drop=$(counter iface.wr0.pcap_dropped) mld=$(counter mld_groups)
el=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ppid/status")
kr=$(ir ip -6 route show proto 245 | wc -l)
echo "learn_storm: $pass pass(es), $el s: learned $l (entries $e)," \
    "routes added $r, kernel routes of proto 245: $kr; pcap_dropped $drop," \
    "solicited-node groups joined $mld"
echo "learn_storm: $(echo "$l $r $el" | awk '{ printf "%.0f entries/s, %.0f routes/s", $1 / $3, $2 / $3 }') over the storm"
echo "learn_storm: resident memory at the end: $((rss / 1024)) MB ($rss kB)"
# sent, answered and the worst p99 and max over the rounds
echo "learn_storm: legitimate requester: $(tr ' ' '\n' <"$work/legit.out" |
    awk -F= '$1 == "sent" { s += $2 } $1 == "answered" { a += $2 }
	$1 == "late" { a += $2 } $1 == "p99_us" && $2 > p { p = $2 }
	$1 == "max_us" && $2 > m { m = $2 }
	$1 == "rp99_us" && $2 > rp { rp = $2 }
	END { printf "%d of %d answered, worst p99 of a 5 s round %.0f us (%.0f us to the generator'"'"'s read), max %.0f us", a, s, p, rp, m }')"
t2=$(date +%s.%N)
kill -TERM "$ppid"; wait "$ppid"; rc=$?; ppid=""
t3=$(date +%s.%N)
left=$(ir ip -6 route show proto 245 | wc -l)
echo "learn_storm: SIGTERM: exit $rc after $(echo "$t2 $t3" | awk '{ printf "%.1f", $2 - $1 }') s; routes left: $left"
[ "${l:-0}" -ge "$N" ] || { echo "learn_storm: FAIL: learned $l of $N"; status=1; }
[ "${kr:-0}" -ge "$N" ] || { echo "learn_storm: FAIL: $kr routes of $N"; status=1; }
[ "$rc" = 0 ] || { echo "learn_storm: FAIL: parpd exit $rc"; tail -n 20 "$work/parpd.log"; status=1; }
[ "$left" = 0 ] || { echo "learn_storm: FAIL: $left routes left"; status=1; }
[ "$status" = 0 ] && echo "learn_storm: PASS"
exit "$status"
