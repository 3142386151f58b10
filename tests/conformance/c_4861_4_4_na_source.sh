#!/bin/sh
# RFC 4861 4.4, 7.2.4 (issue 8, defect 3): the IPv6 source of a Neighbor
# Advertisement is an address assigned to the interface it is sent from.
# parpd's proxy answers (tell, redirect, DAD answers) must come from an
# address of the gateway's eth0 (its link-local address, or the one the
# kernel would select), never from the target: first-hop-security
# switches (RFC 6620, 7513) drop or alarm on a port that sources other
# hosts' addresses.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_nasrc 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF2
interface eth0
	rule ::/0 2001:db8:1::/125 ignore
	rule ::/128 2001:db8:1::1:0/120 tell
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
	rule fe80::/64 2001:db8:1::/64 2001:db8:1::1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
c1=$(lab_mac c1)
c1ip6=$(lab_ip6 c1)
c2ip6=$(lab_ip6 c2)
lab_learn c1
lab_learn c2
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$c1ip6" "$c1"
lab_check "dump: c2 learned" lab_wait 5 lab_learned "$c2ip6" "$(lab_mac c2)"
lab_ip6_addrs gw >"$LAB_DIR/gwaddrs"
lab_say "the gateway's eth0 addresses:"
sed 's/^/    /' "$LAB_DIR/gwaddrs"

lab_cap_start cap gw || exit 99
lab_say "tell: the server asks for c1 (global and link-local source)"
lab_in srv timeout 5 ndisc6 -q -1 -r 2 -w 500 -s "$(lab_ip6 srv)" \
    "$c1ip6" eth0 >/dev/null
lab_say "redirect: c1 asks for c2 (global and link-local source)"
lab_in c1 timeout 5 ndisc6 -q -1 -r 2 -w 500 -s "$c1ip6" "$c2ip6" \
    eth0 >/dev/null
lab_in c1 timeout 5 ndisc6 -q -1 -r 2 -w 500 -s "$(lab_ll6 c1)" "$c2ip6" \
    eth0 >/dev/null
lab_say "DAD answer: the server probes c1's address"
lab_scapy srv "
sendp(Ether(src='$(lab_mac srv)', dst='33:33:ff:01:00:21') /
    IPv6(src='::', dst='ff02::1:ff01:21', hlim=255) /
    ICMPv6ND_NS(tgt='$c1ip6'), iface='eth0')"
lab_cap_stop cap

f=$LAB_DIR/cap.na
lab_say "Neighbor Advertisements sent by the gateway:"
lab_show "$f" "\$2 == \"$gw\""
lab_check "parpd answered for c1 and c2 (at least 4 NAs)" \
    test "$(lab_count "$f" "\$2 == \"$gw\" && (\$7 == \"$c1ip6\" ||
    \$7 == \"$c2ip6\")")" -ge 4
lab_check_eq "no NA sourced from its own target" 0 \
    "$(lab_count "$f" "\$2 == \"$gw\" && (\$7 == \"$c1ip6\" ||
    \$7 == \"$c2ip6\") && \$4 == \$7")"
lab_check_eq "every NA's source is an address of the gateway's eth0" 0 \
    "$(awk 'NR == FNR { own[$1] = 1; next }
    $2 == "'"$gw"'" && !($4 in own) { n++ } END { print n + 0 }' \
    "$LAB_DIR/gwaddrs" "$f")"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
