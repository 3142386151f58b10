#!/bin/sh
# An `ignore` rule, and a request no rule matches, get no answer at all:
# nothing from the gateway's MAC reaches the requester, while a `tell` rule
# on the same parpd answers (the control that parpd is listening).
. "$(dirname "$0")/lib.sh"
lab_init ignore_silence 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.16/28 198.51.100.16/28 ignore
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 2001:db8:1::/125 2001:db8:1::/64 ignore
end
EOF
)
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
lab_learn c1
lab_learn c2
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$(lab_ip4 c1)" \
    "$(lab_mac c1)"
lab_check "dump: c2 learned" lab_wait 5 lab_learned "$(lab_ip4 c2)" \
    "$(lab_mac c2)"

lab_cap_start c1cap c1 || exit 99
lab_cap_start srvcap srv || exit 99

lab_say "ignore rule: c1 asks for c2 (both learned)"
lab_check_not "arping c1 -> c2 unanswered" lab_arping c1 "$(lab_ip4 c2)" 2
lab_say "ignore rule: the server solicits c1's IPv6 address"
out=$(lab_in srv timeout 5 ndisc6 -q -1 -r 2 -w 500 -s "$(lab_ip6 srv)" \
    "$(lab_ip6 c1)" eth0)
lab_check_eq "ndisc6 srv -> c1 unanswered" "" "$out"
lab_say "no rule matches: c1 asks for 198.51.100.200, the server for 203.0.113.5"
lab_check_not "arping c1 -> 198.51.100.200 unanswered" \
    lab_arping c1 198.51.100.200 2
lab_in srv ip route add 203.0.113.0/24 dev eth0
lab_check_not "arping srv -> 203.0.113.5 unanswered" \
    lab_arping srv 203.0.113.5 2
lab_say "no rule matches: c1 solicits c2's IPv6 address"
out=$(lab_in c1 timeout 5 ndisc6 -q -1 -r 2 -w 500 -s "$(lab_ip6 c1)" \
    "$(lab_ip6 c2)" eth0)
lab_check_eq "ndisc6 c1 -> c2 unanswered" "" "$out"

lab_say "control: the tell rule answers the server's request for c1"
lab_check "arping srv -> c1 answered" lab_arping srv "$(lab_ip4 c1)" 1
lab_cap_stop c1cap
lab_cap_stop srvcap

# (The gateway's kernel may still query c1 for itself; parpd's answers
# would come from the gateway's MAC for other addresses than its own.)
lab_check_eq "c1 received no ARP reply and no NA from parpd" "0 0" \
    "$(lab_count "$LAB_DIR/c1cap.arp" "\$4 == 2 && \$2 == \"$gw\" &&
    \$6 != \"$(lab_ip4 gw)\"") $(lab_count "$LAB_DIR/c1cap.na" \
    "\$2 == \"$gw\" && \$7 != \"$(lab_ip6 gw)\" &&
    \$7 != \"$(lab_ll6 gw)\"")"
lab_check_eq "the server received exactly the control's ARP reply, no NA" \
    "1 0" "$(lab_count "$LAB_DIR/srvcap.arp" "\$4 == 2 &&
    \$2 == \"$gw\" && \$6 != \"$(lab_ip4 gw)\"") $(lab_count \
    "$LAB_DIR/srvcap.na" "\$2 == \"$gw\" && \$7 != \"$(lab_ip6 gw)\" &&
    \$7 != \"$(lab_ll6 gw)\"")"
lab_show "$LAB_DIR/srvcap.arp" '$4 == 2'
d=$(lab_dump)
lab_check "dump: counter ignored >= 10 (4 by the ignore rules, 6 by no rule)" \
    test "$(lab_dump_counter "$d" ignored)" -ge 10
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
