#!/bin/sh
# Router resolution (issue 8, defect 6; RFC 4861 7.2.5: an NA with O=0
# must not update a known link-layer address, 7.2.8: proxies answer with
# O=0 so that the owner's O=1 answer wins).  parpd resolves the redirect
# router 2001:db8:1::3; a proxy (x) answers each of parpd's NSes at once
# with O=0 and its own MAC, the router (rtr, a scapy responder: its kernel
# has no 2001:db8:1::3) 0.3 s later with O=1 and R=1.  Redirect answers
# must carry the router's MAC, and the proxy's later O=0 answers to the
# refresh queries must not rewrite the entry.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_rres 90
lab_topology c1 c2 || exit 99
lab_node rtr || exit 99
lab_node x || exit 99
lab_in rtr ip -6 addr del "$(lab_ip6 rtr)/64" dev eth0

rtrg=$(lab_ip6 rtr)
rtr=$(lab_mac rtr)
xm=$(lab_mac x)
conf=$(lab_conf <<EOF2
cache
	timeout 4
	refresh 2*1
end
interface eth0
	timeout 1
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 $rtrg
	rule fe80::/64 2001:db8:1::/64 $rtrg
end
EOF2
)
# responder ROLE MAC LL DELAY FLAGS: answer every NS for the router's
# address after DELAY seconds with an NA (R, S, O as FLAGS) for MAC.
responder()
{
	lab_scapy_bg "$1" "$1" "
import time
def ans(p):
    if ICMPv6ND_NS not in p or p[ICMPv6ND_NS].tgt != '$rtrg':
        return
    time.sleep($4)
    r, o = $5
    sendp(Ether(src='$2', dst=p[Ether].src) /
        IPv6(src='$3', dst=p[IPv6].src, hlim=255) /
        ICMPv6ND_NA(tgt='$rtrg', R=r, S=1, O=o) /
        ICMPv6NDOptDstLLAddr(lladdr='$2'), iface='eth0')
sniff(iface='eth0', filter='icmp6', prn=ans, store=0,
    started_callback=ready)"
}
responder x "$xm" "$(lab_ll6 x)" 0 "0, 0" || exit 99
responder rtr "$rtr" "$(lab_ll6 rtr)" 0.3 "1, 1" || exit 99
lab_cap_start cap gw || exit 99
lab_parpd_start gw "$conf" || exit 99
sleep 2
d=$(lab_dump)
lab_say "parpd's entry for the router: $(lab_dump_entry "$d" "$rtrg")"
lab_check "dump: the router's address at the router's MAC" \
    lab_learned "$rtrg" "$rtr"
lab_learn c1
lab_learn c2
out=$(lab_resolve c1 "$(lab_ip6 c2)")
lab_check_eq "c1 resolves c2 to the router's MAC" "$rtr" "$out"
lab_say "refresh queries for the router: the proxy answers first, O=0"
sleep 5
lab_say "the proxy also sends an NA S=1 O=0 for the router with its MAC"
lab_scapy x "
sendp(Ether(src='$xm', dst='$(lab_mac gw)') /
    IPv6(src='$(lab_ll6 x)', dst='$(lab_ll6 gw)', hlim=255) /
    ICMPv6ND_NA(tgt='$rtrg', R=0, S=1, O=0) /
    ICMPv6NDOptDstLLAddr(lladdr='$xm'), iface='eth0')"
sleep 0.5
lab_cap_stop cap
lab_show "$LAB_DIR/cap.na" "\$7 == \"$rtrg\""
lab_check "the proxy answered parpd's queries (O=0, its MAC)" \
    test "$(lab_count "$LAB_DIR/cap.na" "\$7 == \"$rtrg\" &&
    \$2 == \"$xm\" && \$10 == 0")" -ge 1
d=$(lab_dump)
lab_say "parpd's entry for the router: $(lab_dump_entry "$d" "$rtrg")"
lab_check "dump: still the router's MAC after the proxy's O=0 answers" \
    lab_learned "$rtrg" "$rtr"
out=$(lab_resolve c1 "$(lab_ip6 c2)")
lab_check_eq "c1 still resolves c2 to the router's MAC" "$rtr" "$out"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
