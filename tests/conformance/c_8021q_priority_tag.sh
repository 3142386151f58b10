#!/bin/sh
# IEEE 802.1Q 6.9 / 9.6 (issue 8, defect 9): VLAN id 0 means "no VLAN,
# just a priority" (priority-tagged frames, sent by phones and CPEs); such
# a request belongs to the untagged interface and must be answered
# (untagged, or tagged with VID 0), not dropped as another VLAN's.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_prio 90
lab_topology c1 || exit 99

conf=$(lab_conf <<EOF2
interface eth0
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
srv=$(lab_mac srv)
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)
lab_learn c1
lab_check "dump: c1 learned (IPv4)" lab_wait 5 lab_learned "$c1ip" "$c1"
lab_check "dump: c1 learned (IPv6)" lab_wait 5 lab_learned "$c1ip6" "$c1"

lab_cap_start_vlan cap srv || exit 99
lab_say "the server sends a priority-tagged (VID 0, PCP 5) ARP request and NS"
lab_scapy srv "
sendp(Ether(src='$srv', dst='ff:ff:ff:ff:ff:ff') / Dot1Q(vlan=0, prio=5) /
    ARP(op=1, hwsrc='$srv', psrc='$(lab_ip4 srv)',
    hwdst='00:00:00:00:00:00', pdst='$c1ip'), iface='eth0')
sendp(Ether(src='$srv', dst='33:33:ff:01:00:21') / Dot1Q(vlan=0, prio=5) /
    IPv6(src='$(lab_ip6 srv)', dst='ff02::1:ff01:21', hlim=255) /
    ICMPv6ND_NS(tgt='$c1ip6') / ICMPv6NDOptSrcLLAddr(lladdr='$srv'),
    iface='eth0')"
sleep 1
lab_cap_stop cap
lab_tshark cap frame frame.time_relative eth.src eth.dst vlan.id arp.opcode \
    icmpv6.type | sed 's/^/    /'
lab_check "the priority-tagged ARP request is answered with c1's MAC" \
    test "$(lab_count "$LAB_DIR/cap.arp" "\$4 == 2 && \$2 == \"$gw\" &&
    \$5 == \"$c1\" && \$6 == \"$c1ip\"")" -ge 1
lab_check "the priority-tagged NS is answered with c1's MAC" \
    test "$(lab_count "$LAB_DIR/cap.na" "\$2 == \"$gw\" &&
    \$7 == \"$c1ip6\" && \$11 == \"$c1\"")" -ge 1
d=$(lab_dump)
lab_say "parpd's nonzero drop counters after the tagged requests:"
awk 'NF == 2 && $2 != 0 && /drop|vlan|len/ { print "    " $0 }' "$d"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
