#!/bin/sh
# MLD (issue 8, defect 5; RFC 4861 7.2.8: a proxy MUST join the
# solicited-node groups of the addresses it answers for, SHOULD with MLD;
# RFC 4541 2.1.2: a snooping switch forwards multicast only to ports that
# reported the group and to router ports).  Behind a Linux bridge with
# multicast_snooping 1, its own querier, and mcast_flood off on parpd's
# port, IPv6 address resolution through parpd must work: c1's NS for c2
# (redirected to the gateway) reaches parpd only if parpd's interface
# joined c2's solicited-node group.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_mld 90
lab_topology c1 c2 || exit 99

sw=$(lab_ns sw)
# The querier needs an IPv6 source: a link-local address on br0.
ip netns exec "$sw" sysctl -qw net.ipv6.conf.br0.disable_ipv6=0
ip -n "$sw" link set br0 type bridge mcast_snooping 1 mcast_querier 1 \
    mcast_query_interval 500 mcast_query_response_interval 100 \
    mcast_startup_query_interval 100 || exit 99
# A querier started before br0 had its address sends nothing: restart it.
lab_wait 5 sh -c "ip -n $sw -6 addr show dev br0 | grep -q inet6" || exit 99
ip -n "$sw" link set br0 type bridge mcast_querier 0
ip -n "$sw" link set br0 type bridge mcast_querier 1
bridge -n "$sw" link set dev gw mcast_flood off || exit 99

conf=$(lab_conf <<EOF2
interface eth0
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	rule fe80::/64 2001:db8:1::/64 2001:db8:1::1
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
c1ip6=$(lab_ip6 c1)
c2ip6=$(lab_ip6 c2)
querier()
{
	ip netns exec "$sw" cat /sys/class/net/br0/bridge/multicast_snooping |
	    grep -qx 1 &&
	    bridge -n "$sw" mdb show dev br0 | grep -q "port gw .*ff02::1:ff00:1"
}
lab_check "control: snooping on, the gateway's own solicited-node group
      ff02::1:ff00:1 reported on port gw" lab_wait 10 querier
lab_check "control: c1 resolves the gateway itself (its kernel's group)" \
    lab_ping c1 "$(lab_ip6 gw)"
lab_learn c1; sleep 0.5
lab_learn c2
lab_check "dump: c2 learned" lab_wait 8 lab_learned "$c2ip6" "$(lab_mac c2)"
sleep 1
lab_say "the bridge's multicast database:"
bridge -n "$sw" mdb show dev br0 | sed 's/^/    /'
lab_check "port gw reported c2's solicited-node group ff02::1:ff01:22" \
    sh -c "bridge -n $sw mdb show dev br0 | grep -q 'port gw .*ff02::1:ff01:22'"
lab_cap_start cap gw || exit 99
out=$(lab_resolve c1 "$c2ip6")
lab_cap_stop cap
lab_check_eq "c1 resolves c2 to the gateway's MAC" "$gw" "$out"
lab_check "the gateway received c1's NS for c2" \
    test "$(lab_count "$LAB_DIR/cap.ns" "\$6 == \"$c2ip6\" &&
    \$4 == \"$c1ip6\"")" -ge 1
lab_check "ping -6 c1 -> c2 through the gateway" lab_ping c1 "$c2ip6"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
