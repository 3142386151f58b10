#!/bin/sh
# A host moves between two interfaces of the gateway (both with `routes`):
# c1 first sits on the bridge (gateway eth0), then unplugs and talks over a
# second link (gateway eth1).  Its host routes move to eth1, and the
# gateway reaches it there; a `tell` on eth0 no longer answers for it.
. "$(dirname "$0")/lib.sh"
lab_init move 90
lab_topology c1 || exit 99

# Second link: gateway eth1 <-> c1 eth1, c1 keeping its MAC.
lab_in gw ip link add name eth1 type veth peer name eth1 netns "$(lab_ns c1)"
lab_in gw ip link set eth1 address 02:00:00:00:01:01
lab_in c1 ip link set eth1 address "$(lab_mac c1)"
lab_in gw ip addr add 192.0.2.1/24 dev eth1
lab_in gw ip -6 addr add 2001:db8:2::1/64 dev eth1 nodad
lab_in gw sysctl -qw net.ipv4.conf.eth1.send_redirects=0
lab_in gw ip link set eth1 up

conf=$(lab_conf <<EOF
interface eth0
	routes
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end

interface eth1
	routes
	rule 198.51.100.0/24 198.51.100.0/24 192.0.2.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:2::1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)

lab_say "c1 on the bridge (gateway eth0)"
lab_learn c1
lab_check "route $c1ip on eth0" lab_wait 5 lab_has_route gw "$c1ip" eth0
lab_check "route $c1ip6 on eth0" lab_wait 5 lab_has_route gw "$c1ip6" eth0
lab_check "dump: c1 on eth0" lab_learned "$c1ip" "$c1" eth0
lab_routes gw | sed 's/^/    /'
# The only rule for the server's requests is tell: an answer means told.
told()
{
	lab_arping srv "$c1ip" 1 >/dev/null
}
lab_check "the server on the bridge is told c1's MAC" told

lab_say "c1 moves: eth0 down, its addresses on eth1"
lab_in c1 ip link set eth0 down
lab_in c1 ip addr add "$c1ip/24" dev eth1
lab_in c1 ip -6 addr add "$c1ip6/64" dev eth1 nodad
lab_in c1 ip link set eth1 up
lab_learn c1 eth1
lab_check "route $c1ip moved to eth1" \
    lab_wait 5 lab_has_route gw "$c1ip" eth1
# A move is a removal on eth0 and an addition on eth1.
lab_check_route6_gone "route $c1ip6 moved to eth1" \
    lab_wait 5 lab_has_route gw "$c1ip6" eth1
lab_routes gw | sed 's/^/    /'
if why=$(lab_route6_removable); then
	lab_check_eq "exactly one proto 245 route for each address" "1 1" \
	    "$(lab_routes gw | grep -c "^$c1ip ") $(lab_routes gw |
	    grep -c "^$c1ip6 ")"
else
	lab_check_eq "exactly one $LAB_ROUTE_OWN route for $c1ip" 1 \
	    "$(lab_routes gw | grep -c "^$c1ip ")"
	lab_skip_check "exactly one $LAB_ROUTE_OWN route for $c1ip6" "$why"
fi
lab_check "dump: c1 on eth1" lab_learned "$c1ip" "$c1" eth1
lab_check_not "the server on the bridge is no longer told (entry on eth1)" \
    told
lab_check "the gateway pings c1 over eth1 (IPv4)" \
    lab_ping gw "$c1ip" 3 -I "$(lab_ip4 gw)"
# Over eth1 only once the route on eth0 is gone.
lab_check_route6_gone "the gateway pings c1 over eth1 (IPv6)" \
    lab_ping gw "$c1ip6" 3 -I "$(lab_ip6 gw)"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_done
