#!/bin/sh
# parpd starts on a configuration naming an interface that does not exist
# yet (eth5); once the interface appears, 3 s later, parpd answers on it.
# When the interface is deleted and created again, it answers again.
. "$(dirname "$0")/lib.sh"
lab_init iface_late 90
lab_topology c1 || exit 99
lab_netns c4

conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
end

interface eth5
	routes
	rule 198.51.100.0/24 198.51.100.0/24 192.0.2.1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
)
eth5mac=02:00:00:00:05:01
plug()
{
	lab_in gw ip link add name eth5 type veth peer name eth0 \
	    netns "$(lab_ns c4)"
	lab_in gw ip link set eth5 address "$eth5mac"
	lab_in gw ip addr add 192.0.2.1/24 dev eth5
	lab_in gw ip link set eth5 up
	lab_in c4 ip link set eth0 address "$(lab_mac c4)"
	lab_in c4 ip addr add "$(lab_ip4 c4)/24" dev eth0
	lab_in c4 ip link set eth0 up
}
redirected()
{
	lab_arping c4 198.51.100.200 1 | grep -qi "$eth5mac"
}

lab_parpd_start gw "$conf" || exit 99
lab_check "parpd runs although eth5 is missing" lab_parpd_alive
lab_check "it answers on eth0 meanwhile" lab_arping c1 198.51.100.200 1
sleep 3
lab_say "eth5 appears"
plug
lab_check "c4 behind eth5 is answered with eth5's MAC within 10 s" \
    lab_wait 10 redirected
lab_check "c4 learned on eth5, with its route" \
    lab_wait 3 lab_has_route gw "$(lab_ip4 c4)" eth5

lab_say "eth5 is deleted, then created again"
lab_in gw ip link del eth5
sleep 2
lab_check "parpd survives the interface's removal" lab_parpd_alive
plug
lab_check "c4 is answered again within 10 s" lab_wait 10 redirected
lab_check "c4's route is back on eth5" \
    lab_wait 3 lab_has_route gw "$(lab_ip4 c4)" eth5
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_done
