#!/bin/sh
# Address probes (ARP from 0.0.0.0, RFC 5227; NS from ::, duplicate
# address detection) are never answered with a redirect; `tell` answers
# one only when a learned owner with another MAC exists: a true conflict.
. "$(dirname "$0")/lib.sh"
lab_init probe 90
lab_topology c1 c3 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	rule 0.0.0.0/32 198.51.100.16/28 tell
	rule 0.0.0.0/0 198.51.100.0/24 198.51.100.1
	rule ::/128 2001:db8:1::1:0/120 tell
	rule ::/0 2001:db8:1::/64 2001:db8:1::1
end
EOF
)
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
c1=$(lab_mac c1)
c3=$(lab_mac c3)
c1ip=$(lab_ip4 c1)
lab_learn c1
lab_check "dump: c1 learned (IPv4)" lab_wait 5 lab_learned "$c1ip" "$c1"
lab_check "dump: c1 learned (IPv6)" lab_wait 5 lab_learned "$(lab_ip6 c1)" \
    "$c1"

lab_cap_start cap c3 || exit 99
lab_say "probe for 198.51.100.200 (covered by the redirect rule)"
lab_check_not "probe c3 -> 198.51.100.200 unanswered" \
    lab_arping_probe c3 198.51.100.200
lab_check "control: an ordinary request c3 -> 198.51.100.200 is redirected" \
    lab_arping c3 198.51.100.200 1
lab_say "probe for c1's address (learned, another MAC): a conflict"
lab_check "probe c3 -> $c1ip answered" lab_arping_probe c3 "$c1ip"
lab_say "probe for an unknown address of the tell range"
lab_check_not "probe c3 -> 198.51.100.22 unanswered" \
    lab_arping_probe c3 198.51.100.22
lab_cap_stop cap
lab_cap_start cap1 c1 || exit 99
lab_say "c1 probes its own address: the learned MAC is its own, no conflict"
lab_check_not "probe c1 -> $c1ip unanswered" lab_arping_probe c1 "$c1ip"
lab_cap_stop cap1

f=$LAB_DIR/cap.arp
lab_say "ARP replies seen by c3:"
lab_show "$f" '$4 == 2'
lab_check_eq "no reply to the probe for 198.51.100.200 (only the control's)" \
    1 "$(lab_count "$f" '$4 == 2 && $6 == "198.51.100.200"')"
lab_check "conflict reply: Ethernet to c3, sha = c1's MAC, spa = $c1ip,
      tha = c3's MAC, tpa = 0.0.0.0" test "$(lab_count "$f" \
    "\$4 == 2 && \$2 == \"$gw\" && \$3 == \"$c3\" && \$5 == \"$c1\" &&
     \$6 == \"$c1ip\" && \$7 == \"$c3\" && \$8 == \"0.0.0.0\"")" -ge 1
lab_check_eq "c1 received no reply to its own probe" 0 \
    "$(lab_count "$LAB_DIR/cap1.arp" "\$4 == 2 && \$6 == \"$c1ip\"")"

lab_say "IPv6: the kernel's duplicate address detection on c3"
lab_cap_start cap6 c3 || exit 99
lab_in c3 sysctl -qw net.ipv6.conf.eth0.accept_dad=1 \
    net.ipv6.conf.eth0.dad_transmits=1 \
    net.ipv6.neigh.eth0.retrans_time_ms=300
dad()
{
	lab_in c3 ip -6 addr show dev eth0 | grep -F " $1/"
}
lab_in c3 ip -6 addr add "$(lab_ip6 c1)/128" dev eth0
lab_in c3 ip -6 addr add 2001:db8:1::2:99/128 dev eth0
lab_in c3 ip -6 addr add 2001:db8:1::1:22/128 dev eth0
lab_check "c1's learned address fails DAD on c3 (dadfailed)" \
    lab_wait 5 eval 'dad "$(lab_ip6 c1)" | grep -q dadfailed'
settled()
{
	dad "$1" >/dev/null && ! dad "$1" | grep -qE 'tentative|dadfailed'
}
lab_check "2001:db8:1::2:99 (covered by the redirect rule) passes DAD" \
    lab_wait 5 settled 2001:db8:1::2:99
lab_check "2001:db8:1::1:22 (unknown) passes DAD" \
    lab_wait 5 settled 2001:db8:1::1:22
lab_in c3 ip -6 addr show dev eth0 | grep -F 2001:db8 | sed 's/^/    /'
lab_cap_stop cap6
f=$LAB_DIR/cap6.na
lab_say "Neighbor Advertisements seen by c3:"
lab_show "$f" 1
lab_check "DAD answer: Ethernet to c3, IPv6 to ff02::1, target link-layer
      address = c1's MAC, S=0, O=0 (RFC 4861 7.2.8)" test "$(lab_count \
    "$f" "\$2 == \"$gw\" && \$3 == \"$c3\" && \$5 == \"ff02::1\" &&
     \$7 == \"$(lab_ip6 c1)\" && \$9 == 0 && \$10 == 0 &&
     \$11 == \"$c1\"")" -ge 1
lab_check_eq "no NA for the other two addresses" 0 "$(lab_count "$f" \
    '$7 == "2001:db8:1::2:99" || $7 == "2001:db8:1::1:22"')"
d=$(lab_dump)
lab_check "dump: counter probes_refused >= 2" \
    test "$(lab_dump_counter "$d" probes_refused)" -ge 2
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
