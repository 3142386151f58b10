#!/bin/sh
# RFC 4861 7.2.8 (issue 8, defect 2): "All solicited proxy Neighbor
# Advertisement messages MUST have the Override flag set to zero", and
# 7.2.4: S=1 when the solicitation came from a unicast source (multicast
# or unicast NS alike), S=0 and destination ff02::1 when it came from ::
# (duplicate address detection).  Every NA parpd sends for another node,
# `tell` and redirect, must have O=0 and that S.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_oflag 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF2
interface eth0
	rule ::/0 2001:db8:1::/125 ignore
	rule ::/128 2001:db8:1::1:0/120 tell
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
	rule $(lab_ll6 srv)/128 2001:db8:1::/64 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	rule fe80::/64 2001:db8:1::/64 2001:db8:1::1
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
srv=$(lab_mac srv)
c1=$(lab_mac c1)
c1ip6=$(lab_ip6 c1)
c2ip6=$(lab_ip6 c2)
lab_learn c1
lab_learn c2
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$c1ip6" "$c1"
lab_check "dump: c2 learned" lab_wait 5 lab_learned "$c2ip6" "$(lab_mac c2)"

lab_cap_start srvcap srv || exit 99
lab_cap_start c1cap c1 || exit 99
# ndisc6 ignores an NA sourced from a link-local address for a global
# target (RFC 4861 4.4 allows it); the kernel does not: ping, and read
# the neighbour entry the answer made.
lab_say "tell: multicast NS from the server for c1 (ping)"
lab_in srv ip -6 neigh flush dev eth0
lab_check "ping srv -> c1" lab_ping srv "$c1ip6" 2
lab_check_eq "srv's neighbour entry for c1 has c1's MAC" "$c1" \
    "$(lab_neigh srv "$c1ip6")"
lab_say "redirect: multicast NS from c1 for c2 (ping)"
lab_in c1 ip -6 neigh flush dev eth0
lab_check "ping c1 -> c2" lab_ping c1 "$c2ip6" 2
lab_check_eq "c1's neighbour entry for c2 has the gateway's MAC" "$gw" \
    "$(lab_neigh c1 "$c2ip6")"
lab_say "redirect: unicast NS from c1 for c2, to the gateway's MAC"
lab_scapy c1 "
sendp(Ether(src='$c1', dst='$gw') /
    IPv6(src='$c1ip6', dst='$c2ip6', hlim=255) /
    ICMPv6ND_NS(tgt='$c2ip6') / ICMPv6NDOptSrcLLAddr(lladdr='$c1'),
    iface='eth0')"
lab_say "tell: duplicate address detection on the server for c1's address"
lab_in srv sysctl -qw net.ipv6.conf.eth0.accept_dad=1 \
    net.ipv6.conf.eth0.dad_transmits=1 \
    net.ipv6.neigh.eth0.retrans_time_ms=300
lab_in srv ip -6 addr add "$c1ip6/128" dev eth0
dadfailed()
{
	lab_in srv ip -6 addr show dev eth0 | grep -F " $c1ip6/" |
	    grep -q dadfailed
}
lab_check "c1's address fails DAD on the server" lab_wait 5 dadfailed
lab_cap_stop srvcap
lab_cap_stop c1cap

lab_say "Neighbor Advertisements from parpd (server side, then c1 side):"
lab_show "$LAB_DIR/srvcap.na" "\$2 == \"$gw\""
lab_show "$LAB_DIR/c1cap.na" "\$2 == \"$gw\""
f=$LAB_DIR/srvcap.na
lab_check "tell answer to the server's NS: S=1" test "$(lab_count "$f" \
    "\$2 == \"$gw\" && \$7 == \"$c1ip6\" && \$5 != \"ff02::1\" &&
    \$9 == 1")" -ge 1
lab_check "DAD answer: to ff02::1, S=0" test "$(lab_count "$f" \
    "\$2 == \"$gw\" && \$7 == \"$c1ip6\" && \$5 == \"ff02::1\" &&
    \$9 == 0")" -ge 1
# The gateway's kernel answers for its own addresses: not a proxy NA.
lab_check_eq "every tell answer (and DAD answer) has O=0" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && \$7 != \"$(lab_ip6 gw)\" &&
    \$7 != \"$(lab_ll6 gw)\" && \$10 != 0")"
f=$LAB_DIR/c1cap.na
lab_check "redirect answers for c2 (multicast and unicast NS): S=1, 2 of
      them" test "$(lab_count "$f" "\$2 == \"$gw\" && \$7 == \"$c2ip6\" &&
    \$9 == 1")" -ge 2
lab_check_eq "every redirect answer has O=0" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && \$7 == \"$c2ip6\" && \$10 != 0")"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
