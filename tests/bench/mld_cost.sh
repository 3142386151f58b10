#!/bin/sh
# What parpd's solicited-node groups cost the kernel (issue 11, a
# million hosts).  Linux keeps an interface's IPv6 multicast groups in a
# list and walks it for every multicast frame the interface takes in
# (ipv6_chk_mcast_addr from ip6_mc_input): each group parpd joins makes
# every Neighbor Solicitation, Router Advertisement or MLD message on the
# link dearer, for the host, not for parpd.  On a veth that work runs in
# the sender's sendmmsg, so the generator's achieved rate is the
# kernel's receive rate.
#
# Two namespaces on a veth; parpd on the responder's side with a tell
# rule for 2001:db8:1::/64.  A flood of NS from senders outside every
# rule (2001:db8:3::/64: parpd reads and ignores them, so both
# measurements pay the same capture) at the generator's ceiling, first
# with no host learned, then after M hosts of 2001:db8:1::/64 announced
# themselves (distinct solicited-node groups; M above parpd's cap of
# joined groups by default).  Printed: the groups joined, the rate the
# kernel took in without and with them, the ratio and the cost per
# frame.  Exits 1 when the ratio is below MIN_RATIO (default 0.5).
#
# Usage (root, after make check or with PARPD, PARPCTL, GEN set):
#	[M=5000] [SECS=2] [MIN_RATIO=0.5] sh tests/bench/mld_cost.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
M=${M:-5000} SECS=${SECS:-2} MIN_RATIO=${MIN_RATIO:-0.5}
PARPD=${PARPD:-$top/build/parpd}
PARPCTL=${PARPCTL:-$(dirname "$PARPD")/parpctl}
GEN=${GEN:-$top/build/tests/bench/wire/parpd-gen}
[ "$(id -u)" = 0 ] || { echo "mld_cost: needs root" >&2; exit 77; }
[ -x "$GEN" ] || { echo "mld_cost: no $GEN (make check builds it)" >&2; exit 77; }
. "$here/veth_lab.sh"
work=$(mktemp -d /tmp/mld-cost.XXXXXX)
G=mcg$$ R=mcr$$
cleanup()
{
	[ -n "${ppid:-}" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
	veth_lab_del
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
veth_lab || exit 1
ig ip addr add 2001:db8:1::2/64 dev wg0 nodad
ir ip addr add 2001:db8:1::fe/64 dev wr0 nodad
cat >"$work/parpd.conf" <<EOF
control $work/parpd.sock
cache
	limit $((M + 1000))
end
interface wr0
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
ip netns exec $R "$PARPD" -f -c "$work/parpd.conf" -p "$work/parpd.pid" \
    >"$work/parpd.log" 2>&1 &
ppid=$!
sleep 1
kill -0 "$ppid" 2>/dev/null || { cat "$work/parpd.log"; exit 1; }
counter() { ir "$PARPCTL" -s "$work/parpd.sock" show counters |
    awk -v n="$1" '$1 == n { print $2 }'; }

# flood: the kernel's receive rate of NS from senders no rule covers
flood()
{
	ig "$GEN" -i wg0 -6 -S -s 2001:db8:3::1:0 -n 100000 -r 2000000 \
	    -d "$SECS" -w 0 | tr ' ' '\n' | sed -n 's/^rate=//p'
}
r0=$(flood)
g0=$(counter mld_groups)
# M hosts announce themselves (one NS each, at 2000/s): parpd learns
# them and joins their groups, up to its cap.
ig "$GEN" -i wg0 -6 -S -s 2001:db8:1::1:0 -n "$M" -r 2000 \
    -d "$(echo "$M" | awk '{ print $1 / 2000 }')" -w 0 >/dev/null
prev=-1 g=$(counter mld_groups) n=0
while [ "$g" != "$prev" ] && [ "$n" -lt 30 ]; do
	sleep 1; prev=$g g=$(counter mld_groups) n=$((n + 1))
done
r1=$(flood)
learned=$(counter learned) nj=$(counter mld_not_joined)
kg=$(ir grep -c ' wr0 ' /proc/net/igmp6)
echo "mld_cost: $learned hosts learned; groups joined by parpd $g" \
    "(not joined: $nj), on wr0 in all $kg"
echo "$r0 $r1 $g0 $g $MIN_RATIO" | awk '{
	printf "mld_cost: IPv6 multicast frames/s taken in: %d with %d groups of parpd'"'"'s, %d with %d\n", $1, $3, $2, $4
	ratio = $1 > 0 ? $2 / $1 : 0
	printf "mld_cost: ratio %.2f, %.1f us more per frame (target: ratio >= %s)\n",
	    ratio, ($2 > 0 && $1 > 0) ? 1e6 / $2 - 1e6 / $1 : 0, $5
	exit !(ratio >= $5)
}' && { echo "mld_cost: PASS"; exit 0; }
echo "mld_cost: FAIL"
exit 1
