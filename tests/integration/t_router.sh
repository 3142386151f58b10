#!/bin/sh
# Redirect to a router that is not the gateway itself (rtr, 198.51.100.3
# on an ordinary port): parpd resolves its MAC by broadcast when the
# interface comes up, and again every interface timeout while it stays
# unanswered; meanwhile redirected requests stay silent.  Once resolved,
# clients get the router's MAC and reach each other through it.  The
# router's own requests are never redirected to itself, and a pair
# carrying the router's MAC is learned only for the router's address.
. "$(dirname "$0")/lib.sh"
lab_init router 90
lab_topology c1 c2 || exit 99
lab_node rtr || exit 99
lab_gateway_sysctls rtr
lab_in rtr sysctl -qw net.ipv6.conf.eth0.keep_addr_on_down=1
lab_in rtr ip link set eth0 down

conf=$(lab_conf <<EOF2
interface eth0
	timeout 1
	rule 198.51.100.3/32 198.51.100.0/24 tell
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.3
	rule 2001:db8:1::3/128 2001:db8:1::/64 tell
	rule $(lab_ll6 rtr)/128 2001:db8:1::/64 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::3
end
EOF2
)
gw=$(lab_mac gw)
rtr=$(lab_mac rtr)
lab_cap_start gwcap gw || exit 99
lab_parpd_start gw "$conf" || exit 99

lab_say "the router is down: redirected requests stay silent"
lab_check_not "arping c1 -> c2 unanswered while the router is unresolved" \
    lab_arping c1 "$(lab_ip4 c2)" 1
d=$(lab_dump)
lab_check "dump: counter unresolved >= 1" \
    test "$(lab_dump_counter "$d" unresolved)" -ge 1
lab_say "the router comes up"
lab_in rtr ip link set eth0 up
lab_check "dump: the router's address learned at its MAC within 5 s" \
    lab_wait 5 lab_learned "$(lab_ip4 rtr)" "$rtr"
lab_check "dump: the router's IPv6 address learned at its MAC" \
    lab_wait 5 lab_learned "$(lab_ip6 rtr)" "$rtr"
lab_cap_stop gwcap
f=$LAB_DIR/gwcap.arp
lab_say "parpd's ARP requests for the router:"
lab_show "$f" "\$2 == \"$gw\" && \$8 == \"$(lab_ip4 rtr)\""
lab_check "at least 2 broadcast requests for 198.51.100.3 (repeated while
      unanswered)" test "$(lab_count "$f" "\$4 == 1 && \$2 == \"$gw\" &&
    \$3 == \"ff:ff:ff:ff:ff:ff\" && \$8 == \"$(lab_ip4 rtr)\"")" -ge 2
lab_check "an NS for 2001:db8:1::3 went to its solicited-node group" \
    test "$(lab_count "$LAB_DIR/gwcap.ns" "\$2 == \"$gw\" &&
    \$5 == \"ff02::1:ff00:3\" && \$6 == \"$(lab_ip6 rtr)\"")" -ge 1

lab_say "clients are redirected to the router and reach each other through it"
# The router's broadcasts do not reach the clients: it learns them through
# parpd's tell, which needs them learned.  A forwarding Linux router
# solicits from its link-local address, hence the rule for it.
lab_learn c1
lab_learn c2
lab_cap_start c1cap c1 || exit 99
lab_check "ping c1 -> c2 through the router" lab_ping c1 "$(lab_ip4 c2)"
lab_check "ping -6 c1 -> c2 through the router" lab_ping c1 "$(lab_ip6 c2)"
lab_check_eq "c1 has c2 at the router's MAC" "$rtr" \
    "$(lab_neigh c1 "$(lab_ip4 c2)")"
lab_check_eq "c1 has c2's IPv6 address at the router's MAC" "$rtr" \
    "$(lab_neigh c1 "$(lab_ip6 c2)")"
lab_cap_stop c1cap
lab_check "the answer to c1 came from the gateway's MAC with sha = router" \
    test "$(lab_count "$LAB_DIR/c1cap.arp" "\$4 == 2 && \$2 == \"$gw\" &&
    \$5 == \"$rtr\" && \$6 == \"$(lab_ip4 c2)\"")" -ge 1

lab_say "the router asks for 198.51.100.77 (redirect rule, but it is the router)"
lab_check_not "arping rtr -> 198.51.100.77 unanswered (no loop)" \
    lab_arping rtr 198.51.100.77 1
lab_say "the router announces 198.51.100.50 with its own MAC"
lab_arping_announce rtr 198.51.100.50 request >/dev/null
sleep 1
lab_check "dump: 198.51.100.50 not learned at the router's MAC" \
    lab_not_cached 198.51.100.50
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
