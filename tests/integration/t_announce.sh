#!/bin/sh
# Announcements (gratuitous ARP request or reply, unsolicited NA) are
# never answered, even where a rule would match, and are learned.
# c1 and c2 announce with arping, c3's kernel with ndisc_notify.
. "$(dirname "$0")/lib.sh"
lab_init announce 90
lab_topology c1 c2 c3 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 0.0.0.0/0 0.0.0.0/0 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	rule ::/0 ::/0 tell
end
EOF
)
# c3 starts with another MAC, so that it can announce its plan MAC later
# (ndisc_notify sends NAs when the link comes up, but a frame sent at that
# moment may meet the switch port still down).
lab_in c3 ip link set eth0 address 02:00:00:00:00:77
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
for c in c1 c2; do
	lab_check "dump: $c not cached before it announces" \
	    lab_not_cached "$(lab_ip4 $c)"
done
lab_check "dump: c3 not cached before it announces" \
    lab_not_cached "$(lab_ip6 c3)"

lab_cap_start c1cap c1 || exit 99
lab_cap_start c2cap c2 || exit 99
lab_cap_start c3cap c3 || exit 99
lab_say "c1: gratuitous ARP request; c2: gratuitous ARP reply"
lab_arping_announce c1 "$(lab_ip4 c1)" request | sed 's/^/    /'
lab_arping_announce c2 "$(lab_ip4 c2)" reply | sed 's/^/    /'
lab_say "c3: the kernel sends unsolicited NAs when its MAC changes"
lab_in c3 sysctl -qw net.ipv6.conf.eth0.ndisc_notify=1
lab_in c3 ip link set eth0 address "$(lab_mac c3)"
sleep 1
lab_cap_stop c1cap
lab_cap_stop c2cap
lab_cap_stop c3cap

for c in c1 c2; do
	lab_check "dump: $c's gratuitous ARP learned" \
	    lab_wait 3 lab_learned "$(lab_ip4 $c)" "$(lab_mac $c)" eth0
done
lab_check "dump: c3's unsolicited NA learned" \
    lab_wait 3 lab_learned "$(lab_ip6 c3)" "$(lab_mac c3)" eth0
lab_say "announcements sent (c1, c2: ARP; c3: NA):"
lab_show "$LAB_DIR/c1cap.arp" "\$2 == \"$(lab_mac c1)\""
lab_show "$LAB_DIR/c2cap.arp" "\$2 == \"$(lab_mac c2)\""
lab_show "$LAB_DIR/c3cap.na" "\$2 == \"$(lab_mac c3)\""
lab_check "c3's kernel did send an unsolicited NA (S=0) for its address" \
    test "$(lab_count "$LAB_DIR/c3cap.na" "\$7 == \"$(lab_ip6 c3)\" &&
    \$9 == 0")" -ge 1
for c in c1 c2 c3; do
	lab_check_eq "no ARP reply or NA from the gateway's MAC reached $c" \
	    "0 0" "$(lab_count "$LAB_DIR/${c}cap.arp" "\$2 == \"$gw\" &&
	    \$4 == 2") $(lab_count "$LAB_DIR/${c}cap.na" "\$2 == \"$gw\"")"
done
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
