#!/bin/sh
# `delay tell` with cache delay 4*3: a DHCP-server-style requester that
# checks an address by asking again and again gets an answer only from
# its 4th request within 3 seconds on; a request after the window starts
# counting afresh.
. "$(dirname "$0")/lib.sh"
lab_init delay 90
lab_topology c1 || exit 99
lab_node dhcp || exit 99

conf=$(lab_conf <<EOF
cache
	delay 4*3
end
interface eth0
	rule 198.51.100.4/32 198.51.100.0/24 delay tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99

gw=$(lab_mac gw)
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
lab_learn c1
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$c1ip" "$c1"

lab_cap_start cap dhcp || exit 99
lab_say "the DHCP server sends 6 requests for c1, 0.5 s apart"
lab_arping dhcp "$c1ip" 6 0.5 | sed 's/^/    /'
lab_cap_stop cap

f=$LAB_DIR/cap.arp
lab_show "$f" "\$6 == \"$c1ip\" || \$8 == \"$c1ip\""
# Requests before the first answer, and answers in all.
n=$(awk -v t="$c1ip" -v gw="$gw" '
    $4 == 1 && $8 == t && !seen { req++ }
    $4 == 2 && $6 == t && $2 == gw { if (!seen) first = req; seen = 1; ans++ }
    END { print first + 0, ans + 0 }' "$f")
lab_check_eq "the first answer follows the 4th request; 3 answers (4th-6th)" \
    "4 3" "$n"
lab_check_eq "every answer carries c1's MAC" 0 "$(lab_count "$f" \
    "\$4 == 2 && \$6 == \"$c1ip\" && \$5 != \"$c1\"")"

lab_say "after the 3 s window, 3 more requests start a new count"
sleep 3.5
lab_check_not "3 requests 0.5 s apart: unanswered" \
    lab_arping dhcp "$c1ip" 3 0.5
d=$(lab_dump)
lab_check "dump: counter delayed >= 6" \
    test "$(lab_dump_counter "$d" delayed)" -ge 6
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
