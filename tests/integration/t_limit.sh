#!/bin/sh
# The cache is bounded: with limit 2, a third host evicts the oldest entry
# never confirmed by an answer to a unicast query, and the evicted host's
# route goes with it.  SIGINT ends parpd like SIGTERM: routes removed,
# exit status 0.
. "$(dirname "$0")/lib.sh"
lab_init limit 90
lab_topology c1 c2 c3 || exit 99

conf=$(lab_conf <<EOF
cache
	limit 2
end
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
# Announcements only (no IPv6 traffic), one host after the other.
for c in c1 c2 c3; do
	lab_arping_announce "$c" "$(lab_ip4 $c)" request >/dev/null
	lab_wait 3 lab_has_route gw "$(lab_ip4 $c)" eth0
done
d=$(lab_dump)
lab_say "dump:"
awk 'NF > 2' "$d" | sed 's/^/    /'
lab_check_eq "dump: entries 2" 2 "$(lab_dump_counter "$d" entries)"
lab_check_eq "dump: c1, the oldest unconfirmed entry, was evicted" "" \
    "$(lab_dump_entry "$d" "$(lab_ip4 c1)")"
lab_check "dump: c2 and c3 cached" eval \
    'lab_dump_entry "$d" "$(lab_ip4 c2)" | grep -q . &&
    lab_dump_entry "$d" "$(lab_ip4 c3)" | grep -q .'
lab_check "dump: counter table_full >= 1" \
    test "$(lab_dump_counter "$d" table_full)" -ge 1
lab_check "c1's route went with its entry" lab_no_route gw "$(lab_ip4 c1)"
lab_check "c2's and c3's routes are there" eval \
    'lab_has_route gw "$(lab_ip4 c2)" eth0 &&
    lab_has_route gw "$(lab_ip4 c3)" eth0'
lab_routes gw | sed 's/^/    /'
lab_check "log: the full table is logged" lab_log_has '(full|evict)'
lab_check "SIGINT: parpd exits 0" lab_parpd_stop INT
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_done
