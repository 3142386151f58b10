#!/bin/sh
# With cache timeout 6 and refresh 2*1, a learned host that stays silent
# is kept alive by parpd's unicast queries (ARP request to its MAC, NS to
# its address); its host routes stay.  Once it stops answering, the entry
# expires and its routes disappear.  No query is ever broadcast.
. "$(dirname "$0")/lib.sh"
lab_init refresh_expiry 90
lab_topology c1 || exit 99

conf=$(lab_conf <<EOF
cache
	timeout 6
	refresh 2*1
end
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)

lab_cap_start cap c1 || exit 99
# c1 asks for an address that is not the gateway's: parpd learns c1 from
# the request while the gateway's kernel keeps no neighbour entry of c1
# and so sends no queries of its own that could be taken for parpd's.
lab_say "c1 asks for 198.51.100.200 and 2001:db8:1::200 once, then is silent"
lab_arping c1 198.51.100.200 1 >/dev/null
lab_in c1 timeout 3 ndisc6 -q -1 -r 1 -w 500 -s "$c1ip6" 2001:db8:1::200 \
    eth0 >/dev/null
lab_check "route $c1ip dev eth0 $LAB_ROUTE_OWN installed" \
    lab_wait 3 lab_has_route gw "$c1ip" eth0
lab_check "route $c1ip6 dev eth0 $LAB_ROUTE_OWN installed" \
    lab_wait 3 lab_has_route gw "$c1ip6" eth0
lab_routes gw | sed 's/^/    /'

lab_say "14 s (more than twice the cache timeout) without c1 asking anything"
sleep 14
lab_check "dump: c1 still cached (IPv4)" lab_learned "$c1ip" "$c1"
lab_check "dump: c1 still cached (IPv6)" lab_learned "$c1ip6" "$c1"
lab_check "route $c1ip still there" lab_has_route gw "$c1ip" eth0
lab_check "route $c1ip6 still there" lab_has_route gw "$c1ip6" eth0
lab_cap_stop cap

f=$LAB_DIR/cap.arp
lab_say "ARP requests from the gateway's MAC seen by c1:"
lab_show "$f" "\$4 == 1 && \$2 == \"$gw\""
lab_check "at least 2 refresh ARP requests: Ethernet to c1's MAC, spa =
      gateway address, tha = 0, tpa = c1" test "$(lab_count "$f" \
    "\$4 == 1 && \$2 == \"$gw\" && \$3 == \"$c1\" &&
     \$6 == \"$(lab_ip4 gw)\" && \$7 == \"00:00:00:00:00:00\" &&
     \$8 == \"$c1ip\"")" -ge 2
lab_check_eq "no ARP request from the gateway went to broadcast" 0 \
    "$(lab_count "$f" "\$4 == 1 && \$2 == \"$gw\" && \$3 != \"$c1\"")"
f=$LAB_DIR/cap.ns
lab_say "Neighbor Solicitations from the gateway's MAC seen by c1:"
lab_show "$f" "\$2 == \"$gw\""
lab_check "at least 2 refresh NS: Ethernet to c1's MAC, to $c1ip6 from the
      gateway's link-local address" test "$(lab_count "$f" \
    "\$2 == \"$gw\" && \$3 == \"$c1\" && \$4 == \"$(lab_ll6 gw)\" &&
     \$5 == \"$c1ip6\" && \$6 == \"$c1ip6\"")" -ge 2
lab_check_eq "no NS from the gateway went to a multicast group" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && \$3 != \"$c1\"")"

lab_say "c1 stops answering (arp_ignore=8, incoming NS dropped)"
lab_cap_start cap2 c1 || exit 99
lab_in c1 sysctl -qw net.ipv4.conf.all.arp_ignore=8
lab_in c1 nft -f - <<EOF
table inet lab {
	chain input {
		type filter hook input priority 0; policy accept;
		icmpv6 type nd-neighbor-solicit drop
	}
}
EOF
t0=$(date +%s)
lab_check "route $c1ip removed within 10 s" \
    lab_wait 10 lab_no_route gw "$c1ip"
echo "    after $(( $(date +%s) - t0 )) s"
if why=$(lab_route6_removable); then
	lab_check "route $c1ip6 removed within 10 s" \
	    lab_wait 10 lab_no_route gw "$c1ip6"
else
	lab_skip_check "route $c1ip6 removed within 10 s" "$why"
	# What waiting for the removal stands for: the entry expires.
	lab_check "dump: c1's IPv6 entry expired within 10 s" \
	    lab_wait 10 lab_not_cached "$c1ip6"
fi
lab_check "dump: c1's IPv4 entry expired" lab_not_cached "$c1ip"
lab_check "dump: c1's IPv6 entry expired" lab_not_cached "$c1ip6"
lab_cap_stop cap2
lab_check "unanswered refresh queries went to c1's MAC (>= 1 ARP)" \
    test "$(lab_count "$LAB_DIR/cap2.arp" "\$4 == 1 && \$2 == \"$gw\" &&
    \$3 == \"$c1\"")" -ge 1
lab_check_eq "... and none to broadcast" 0 "$(lab_count "$LAB_DIR/cap2.arp" \
    "\$4 == 1 && \$2 == \"$gw\" && \$3 != \"$c1\"")"
d=$(lab_dump)
lab_check "dump: counters refreshed >= 2 and expired >= 2" \
    test "$(lab_dump_counter "$d" refreshed)" -ge 2 -a \
    "$(lab_dump_counter "$d" expired)" -ge 2
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
