#!/bin/sh
# sweep: hosts that never speak are found.  c1 and c2 stay silent; parpd
# sweeps 198.51.100.16/28 every 5 s at 50 queries/s, learns both from
# their answers (confirmed) and routes them; the next pass asks only the
# addresses still unknown; c2, gone, loses its entry and its route within
# one refresh cycle and is not brought back by the sweeps.
. "$(dirname "$0")/lib.sh"
lab_init sweep 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
cache
	timeout 8
	refresh 2*1
end
interface eth0
	routes
	sweep 198.51.100.16/28 every 5 rate 50
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
)
lab_check "parpd -n accepts the file without a word" \
    test -z "$("$PARPD" -n -c "$conf" 2>&1)"
c1ip=$(lab_ip4 c1)
c2ip=$(lab_ip4 c2)
lab_cap_start cap c1 || exit 99
lab_parpd_start gw "$conf" || exit 99
t0=$(date +%s)

lab_check "c1, silent, is found: learned and confirmed" \
    lab_wait 3 eval 'lab_dump_entry "$(lab_dump)" "$c1ip" | grep -q confirmed'
lab_check "c2, silent, is found too" \
    lab_wait 1 lab_learned "$c2ip" "$(lab_mac c2)"
lab_check "c1 gets its host route" lab_wait 2 lab_has_route gw "$c1ip" eth0
lab_check "c2 gets its host route" lab_wait 2 lab_has_route gw "$c2ip" eth0
d=$(lab_dump)
lab_check_eq "the first pass asked each of the /28's 14 hosts once" 14 \
    "$(lab_dump_counter "$d" sweep_queries)"
lab_check_eq "sweep queries are not refresh queries" 0 \
    "$(lab_dump_counter "$d" queries_sent)"

lab_say "c2 goes away"
lab_in c2 ip link set eth0 down
# The second pass starts 5 s after the first: 12 unknown hosts asked.
lab_check "the second pass asks the 12 hosts still unknown" \
    lab_wait 8 eval '[ "$(lab_dump_counter "$(lab_dump)" sweep_queries)" \
    -eq 26 ]'
lab_check "c2's route is gone within one refresh cycle (8 s)" \
    lab_wait 10 lab_no_route gw "$c2ip"
echo "    $(($(date +%s) - t0)) s after the start"
lab_check "c2 is no longer cached" lab_not_cached "$c2ip"
lab_check "c1, answering the refresh queries, keeps its route" \
    lab_has_route gw "$c1ip" eth0
lab_cap_stop cap

# What c1 saw: broadcast requests from the gateway's MAC, sender the
# gateway's address, for each address of the /28, paced.
lab_check "c1 saw the sweep's broadcast requests for 198.51.100.30" \
    test "$(lab_count "$LAB_DIR/cap.arp" "\$4 == 1 &&
    \$3 == \"ff:ff:ff:ff:ff:ff\" && \$2 == \"$(lab_mac gw)\" &&
    \$6 == \"$(lab_ip4 gw)\" && \$8 == \"198.51.100.30\"")" -ge 2
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
