#!/bin/sh
# The hairpin configuration routes (issue 9): clients that ask for each
# other are redirected to the gateway, and with `routes` each of them
# gets its host route although no `tell` rule names them.  The learning
# scope still holds: a redirect rule whose SRC is the whole address space
# ("anyone asking for X") makes nobody learnable, so a client claiming an
# upstream address gets no route for it.
. "$(dirname "$0")/lib.sh"
lab_init hairpin 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	rule 0.0.0.0/0 203.0.113.0/24 198.51.100.1
end
EOF
)
lab_check "parpd -n accepts the file without a warning" \
    test -z "$("$PARPD" -n -c "$conf" 2>&1)"
lab_parpd_start gw "$conf" || exit 99
for c in c1 c2; do
	lab_learn "$c"
done
for c in c1 c2; do
	lab_check "route $(lab_ip4 $c) dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$(lab_ip4 $c)" eth0
	lab_check "route $(lab_ip6 $c) dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$(lab_ip6 $c)" eth0
done
lab_check "c1 pings c2 through the gateway (hairpin)" \
    lab_in c1 ping -n -q -c 1 -W 2 "$(lab_ip4 c2)"

lab_say "c2 announces 203.0.113.9, an upstream address"
lab_arping_announce c2 203.0.113.9
sleep 1
lab_check_eq "no route for the claimed upstream address" "" \
    "$(lab_routes gw | grep -F 203.0.113.9)"
lab_check "dump: 203.0.113.9 not cached" lab_not_cached 203.0.113.9
lab_say "parpd's routes ($LAB_ROUTE_OWN):"
lab_routes gw | sed 's/^/    /'
lab_check "parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"

lab_say "routes with nothing learnable: parpd -n warns"
warn=$(lab_conf warn.conf <<EOF
interface eth0
	routes
	rule 0.0.0.0/0 0.0.0.0/0 198.51.100.1
end
EOF
)
out=$("$PARPD" -n -c "$warn" 2>&1)
printf '%s\n' "$out" | sed 's/^/    /'
lab_check "the warning names routes and what is learnable" \
    sh -c 'printf "%s\n" "$1" | grep -q "routes.*nothing.*learn"' sh "$out"
lab_done
