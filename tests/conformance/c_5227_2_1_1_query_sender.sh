#!/bin/sh
# Queries that look like probes (issue 8, defect 7; RFC 5227 2.1.1): an
# ARP request with sender 0.0.0.0 is a probe, and a host probing that
# target address must take it as a conflict (a false DHCPDECLINE).  parpd's
# router queries and unicast refreshes must never go out with sender
# 0.0.0.0, and, where the interface has several IPv4 addresses, must use
# one on the target's subnet.
#   1. the gateway's eth0 has no IPv4 address (IPv6 only);
#   2. it has 192.0.2.1/24 first and 198.51.100.1/24 second.
# In both, parpd redirects to the router 198.51.100.3 and refreshes a
# learned client (cache timeout 3 s).
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_qsender 90
lab_topology c1 || exit 99
lab_node rtr || exit 99

conf=$(lab_conf <<EOF2
cache
	timeout 3
	refresh 2*1
end
interface eth0
	timeout 1
	rule 198.51.100.3/32 198.51.100.0/24 tell
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.3
end
EOF2
)
gw=$(lab_mac gw)
c1ip=$(lab_ip4 c1)

# run NAME: parpd up, the router resolved, c1 learned and refreshed.
run()
{
	lab_cap_start "$1" gw || exit 99
	lab_parpd_start gw "$conf" || exit 99
	lab_wait 5 lab_learned "$(lab_ip4 rtr)" "$(lab_mac rtr)"
	# c1's request for another client teaches parpd c1's address.
	lab_arping c1 "$(lab_ip4 c2)" 1 >/dev/null
	lab_wait 3 lab_learned "$c1ip" "$(lab_mac c1)"
	sleep 4
	lab_parpd_stop
	lab_cap_stop "$1"
	lab_say "ARP requests sent by the gateway:"
	lab_show "$LAB_DIR/$1.arp" "\$2 == \"$gw\" && \$4 == 1"
}

lab_say "1. the gateway's eth0 without an IPv4 address"
lab_in gw ip -4 addr flush dev eth0
run cap1
f=$LAB_DIR/cap1.arp
lab_check_eq "no ARP request from the gateway with sender 0.0.0.0" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && \$4 == 1 && \$6 == \"0.0.0.0\"")"

lab_say "2. the gateway's eth0 with 192.0.2.1/24, then 198.51.100.1/24"
lab_in gw ip -4 addr add 192.0.2.1/24 dev eth0
lab_in gw ip -4 addr add 198.51.100.1/24 dev eth0
lab_in gw ip -4 -o addr show dev eth0 | sed 's/^/    /'
run cap2
f=$LAB_DIR/cap2.arp
lab_check "control: parpd queried the router and refreshed c1" \
    test "$(lab_count "$f" "\$2 == \"$gw\" && \$4 == 1 &&
    (\$8 == \"$(lab_ip4 rtr)\" || \$8 == \"$c1ip\")")" -ge 2
lab_check_eq "every query for 198.51.100.x has sender 198.51.100.1" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && \$4 == 1 &&
    \$8 ~ /^198\.51\.100\./ && \$6 != \"198.51.100.1\"")"
lab_done
