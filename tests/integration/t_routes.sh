#!/bin/sh
# `routes`: each learned host gets a /32 or /128 scope link route of
# protocol 245 on its interface; routes parpd did not install are never
# touched, not even one for a host it learns; SIGTERM removes all of
# parpd's routes and exits 0.
. "$(dirname "$0")/lib.sh"
lab_init routes 90
lab_topology c1 c2 c3 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
)
lab_say "routes of the administrator, before parpd starts:"
lab_in gw ip route add 203.0.113.9/32 dev eth0 proto static
lab_in gw ip route add "$(lab_ip4 c3)/32" dev eth0 proto static
lab_in gw ip -6 route add "$(lab_ip6 c3)/128" dev eth0 proto static
lab_in gw ip route add 198.51.100.77/32 dev eth0 proto boot metric 7
mine()
{
	lab_in gw ip -4 route show proto static
	lab_in gw ip -6 route show proto static
	if [ "$LAB_ROUTES_VIA" = rtnetlink ]; then
		lab_in gw ip -4 route show proto boot
	else
		# libdnet's routes are of protocol boot too on Linux.
		lab_in gw ip -4 route show proto boot |
		    grep -vxF -- "$(lab_ip_routes gw -4)"
	fi
}
mine >"$LAB_DIR/mine.before"
sed 's/^/    /' "$LAB_DIR/mine.before"

lab_parpd_start gw "$conf" || exit 99
for c in c1 c2 c3; do
	lab_learn "$c"
done
for c in c1 c2; do
	lab_check "route $(lab_ip4 $c) dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$(lab_ip4 $c)" eth0
	lab_check "route $(lab_ip6 $c) dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$(lab_ip6 $c)" eth0
done
lab_check "dump: c3 learned" lab_learned "$(lab_ip4 c3)" "$(lab_mac c3)"
lab_say "parpd's routes ($LAB_ROUTE_OWN):"
lab_routes gw | sed 's/^/    /'
lab_check "IPv4 routes are host routes with scope link" \
    test "$(lab_ip_routes gw -4 | grep -v 'scope link' |
    wc -l)" = 0
lab_check_eq "IPv6 routes are /128 (ip route get picks them)" \
    "$(lab_ip6 c1)" "$(lab_ip_routes gw -6 "$(lab_ip6 c1)/128" |
    awk '{ print $1 }')"
lab_check_eq "IPv4 route of c1 is a /32" "$(lab_ip4 c1)" \
    "$(lab_ip_routes gw -4 "$(lab_ip4 c1)/32" |
    awk '{ print $1 }')"
lab_check_eq "no $LAB_ROUTE_OWN route elsewhere than on the hosts learned" \
    "" "$(lab_routes gw | awk '{ print $1 }' | grep -vxE \
    '198\.51\.100\.2[123]|2001:db8:1::1:2[123]')"
lab_check_not "no $LAB_ROUTE_OWN route for $(lab_ip6 c3), the administrator's" \
    lab_has_route gw "$(lab_ip6 c3)" eth0
if [ "$LAB_ROUTES_VIA" = libdnet ] && [ "$(uname -s)" = Linux ]; then
	lab_skip_check "no $LAB_ROUTE_OWN route for $(lab_ip4 c3), the administrator's" \
	    "libdnet's route_loop lists no IPv4 route without a gateway on Linux, so parpd cannot see the administrator's"
else
	lab_check_not "no $LAB_ROUTE_OWN route for $(lab_ip4 c3), the administrator's" \
	    lab_has_route gw "$(lab_ip4 c3)" eth0
fi
mine >"$LAB_DIR/mine.during"
lab_check "the administrator's routes are unchanged while parpd runs" \
    cmp -s "$LAB_DIR/mine.before" "$LAB_DIR/mine.during"

lab_say "SIGTERM"
lab_check "parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
mine >"$LAB_DIR/mine.after"
lab_check "the administrator's routes are still all there, unchanged" \
    cmp -s "$LAB_DIR/mine.before" "$LAB_DIR/mine.after"
diff "$LAB_DIR/mine.before" "$LAB_DIR/mine.after" | sed 's/^/    /'
lab_done
