#!/bin/sh
# A reload that drops an interface removes that interface's entries and
# host routes and keeps the others'; a reload that adds it back makes
# parpd answer there again.
. "$(dirname "$0")/lib.sh"
lab_init reload_iface 90
lab_topology c1 || exit 99
lab_netns c4
lab_in gw ip link add name eth1 type veth peer name eth0 netns "$(lab_ns c4)"
lab_in gw ip link set eth1 address 02:00:00:00:01:01
lab_in gw ip addr add 192.0.2.1/24 dev eth1
lab_in gw ip link set eth1 up
lab_in c4 ip link set eth0 address "$(lab_mac c4)"
lab_in c4 ip addr add "$(lab_ip4 c4)/24" dev eth0
lab_in c4 ip link set eth0 up

both()
{
	lab_conf <<EOF
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
end

interface eth1
	routes
	rule 198.51.100.0/24 198.51.100.0/24 192.0.2.1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
}
conf=$(both)
lab_parpd_start gw "$conf" || exit 99
c4ip=$(lab_ip4 c4)
answered()
{
	lab_arping c4 198.51.100.200 1 | grep -qi 02:00:00:00:01:01
}
lab_learn c1
lab_check "c4 behind eth1 is answered with eth1's MAC" answered
lab_check "route for c1 on eth0" lab_wait 3 lab_has_route gw "$(lab_ip4 c1)" eth0
lab_check "route for c4 on eth1" lab_wait 3 lab_has_route gw "$c4ip" eth1
lab_routes gw | sed 's/^/    /'

lab_say "reload without eth1"
lab_conf >/dev/null <<EOF
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
kill -HUP "$LAB_PARPD_PID"
lab_check "c4's route on eth1 is removed" lab_wait 5 lab_no_route gw "$c4ip"
lab_check "c1's route on eth0 stays" lab_has_route gw "$(lab_ip4 c1)" eth0
lab_routes gw | sed 's/^/    /'
lab_check "dump: c4's entry dropped" lab_not_cached "$c4ip"
lab_check "dump: c1's entry kept" lab_learned "$(lab_ip4 c1)" "$(lab_mac c1)"
lab_check_not "c4 is no longer answered" answered

lab_say "reload with eth1 again"
both >/dev/null
kill -HUP "$LAB_PARPD_PID"
lab_check "c4 is answered again within 5 s" lab_wait 5 answered
lab_check "c4's route is back on eth1" lab_wait 3 lab_has_route gw "$c4ip" eth1
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_done
