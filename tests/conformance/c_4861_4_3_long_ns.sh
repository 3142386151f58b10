#!/bin/sh
# Long Neighbor Solicitations (issue 8, defect 10; RFC 4861 4.3, 4.6, 7.1.1:
# options up to the packet's end, unknown ones ignored; RFC 3971 5.3 nonce
# option, type 14): an NS with more than 50 bytes of options is a valid NS
# and must be answered, not cut by the capture's snap length and counted
# as a length error.  The server sends an NS for c1 (a `tell` target)
# with a source link-layer option, a 48-byte nonce option and a 24-byte
# option of the experimental type 253 (RFC 4727): 80 bytes of options,
# checksum computed over all of them.
. "$(dirname "$0")/../integration/lib.sh"
lab_init c_longns 90
lab_topology c1 || exit 99

conf=$(lab_conf <<EOF2
interface eth0
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
end
EOF2
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
srv=$(lab_mac srv)
c1=$(lab_mac c1)
c1ip6=$(lab_ip6 c1)
lab_learn c1
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$c1ip6" "$c1"

lab_cap_start cap srv || exit 99
lab_say "the server sends an NS for c1 with 80 bytes of options"
lab_scapy srv "
opts = bytes([14, 6]) + bytes(range(1, 47)) + bytes([253, 3]) + bytes(22)
p = (Ether(src='$srv', dst='33:33:ff:01:00:21') /
    IPv6(src='$(lab_ip6 srv)', dst='ff02::1:ff01:21', hlim=255) /
    ICMPv6ND_NS(tgt='$c1ip6') / ICMPv6NDOptSrcLLAddr(lladdr='$srv') /
    Raw(load=opts))
sendp(p, iface='eth0')
open('$LAB_DIR/ns.len', 'w').write(str(len(p)))"
sleep 1
lab_cap_stop cap
lab_say "frame length $(cat "$LAB_DIR/ns.len"); the NS as tshark decodes it:"
lab_tshark cap 'icmpv6.type == 135' frame.len icmpv6.checksum.status \
    icmpv6.opt.type | sed 's/^/    /'
lab_check "control: tshark finds the NS checksum good" \
    test "$(lab_tshark cap 'icmpv6.type == 135' icmpv6.checksum.status)" = 1
lab_show "$LAB_DIR/cap.na" 1
lab_check "the long NS is answered with c1's MAC" \
    test "$(lab_count "$LAB_DIR/cap.na" "\$2 == \"$gw\" &&
    \$7 == \"$c1ip6\" && \$11 == \"$c1\"")" -ge 1
d=$(lab_dump)
lab_say "parpd's nonzero drop counters:"
awk 'NF == 2 && $2 != 0 && /drop|len|short|trunc/ { print "    " $0 }' "$d"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
