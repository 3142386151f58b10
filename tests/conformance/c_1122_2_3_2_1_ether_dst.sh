#!/bin/sh
# Ethernet destination (issue 8, defect 4): a request whose Ethernet
# destination is neither broadcast/multicast nor the gateway's own MAC is
# addressed to another station (RFC 1122 2.3.2.1 unicast refresh between
# two hosts, flooded unknown unicast, a promiscuous capture on a bridge
# member).  Kernels drop these (PACKET_OTHERHOST); parpd must not answer
# them.  The server sends an ARP request and an NS for c1 (a `tell`
# target) to 02:00:00:00:00:99, a MAC no port has: the bridge floods them
# to every port, the gateway's included.  Controls: the gateway does see
# them, and the same requests broadcast (multicast) are answered.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_ethdst 90
lab_topology c1 || exit 99

conf=$(lab_conf <<EOF2
interface eth0
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
srv=$(lab_mac srv)
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)
other=02:00:00:00:00:99
lab_learn c1
lab_check "dump: c1 learned (IPv4)" lab_wait 5 lab_learned "$c1ip" "$c1"
lab_check "dump: c1 learned (IPv6)" lab_wait 5 lab_learned "$c1ip6" "$c1"

# send DST: one ARP request and one NS for c1 from the server, Ethernet
# destination DST for both (NS: IPv6 to c1's solicited-node group).
send()
{
	lab_scapy srv "
sendp(Ether(src='$srv', dst='$1') / ARP(op=1, hwsrc='$srv',
    psrc='$(lab_ip4 srv)', hwdst='00:00:00:00:00:00', pdst='$c1ip'),
    iface='eth0')
sendp(Ether(src='$srv', dst='$2') /
    IPv6(src='$(lab_ip6 srv)', dst='ff02::1:ff01:21', hlim=255) /
    ICMPv6ND_NS(tgt='$c1ip6') / ICMPv6NDOptSrcLLAddr(lladdr='$srv'),
    iface='eth0')"
}

lab_cap_start gwcap gw || exit 99
lab_cap_start cap srv || exit 99
lab_say "ARP request and NS for c1 to $other (another station)"
send "$other" "$other"
sleep 1
lab_cap_stop cap
lab_cap_stop gwcap
lab_check "control: the gateway received the ARP request to $other" \
    test "$(lab_count "$LAB_DIR/gwcap.arp" "\$3 == \"$other\" &&
    \$4 == 1")" -ge 1
lab_check "control: the gateway received the NS to $other" \
    test "$(lab_count "$LAB_DIR/gwcap.ns" "\$3 == \"$other\"")" -ge 1
lab_show "$LAB_DIR/cap.arp" '$4 == 2'
lab_show "$LAB_DIR/cap.na" 1
lab_check_eq "no ARP reply to the request for another station" 0 \
    "$(lab_count "$LAB_DIR/cap.arp" "\$4 == 2 && \$6 == \"$c1ip\"")"
lab_check_eq "no NA to the NS for another station" 0 \
    "$(lab_count "$LAB_DIR/cap.na" "\$7 == \"$c1ip6\"")"

lab_cap_start cap2 srv || exit 99
lab_say "control: the same requests broadcast / to the solicited-node group"
send ff:ff:ff:ff:ff:ff 33:33:ff:01:00:21
sleep 1
lab_cap_stop cap2
lab_check "control: the broadcast ARP request is answered" \
    test "$(lab_count "$LAB_DIR/cap2.arp" "\$4 == 2 &&
    \$6 == \"$c1ip\"")" -ge 1
lab_check "control: the multicast NS is answered" \
    test "$(lab_count "$LAB_DIR/cap2.na" "\$7 == \"$c1ip6\"")" -ge 1
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
