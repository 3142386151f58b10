#!/bin/sh
# Delay and probes (issue 8, defect 8; RFC 5227 2.1.1, RFC 4862 5.4): a
# probe meets a `delay tell` rule whose SRC covers 0.0.0.0 (or ::) and a
# known owner with another MAC: that is a conflict, and it must be
# reported at once, on the first probe.  RFC 5227 sends 3 probes and DAD
# one NS: a delay of 4 requests means the conflict is never reported.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_pdelay 90
lab_topology c1 c3 || exit 99

conf=$(lab_conf <<EOF2
cache
	delay 4*3
end
interface eth0
	rule 0.0.0.0/0 198.51.100.0/24 delay tell
	rule ::/0 2001:db8:1::/64 delay tell
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
c1=$(lab_mac c1)
c3=$(lab_mac c3)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)
lab_learn c1
lab_check "dump: c1 learned (IPv4)" lab_wait 5 lab_learned "$c1ip" "$c1"
lab_check "dump: c1 learned (IPv6)" lab_wait 5 lab_learned "$c1ip6" "$c1"

lab_cap_start cap c3 || exit 99
lab_say "c3 probes c1's address once (arping -D, sender 0.0.0.0)"
lab_check "the first probe gets the conflict report" \
    lab_arping_probe c3 "$c1ip"
lab_say "c3's kernel runs DAD (one NS) for c1's IPv6 address"
lab_in c3 sysctl -qw net.ipv6.conf.eth0.accept_dad=1 \
    net.ipv6.conf.eth0.dad_transmits=1 \
    net.ipv6.neigh.eth0.retrans_time_ms=500
lab_in c3 ip -6 addr add "$c1ip6/128" dev eth0
dadfailed()
{
	lab_in c3 ip -6 addr show dev eth0 | grep -F " $c1ip6/" |
	    grep -q dadfailed
}
lab_check "DAD with one NS fails (dadfailed)" lab_wait 5 dadfailed
lab_in c3 ip -6 addr show dev eth0 | grep -F "$c1ip6" | sed 's/^/    /'
lab_cap_stop cap
lab_show "$LAB_DIR/cap.arp" 1
lab_show "$LAB_DIR/cap.na" 1
lab_check_eq "one probe, one conflict reply (sha = c1, tpa = 0.0.0.0)" 1 \
    "$(lab_count "$LAB_DIR/cap.arp" "\$4 == 2 && \$2 == \"$gw\" &&
    \$5 == \"$c1\" && \$6 == \"$c1ip\" && \$8 == \"0.0.0.0\"")"
lab_check "DAD answer to ff02::1 with c1's MAC" \
    test "$(lab_count "$LAB_DIR/cap.na" "\$2 == \"$gw\" &&
    \$5 == \"ff02::1\" && \$7 == \"$c1ip6\" && \$11 == \"$c1\"")" -ge 1
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
