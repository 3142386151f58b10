#!/bin/sh
# A server on an ordinary port reaches an isolated client through `tell`:
# the switch's first-hop filter keeps the server's broadcasts from the
# client, parpd answers with the client's own learned MAC, but only once it
# has learned it (from the client's own request for the gateway).
. "$(dirname "$0")/lib.sh"
lab_init tell 90
lab_topology c1 c2 || exit 99

# The server's link-local address is a requester too: ndisc6 solicits
# from the address given with -s, the kernel from whatever it picks.
conf=$(lab_conf <<EOF
interface eth0
	rule 0.0.0.0/0 198.51.100.0/29 ignore
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule ::/0 2001:db8:1::/125 ignore
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
	rule $(lab_ll6 srv)/128 2001:db8:1::/64 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
srv=$(lab_mac srv)
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)

lab_say "before c1 is learned, the server's request for it gets no answer"
lab_check_not "arping srv -> c1 unanswered (nothing learned yet)" \
    lab_arping srv "$c1ip" 2

lab_say "c1 talks to the gateway; parpd learns it"
lab_learn c1
lab_check "dump: c1's IPv4 address learned with its MAC on eth0" \
    lab_wait 5 lab_learned "$c1ip" "$c1" eth0
lab_check "dump: c1's IPv6 address learned with its MAC on eth0" \
    lab_wait 5 lab_learned "$c1ip6" "$c1" eth0

lab_cap_start cap srv || exit 99
lab_check "arping srv -> c1 answered" lab_arping srv "$c1ip" 2
lab_check "ping srv -> c1 (IPv4)" lab_ping srv "$c1ip"
lab_check_eq "the server's neighbour table has c1's own MAC" "$c1" \
    "$(lab_neigh srv "$c1ip")"
lab_check_not "arping srv -> c2 (never learned) stays unanswered" \
    lab_arping srv "$(lab_ip4 c2)" 2

# ndisc6 ignores an NA sourced from a link-local address for a global
# target (RFC 4861 4.4 allows it); the kernel does not: ping, and read
# the neighbour entry the answer made.
lab_say "IPv6: ping from the server (global, then link-local source)"
lab_in srv ip -6 neigh flush dev eth0
lab_check "ping -6 srv -> c1" lab_ping srv "$c1ip6"
lab_check_eq "srv's neighbour entry for c1 has c1's MAC" "$c1" \
    "$(lab_neigh srv "$c1ip6")"
lab_say "IPv6: an NS from the server's link-local address (scapy)"
lab_scapy srv "
sendp(Ether(src='$srv', dst='33:33:ff:01:00:21') /
    IPv6(src='$(lab_ll6 srv)', dst='ff02::1:ff01:21', hlim=255) /
    ICMPv6ND_NS(tgt='$c1ip6') / ICMPv6NDOptSrcLLAddr(lladdr='$srv'),
    iface='eth0')"
sleep 1
lab_cap_stop cap

f=$LAB_DIR/cap.arp
lab_say "ARP replies seen by the server:"
lab_show "$f" '$4 == 2'
lab_check "ARP reply for c1: Ethernet source = gateway, sha = c1's MAC,
      tha/tpa = server" test "$(lab_count "$f" \
    "\$4 == 2 && \$2 == \"$gw\" && \$3 == \"$srv\" && \$5 == \"$c1\" &&
     \$6 == \"$c1ip\" && \$7 == \"$srv\" && \$8 == \"$(lab_ip4 srv)\"")" -ge 1
lab_check_eq "no ARP reply claims c2's address" 0 \
    "$(lab_count "$f" "\$4 == 2 && \$6 == \"$(lab_ip4 c2)\"")"
f=$LAB_DIR/cap.na
lab_say "Neighbor Advertisements seen by the server:"
lab_show "$f" 1
lab_check "NA for c1: Ethernet source = gateway, target link-layer address =
      c1's MAC, IPv6 source = gateway's link-local (RFC 4861 4.4), O=0
      (7.2.8), R=0, S=1, hop limit 255" test "$(lab_count "$f" \
    "\$2 == \"$gw\" && \$3 == \"$srv\" && \$7 == \"$c1ip6\" &&
     \$4 == \"$(lab_ll6 gw)\" && \$6 == 255 && \$8 == 0 && \$9 == 1 &&
     \$10 == 0 && \$11 == \"$c1\"")" -ge 1

lab_check "the NS from the server's link-local address is answered to it
      with c1's MAC" test "$(lab_count "$f" "\$2 == \"$gw\" &&
    \$5 == \"$(lab_ll6 srv)\" && \$7 == \"$c1ip6\" &&
    \$11 == \"$c1\"")" -ge 1

lab_check "parpd is still running" lab_parpd_alive
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
