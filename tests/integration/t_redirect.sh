#!/bin/sh
# Two isolated clients reach each other through the gateway: parpd answers
# each client's ARP request (and Neighbor Solicitation) for the other with
# the gateway's MAC, and the gateway hairpins the traffic.
. "$(dirname "$0")/lib.sh"
lab_init redirect 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
end
EOF
)
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
c1=$(lab_mac c1)
lab_cap_start cap c1 || exit 99

lab_say "IPv4: c1 pings c2 across the split horizon"
lab_check "ping c1 -> c2 (IPv4) through the gateway" \
    lab_ping c1 "$(lab_ip4 c2)"
lab_check_eq "c1 resolved c2's address to the gateway's MAC" \
    "$gw" "$(lab_neigh c1 "$(lab_ip4 c2)")"
lab_check_eq "c2 resolved c1's address to the gateway's MAC" \
    "$gw" "$(lab_neigh c2 "$(lab_ip4 c1)")"

lab_say "IPv6: c1 pings c2"
lab_check "ping -6 c1 -> c2 through the gateway" lab_ping c1 "$(lab_ip6 c2)"
lab_check_eq "c1 resolved c2's IPv6 address to the gateway's MAC" \
    "$gw" "$(lab_neigh c1 "$(lab_ip6 c2)")"
lab_cap_stop cap

f=$LAB_DIR/cap.arp
lab_say "ARP replies seen by c1:"
lab_show "$f" '$4 == 2'
# time ethsrc ethdst op sha spa tha tpa
lab_check "an ARP reply for c2 came from the gateway's MAC, unicast to c1,
      sha = gateway MAC, tha/tpa = c1" test "$(lab_count "$f" \
    "\$4 == 2 && \$2 == \"$gw\" && \$3 == \"$c1\" && \$5 == \"$gw\" &&
     \$6 == \"$(lab_ip4 c2)\" && \$7 == \"$c1\" &&
     \$8 == \"$(lab_ip4 c1)\"")" -ge 1
lab_check_eq "no ARP reply for c2 carried another MAC" 0 \
    "$(lab_count "$f" "\$4 == 2 && \$6 == \"$(lab_ip4 c2)\" &&
     (\$5 != \"$gw\" || \$2 != \"$gw\")")"

f=$LAB_DIR/cap.na
lab_say "Neighbor Advertisements seen by c1:"
lab_show "$f" 1
# time ethsrc ethdst ip6src ip6dst hlim target R S O tlla
lab_check "an NA for c2 came from the gateway's MAC and link-local address
      (RFC 4861 4.4) to c1: target link-layer address = gateway MAC, hop
      limit 255, R=0 S=1 O=0" test "$(lab_count \
    "$f" "\$2 == \"$gw\" && \$3 == \"$c1\" &&
     \$4 == \"$(lab_ll6 gw)\" && \$5 == \"$(lab_ip6 c1)\" && \$6 == 255 &&
     \$7 == \"$(lab_ip6 c2)\" && \$8 == 0 && \$9 == 1 && \$10 == 0 &&
     \$11 == \"$gw\"")" -ge 1
lab_check_eq "no NA for c2 with the Override flag or another MAC" 0 \
    "$(lab_count "$f" "\$7 == \"$(lab_ip6 c2)\" &&
     (\$10 != 0 || \$11 != \"$gw\")")"

lab_check "parpd is still running" lab_parpd_alive
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
