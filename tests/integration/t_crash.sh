#!/bin/sh
# kill -9 leaves parpd's host routes in the kernel; the next parpd adopts
# those of hosts it knew (state file, neighbour table) and refreshes them
# at once by unicast, so a host that left meanwhile loses its route within
# one refresh cycle (issue 9: before, every route was flushed at start),
# a host still there keeps its route, and a route of parpd's (protocol
# 245; libdnet: one its state file lists) on an interface parpd is not
# configured for stays.
. "$(dirname "$0")/lib.sh"
lab_init crash 90
lab_topology c1 c2 || exit 99

# An interface of the gateway that parpd is not configured for.
lab_netns far
lab_in gw ip link add name eth9 type veth peer name eth0 \
    netns "$(lab_ns far)"
lab_in gw ip link set eth9 up
lab_in far ip link set eth0 up
if [ "$LAB_ROUTES_VIA" = rtnetlink ]; then
	lab_in gw ip route add 203.0.113.9/32 dev eth9 proto 245
else
	# parpd's by its state file, as an earlier parpd would have left it.
	lab_in gw ip route add 203.0.113.9/32 dev eth9
	echo "eth9 203.0.113.9" >>"$LAB_ROUTE_STATE"
fi

conf=$(lab_conf <<EOF
cache
	refresh 3*1
end
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
lab_learn c1
lab_learn c2
for c in c1 c2; do
	lab_check "route $(lab_ip4 $c) installed" \
	    lab_wait 5 lab_has_route gw "$(lab_ip4 $c)" eth0
	lab_check "route $(lab_ip6 $c) installed" \
	    lab_wait 5 lab_has_route gw "$(lab_ip6 $c)" eth0
done

lab_say "kill -9 parpd"
lab_parpd_stop KILL
lab_say "routes left behind:"
lab_routes gw | sed 's/^/    /'
lab_check "the kernel kept the crashed parpd's routes" \
    lab_has_route gw "$(lab_ip4 c2)" eth0
lab_say "c2 leaves the network; parpd restarts"
ip netns del "$(lab_ns c2)"
lab_parpd_start gw "$conf" "$LAB_DIR/parpd2.log" || exit 99
# One refresh cycle: 3 * 1 s (lab_wait counts whole seconds).
lab_check "route $(lab_ip4 c2) of the departed host cleared within a cycle" \
    lab_wait 5 lab_no_route gw "$(lab_ip4 c2)"
lab_check_route6_gone "route $(lab_ip6 c2) of the departed host cleared within a cycle" \
    lab_wait 5 lab_no_route gw "$(lab_ip6 c2)"
lab_check "the $LAB_ROUTE_OWN route on eth9 (not configured) is untouched" \
    lab_has_route gw 203.0.113.9 eth9
lab_learn c1
lab_check "c1, still there, is learned again with its route" \
    lab_wait 5 lab_has_route gw "$(lab_ip4 c1)" eth0
lab_routes gw | sed 's/^/    /'
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
if why=$(lab_route6_removable); then
	lab_check_eq "only the eth9 route is left" "203.0.113.9 dev eth9" \
	    "$(lab_routes gw | awk '{ print $1, $2, $3 }')"
else
	lab_check_eq "only the eth9 route is left (IPv4)" "203.0.113.9 dev eth9" \
	    "$(lab_ip_routes gw -4 | awk '{ print $1, $2, $3 }')"
	lab_skip_check "only the eth9 route is left (IPv6)" "$why"
fi
lab_done
