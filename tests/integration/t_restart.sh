#!/bin/sh
# Restarts without outage (issue 9): a gateway whose LAN address is a /32
# reaches its 10 hosts only through parpd's host routes; a pinger outside
# the gateway probes each host every 0.2 s; the hosts stay silent (their
# neighbour entry for the gateway is pinned, so they never ask), answering
# only what they are asked.
#   kill -9 and an immediate restart: no host loses more than 1 s of
#   replies (the routes left behind are adopted, not flushed);
#   SIGTERM and start (systemctl restart): no more than 3 s (the state
#   file written at exit makes the next run restore the routes before its
#   first frame);
#   the SIGUSR1 dump lists every host within 3 s of the restart;
#   a host that left during the downtime loses its route within one
#   refresh cycle (here 3 * 1 s) of the restart, the others keep theirs;
#   without the state file, the kernel's neighbour table vouches for the
#   routes a kill -9 left.
# Before issue 9 the next run flushed every route and started empty: the
# silent hosts stayed unreachable.
. "$(dirname "$0")/lib.sh"
lab_init restart 150
lab_route_backend || exit 99
HOSTS="c1 c2 c3 c4 c5 c6 c7 c8 c9 c10"
# shellcheck disable=SC2086
lab_topology $HOSTS || exit 99

# The gateway's LAN address alone, without its subnet: only host routes
# lead to the hosts.  The pinger is on a link of its own.
lab_in gw ip addr del "$(lab_ip4 gw)/24" dev eth0
lab_in gw ip addr add "$(lab_ip4 gw)/32" dev eth0
lab_netns out
lab_in gw ip link add name eth1 type veth peer name eth0 \
    netns "$(lab_ns out)"
lab_in gw ip addr add 192.0.2.1/24 dev eth1
lab_in gw ip link set eth1 up
lab_in out ip addr add 192.0.2.2/24 dev eth0
lab_in out ip link set eth0 up
lab_in out ip route add 198.51.100.0/24 via 192.0.2.1
for c in $HOSTS; do
	lab_in "$c" ip route add default via "$(lab_ip4 gw)"
done

conf=$(lab_conf <<EOF
cache
	timeout 60
	refresh 3*1
end
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
pids=
for c in $HOSTS; do
	lab_arping "$c" "$(lab_ip4 gw)" 1 >/dev/null 2>&1 &
	pids="$pids $!"
done
# Not a bare wait: the watchdog is a child too.
# shellcheck disable=SC2086
wait $pids
for c in $HOSTS; do
	# Silent from now on: the gateway's MAC is never asked for again.
	lab_in "$c" ip neigh replace "$(lab_ip4 gw)" lladdr "$(lab_mac gw)" \
	    dev eth0 nud permanent
done
all_routed()
{
	for _c in $HOSTS; do
		lab_has_route gw "$(lab_ip4 "$_c")" eth0 || return 1
	done
}
lab_check "10 hosts learned and routed" lab_wait 10 all_routed
lab_check "the state file lists them (written 5 s after a change)" \
    lab_wait 10 sh -c "test \$(grep -c ' 198\\.51\\.100\\.' \
    '$LAB_DIR/parpd.cache') = 10"

# One pinger per host; -D stamps each reply with the wall clock.
for c in $HOSTS; do
	lab_in out ping -n -D -i 0.2 -W 1 "$(lab_ip4 "$c")" \
	    >"$LAB_DIR/ping.$c" 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
done
sleep 2
lab_check "every host answers the pinger" sh -c "for c in $HOSTS; do
    grep -q 'bytes from' '$LAB_DIR/ping.'\$c || exit 1; done"

now()
{
	date +%s.%N
}

# dumped_all: a fresh dump has an entry for every host.
dumped_all()
{
	local _d _c
	_d=$(lab_dump) || return 1
	for _c in $HOSTS; do
		[ -n "$(lab_dump_entry "$_d" "$(lab_ip4 "$_c")")" ] || return 1
	done
}

# restart SIGNAL LOG: stop parpd, start it again at once; check the dump.
restart()
{
	local _t0
	lab_parpd_stop "$1"
	lab_parpd_start gw "$conf" "$LAB_DIR/$2" || exit 99
	_t0=$(date +%s)
	lab_check "after SIGUSR1, the dump lists every host within 3 s" \
	    lab_wait 3 dumped_all
	echo "    (dump complete $(($(date +%s) - _t0)) s after start)"
}

lab_say "kill -9 and restart"
k0=$(now)
restart KILL parpd2.log
sleep 6
k1=$(now)
# The windows must not share a gap.
sleep 1
lab_say "SIGTERM and start"
s0=$(now)
restart TERM parpd3.log
sleep 6
s1=$(now)
for pid in $LAB_PIDS; do
	kill "$pid" 2>/dev/null
done
# shellcheck disable=SC2086
wait $LAB_PIDS 2>/dev/null
LAB_PIDS=

# worst HOST FROM TO: the longest time without a reply around [FROM, TO]
# (10^9 when the host never answered again),
# less the 0.2 s interval: the seconds of replies lost.
worst()
{
	sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' "$LAB_DIR/ping.$1" |
	    awk -v a="$2" -v b="$3" '
		{ if (n++ && $1 >= a && prev <= b && $1 - prev > g)
			g = $1 - prev
		  prev = $1 }
		END { if (prev < b - 1) g = 1e9
		    printf "%.2f\n", (g > 0.2 ? g - 0.2 : 0) }'
}
kmax=0
smax=0
for c in $HOSTS; do
	k=$(worst "$c" "$k0" "$k1")
	s=$(worst "$c" "$s0" "$s1")
	echo "    $c $(lab_ip4 "$c"): lost ${k} s at kill -9, ${s} s at stop/start"
	kmax=$(echo "$k $kmax" | awk '{ print ($1 > $2) ? $1 : $2 }')
	smax=$(echo "$s $smax" | awk '{ print ($1 > $2) ? $1 : $2 }')
done
lab_check "kill -9: no host loses more than 1 s of replies (worst $kmax s)" \
    awk -v g="$kmax" 'BEGIN { exit !(g <= 1) }'
lab_check "stop/start: no host loses more than 3 s (worst $smax s)" \
    awk -v g="$smax" 'BEGIN { exit !(g <= 3) }'
lab_check "the kill -9 restart adopted the 10 pairs of the state file" \
    grep -q '10 pairs adopted' "$LAB_DIR/parpd2.log"
lab_check "the start after SIGTERM adopted them and restored the routes" \
    grep -q '10 pairs adopted' "$LAB_DIR/parpd3.log"

lab_say "c10 leaves while parpd is down (kill -9); parpd restarts"
lab_parpd_stop KILL
ip netns del "$(lab_ns c10)"
lab_parpd_start gw "$conf" "$LAB_DIR/parpd4.log" || exit 99
t0=$(date +%s)
# One refresh cycle is 3 s; lab_wait looks every 0.2 s, by whole seconds.
lab_check "route $(lab_ip4 c10) of the departed host gone within a cycle" \
    lab_wait 4 lab_no_route gw "$(lab_ip4 c10)"
echo "    (gone $(($(date +%s) - t0)) s after start)"
lab_check "$(lab_ip4 c10) is no longer in the dump" \
    lab_not_cached "$(lab_ip4 c10)"
sleep 3
others_routed()
{
	for _c in c1 c2 c3 c4 c5 c6 c7 c8 c9; do
		lab_has_route gw "$(lab_ip4 "$_c")" eth0 || return 1
	done
}
lab_check "the 9 others answered the refresh and keep their routes" \
    others_routed
lab_check "c1 still answers the pinger" lab_in out ping -n -q -c 3 -i 0.2 \
    -W 1 "$(lab_ip4 c1)"

lab_say "kill -9 with the state file lost: the neighbour table vouches"
if [ "$LAB_ROUTES_VIA" = rtnetlink ]; then
	lab_parpd_stop KILL
	rm -f "$LAB_DIR/parpd.cache"
	lab_parpd_start gw "$conf" "$LAB_DIR/parpd5.log" || exit 99
	lab_check "the 9 leftover routes are kept: the kernel knows their MACs" \
	    grep -q '9 leftover routes kept: hosts in the neighbour table' \
	    "$LAB_DIR/parpd5.log"
	lab_check "and routed right after the start" others_routed
	sleep 4
	lab_check "still routed after a refresh cycle (they answered)" \
	    others_routed
else
	lab_skip_check "leftover routes kept by the neighbour table" \
	    "the libdnet back end has no neighbour table to ask"
fi
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no route of parpd's left"
lab_done
