#!/bin/sh
# RFC 4861 7.2.5, 7.2.8 (issue 8, defect 1): an NA with R=0 for a router's
# address makes a Linux host clear the neighbour's router flag and, when
# the NA's source is the router's address, delete the RA default route
# through it (net/ipv6/ndisc.c ndisc_recv_na: "Change: router to host",
# rt6_clean_tohost).  A client with a default route learned from an RA
# (the router box rtr: its own namespace, forwarding on) must keep it
# while parpd answers for everything on the link with a redirect rule to
# that router, including the router's own global and link-local
# addresses; no NA parpd sends for a router's address carries R=0.
#
# The client re-solicits by multicast (ucast_solicit 0, mcast_resolicit
# 3): a Linux host's unicast probe goes straight to the router's MAC and
# would never reach parpd, and RFC 4861 7.3.3 allows either.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_rflag 90
lab_topology c1 c2 || exit 99
lab_node rtr || exit 99
lab_gateway_sysctls rtr

rtrll=$(lab_ll6 rtr)
rtrg=$(lab_ip6 rtr)
conf=$(lab_conf <<EOF2
interface eth0
	timeout 1
	rule $rtrg/128 ::/0 tell
	rule $rtrll/128 ::/0 tell
	rule ::/0 ::/0 $rtrg
end
EOF2
)
gw=$(lab_mac gw)
rtr=$(lab_mac rtr)
c1=$(lab_mac c1)
lab_parpd_start gw "$conf" || exit 99
lab_check "dump: the router's address learned at its MAC" \
    lab_wait 5 lab_learned "$rtrg" "$rtr"
lab_learn c1
lab_learn c2

lab_in c1 sysctl -qw net.ipv6.conf.eth0.accept_ra=1 \
    net.ipv6.conf.eth0.accept_ra_defrtr=1 \
    net.ipv6.neigh.eth0.ucast_solicit=0 \
    net.ipv6.neigh.eth0.mcast_resolicit=3 \
    net.ipv6.neigh.eth0.delay_first_probe_time=1 \
    net.ipv6.neigh.eth0.retrans_time_ms=500
lab_in c1 ip -6 neigh flush dev eth0
lab_say "the router sends c1 an RA (router lifetime 1800 s)"
# Unicast to c1: the first-hop filter keeps multicast from other ports.
lab_scapy rtr "
sendp(Ether(src='$rtr', dst='$c1') /
    IPv6(src='$rtrll', dst='$(lab_ll6 c1)', hlim=255) /
    ICMPv6ND_RA(routerlifetime=1800) /
    ICMPv6NDOptSrcLLAddr(lladdr='$rtr'), iface='eth0')"
defrt()
{
	lab_in c1 ip -6 route show default | grep -q "via $rtrll dev eth0"
}
lab_check "c1 has a default route via $rtrll from the RA" lab_wait 5 defrt
lab_in c1 ip -6 route show default | sed 's/^/    /'

lab_cap_start cap c1 || exit 99
lab_say "c1 resolves the router's link-local and global addresses"
lab_in c1 ping -6 -n -q -c 4 -i 1 -W 1 "$rtrll%eth0" >/dev/null
lab_in c1 ping -6 -n -q -c 2 -i 0.5 -W 1 "$rtrg" >/dev/null
lab_say "c1 resolves c2 (redirect to the router)"
out=$(lab_resolve c1 "$(lab_ip6 c2)")
lab_check_eq "c1 resolves c2 to the router's MAC" "$rtr" "$out"
sleep 1
lab_cap_stop cap

f=$LAB_DIR/cap.na
lab_say "Neighbor Advertisements seen by c1:"
lab_show "$f" 1
lab_check "c1 still has its default route via $rtrll" defrt
lab_in c1 ip -6 route show default | sed 's/^/    /'
lab_in c1 ip -6 neigh show dev eth0 | sed 's/^/    /'
lab_check "c1's neighbour entry for $rtrll still says router" \
    sh -c "ip netns exec $(lab_ns c1) ip -6 neigh show $rtrll dev eth0 |
    grep -qw router"
lab_check_eq "no NA from parpd for the router's addresses with R=0" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && (\$7 == \"$rtrll\" ||
    \$7 == \"$rtrg\") && \$8 == 0")"
lab_check "the router itself answered for its link-local address (R=1)" \
    test "$(lab_count "$f" "\$2 == \"$rtr\" && \$7 == \"$rtrll\" &&
    \$8 == 1")" -ge 1
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
