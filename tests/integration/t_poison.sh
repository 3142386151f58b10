#!/bin/sh
# Forged frames from a spoofing client (c3, scapy) are not learned:
# unsolicited ARP replies, frames whose Ethernet source differs from the
# sender MAC, solicited NAs nobody asked for, NS whose source link-layer
# option differs from the Ethernet source, and anything about a static
# pair.  The server still gets c1's true MAC.
. "$(dirname "$0")/lib.sh"
lab_init poison 90
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import scapy' 2>/dev/null ||
    lab_skip "python3-scapy is not installed"
lab_topology c1 c3 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	static 198.51.100.30 02:00:00:00:00:30
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
c1=$(lab_mac c1)
c3=$(lab_mac c3)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)
evil=02:00:00:00:00:66
lab_learn c1
lab_check "dump: c1 learned (IPv4)" lab_wait 5 lab_learned "$c1ip" "$c1"
lab_check "dump: c1 learned (IPv6)" lab_wait 5 lab_learned "$c1ip6" "$c1"

lab_say "c3 forges frames"
lab_scapy c3 "
gw, gwip, gwip6 = '$gw', '$(lab_ip4 gw)', '$(lab_ip6 gw)'
me, evil = '$c3', '$evil'
fr = []
# 1. unsolicited ARP reply: c1's address is at c3's MAC
fr.append(Ether(src=me, dst=gw) / ARP(op=2, hwsrc=me, psrc='$c1ip',
    hwdst=gw, pdst=gwip))
# 2. ARP request, sender MAC differs from the Ethernet source
fr.append(Ether(src=me, dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, hwsrc=evil,
    psrc='$c1ip', pdst=gwip))
# 3. unsolicited ARP replies for new addresses, one also mismatched
fr.append(Ether(src=me, dst=gw) / ARP(op=2, hwsrc=me, psrc='198.51.100.40',
    hwdst=gw, pdst=gwip))
fr.append(Ether(src=me, dst=gw) / ARP(op=2, hwsrc=evil,
    psrc='198.51.100.41', hwdst=gw, pdst=gwip))
# 4. announcement for the static address
fr.append(Ether(src=me, dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, hwsrc=me,
    psrc='198.51.100.30', hwdst='00:00:00:00:00:00', pdst='198.51.100.30'))
# 5. solicited NA nobody asked for: c1's IPv6 address at c3's MAC
fr.append(Ether(src=me, dst=gw) / IPv6(src='$c1ip6', dst=gwip6,
    hlim=255) / ICMPv6ND_NA(tgt='$c1ip6', R=0, S=1, O=1) /
    ICMPv6NDOptDstLLAddr(lladdr=me))
# 6. NS whose source link-layer option differs from the Ethernet source
fr.append(Ether(src=me, dst='33:33:ff:00:00:01') / IPv6(src='$c1ip6',
    dst='ff02::1:ff00:1', hlim=255) / ICMPv6ND_NS(tgt=gwip6) /
    ICMPv6NDOptSrcLLAddr(lladdr=evil))
for f in fr:
    sendp(f, iface='eth0')
"
sleep 1
d=$(lab_dump)
lab_say "dump after the forged frames:"
grep -E "^(198\.51\.100\.(21|30|40|41)|$c1ip6) " "$d" | sed 's/^/    /'
lab_check "c1's IPv4 entry keeps c1's MAC" lab_learned "$c1ip" "$c1"
lab_check "c1's IPv6 entry keeps c1's MAC" lab_learned "$c1ip6" "$c1"
lab_check_eq "198.51.100.40 (unsolicited reply) not learned" "" \
    "$(lab_dump_entry "$d" 198.51.100.40)"
lab_check_eq "198.51.100.41 (unsolicited, mismatched) not learned" "" \
    "$(lab_dump_entry "$d" 198.51.100.41)"
lab_check "the static pair 198.51.100.30 keeps its MAC" \
    lab_learned 198.51.100.30 02:00:00:00:00:30
lab_check "counter poison_refused >= 1" \
    test "$(lab_dump_counter "$d" poison_refused)" -ge 1
lab_check "log: the poisoning attempt on the static pair is logged" \
    eval "grep -F 198.51.100.30 '$LAB_PARPD_LOG' | grep -qiE 'poison|refus'"
lab_check_not "no entry carries the forged sender MAC $evil" \
    grep -qi "$evil" "$d"

lab_say "the server still gets the truth"
lab_cap_start cap srv || exit 99
lab_check "arping srv -> c1 answered" lab_arping srv "$c1ip" 1
lab_check "arping srv -> 198.51.100.30 (static) answered" \
    lab_arping srv 198.51.100.30 1
# ndisc6 ignores link-local-sourced NAs for a global target (RFC 4861
# 4.4): ping, and read the neighbour entry the answer made.
lab_in srv ip -6 neigh flush dev eth0
lab_check "ping -6 srv -> c1" lab_ping srv "$c1ip6" 2
lab_check_eq "srv's neighbour entry for c1: c1's MAC" "$c1" \
    "$(lab_neigh srv "$c1ip6")"
lab_cap_stop cap
lab_show "$LAB_DIR/cap.arp" '$4 == 2'
lab_check_eq "every ARP answer for c1 carries c1's MAC" "0 1" \
    "$(lab_count "$LAB_DIR/cap.arp" "\$4 == 2 && \$6 == \"$c1ip\" &&
    \$5 != \"$c1\"") $(lab_count "$LAB_DIR/cap.arp" "\$4 == 2 &&
    \$6 == \"$c1ip\" && \$5 == \"$c1\"")"
lab_check "the answer for the static pair carries its MAC" \
    test "$(lab_count "$LAB_DIR/cap.arp" '$4 == 2 &&
    $6 == "198.51.100.30" && $5 == "02:00:00:00:00:30"')" -ge 1
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
