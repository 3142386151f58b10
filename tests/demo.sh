#!/bin/sh
# parpd demo, the README's first command:  sh tests/demo.sh  (as root)
#
# Installs what is needed and builds parpd (tests/setup.sh), then builds a
# small access network out of network namespaces, runs parpd on its
# gateway with the example configuration, and shows what parpd does there,
# with real output.  Everything it creates is removed at the end, also on
# failure or Ctrl-C.  Exits 0 only if every step showed what it claims.
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" != 0 ]; then
	echo "demo: run me as root (network namespaces): sudo sh tests/demo.sh" >&2
	exit 1
fi
echo "demo: installing packages and building parpd (tests/setup.sh)"
sh "$top/tests/setup.sh" || { echo "demo: setup failed" >&2; exit 1; }
PARPD=$top/build/parpd
PARPCTL=$top/build/parpctl
export PARPD PARPCTL
unset PARPD_NO_NETNS
. "$top/tests/integration/lib.sh"
if ! why=$(lab_preflight); then
	echo "demo: cannot run here: $why" >&2
	exit 1
fi
lab_init demo 170

gw=$(lab_mac gw)
c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c2ip=$(lab_ip4 c2)
indent()
{
	sed 's/^/    /'
}
pause()
{
	[ -t 1 ] && sleep "${1:-1}"
	return 0
}
step()
{
	echo
	echo "==== $*"
}
say()
{
	echo "$*" | fold -s -w 76
}
# tcpdump's own rendering of a capture: ARP and ND only, with MACs.
# shown DESCRIPTION COMMAND...: run COMMAND, show its output, check its
# status.
shown()
{
	local _d
	_d=$1
	shift
	if "$@" >"$LAB_DIR/shown.out" 2>&1; then
		indent <"$LAB_DIR/shown.out"
		lab_pass "$_d"
	else
		indent <"$LAB_DIR/shown.out"
		lab_fail "$_d"
	fi
}
show_cap()
{
	tcpdump -r "$LAB_DIR/$1.pcap" -n -e -t "${2:-arp or icmp6}" \
	    2>/dev/null | grep -v -e 'router solicitation' -e 'multicast listener' |
	    indent
}

step "1. The network"
lab_topology c1 c2 || exit 1
lab_node dhcp || exit 1
cat <<EOF
    A switch (a Linux bridge in its own namespace) with split horizon:
    the client ports are isolated from each other, and a first-hop filter
    keeps every broadcast and multicast away from the clients unless it
    comes from the gateway.  Each host is a network namespace.

EOF
row()
{
	printf '      %-5s %-14s %-17s %s  %s\n' "$1" "$(lab_ip4 "$1")" \
	    "$(lab_ip6 "$1")" "$(lab_mac "$1")" "$2"
}
row gw "gateway, runs parpd"
row srv "server (ordinary port)"
row dhcp "DHCP server (ordinary port)"
row c1 "client (isolated port)"
row c2 "client (isolated port)"
echo
say "Without help, the clients cannot resolve each other: c1 asks for" \
    "c2 and nobody answers."
if lab_arping c1 "$c2ip" 2 >"$LAB_DIR/arping.out" 2>&1; then
	indent <"$LAB_DIR/arping.out"
	lab_fail "c1's ARP requests for c2 stay unanswered before parpd runs"
else
	indent <"$LAB_DIR/arping.out"
	lab_pass "c1's ARP requests for c2 stay unanswered before parpd runs"
fi

step "2. parpd on the gateway, with the example configuration"
say "conf/parpd.conf is the original parpd's example plus our IPv6" \
    "rules. For the demo, three changes: the interface is eth0, host" \
    "routes are on, and the rule for the servers also logs (verbose):"
infra='198\.51\.100\.0/29  *198\.51\.100\.0/24'
conf=$(sed -e 's/^interface em0/interface eth0/' -e 's/^ #routes/ routes/' \
    -e "s|^\\( rule  *$infra  *\\)tell|\\1verbose tell|" \
    "$top/conf/parpd.conf" | lab_conf)
grep -v -e '^dumpfile' -e '^control' "$conf" | diff "$top/conf/parpd.conf" - | indent
echo
say "The settings and rules in force (comments left out):"
grep -E '^ *(rule|routes|timeout|delay|refresh)' "$conf" | indent
echo
lab_parpd_start gw "$conf" || exit 1
say "parpd -d -c parpd.conf runs in the gateway's namespace; its log:"
indent <"$LAB_PARPD_LOG" | grep -v 'dump written'
lab_check "parpd is running" lab_parpd_alive
pause

step "3. Isolated clients reach each other through the gateway (redirect)"
say "c1 pings c2. c1's ARP request reaches only the gateway; parpd" \
    "answers with the gateway's MAC (rule: 198.51.100.0/24 asking for" \
    "198.51.100.0/24 gets 198.51.100.1), and the gateway forwards the" \
    "packets back out of the same port (hairpinning)."
lab_cap_start c1cap c1 || exit 1
shown "c1 pings c2" lab_ping c1 "$c2ip"
shown "c1 pings c2 over IPv6 too" lab_ping c1 "$(lab_ip6 c2)"
lab_cap_stop c1cap
say "What c1 saw (ARP and Neighbor Discovery):"
show_cap c1cap \
    "ether src $gw and ((arp and arp[6:2] == 2) or (icmp6 and ip6[40] == 136))" |
    grep -v -e "tgt is $(lab_ll6 gw)," -e "tgt is $(lab_ip6 gw),"
say "c1's neighbour table: c2 is at the gateway's MAC."
lab_in c1 ip neigh show dev eth0 | grep -F -e "$c2ip " -e "$(lab_ip6 c2) " |
    indent
lab_check_eq "c1 has c2 at the gateway's MAC" "$gw" "$(lab_neigh c1 "$c2ip")"
lab_check "parpd's answer: from the gateway's MAC, 'is-at' the gateway's MAC" \
    test "$(lab_count "$LAB_DIR/c1cap.arp" "\$4 == 2 && \$6 == \"$c2ip\" &&
    \$5 == \"$gw\" && \$2 == \"$gw\"")" -ge 1
pause 2

step "4. The server reaches a client through tell"
say "The first-hop filter keeps srv's broadcast ARP away from c1. parpd" \
    "has learned c1 from c1's own ARP request in step 3, so it answers" \
    "srv with c1's own MAC (rule: 198.51.100.0/29 asking for" \
    "198.51.100.0/24: tell), and srv then talks to c1 directly."
lab_cap_start srvcap srv || exit 1
shown "srv pings c1" lab_ping srv "$c1ip"
lab_cap_stop srvcap
say "What srv saw:"
show_cap srvcap "ether src $gw and arp and arp[6:2] == 2"
lab_check_eq "srv has c1 at c1's own MAC" "$c1" "$(lab_neigh srv "$c1ip")"
lab_check "parpd's answer: from the gateway's MAC, 'is-at' c1's MAC" \
    test "$(lab_count "$LAB_DIR/srvcap.arp" "\$4 == 2 && \$6 == \"$c1ip\" &&
    \$5 == \"$c1\" && \$2 == \"$gw\"")" -ge 1
# Through srv's kernel: ndisc6 ignores an NA sourced from the gateway's
# link-local address for a global target, which RFC 4861 4.4 allows and
# the kernel accepts.
out=$(lab_resolve srv "$(lab_ip6 c1)")
say "IPv6: srv pings $(lab_ip6 c1); its neighbour table has it at $out"
lab_check_eq "srv resolves c1's IPv6 address to c1's own MAC" "$c1" "$out"
pause 2

step "5. A DHCP server's check is answered only from its 4th request on"
say "Before it offers an address, a DHCP server checks whether the" \
    "address is in use by asking again and again. The rule" \
    "198.51.100.4/32 asking for 198.51.100.0/24: delay tell, with cache" \
    "delay 4*3, answers only from the 4th request within 3 seconds on." \
    "dhcp sends 6 requests for c1, half a second apart:"
lab_cap_start dhcpcap dhcp || exit 1
lab_arping dhcp "$c1ip" 6 0.5 2>&1 | indent
lab_cap_stop dhcpcap
say "The capture on dhcp, request by request:"
awk -v t="$c1ip" -v gw="$gw" '
    $4 == 1 && $8 == t { n++; printf "    %6.3f s  request %d\n", $1, n }
    $4 == 2 && $6 == t && $2 == gw {
	printf "    %6.3f s      answer: %s is-at %s\n", $1, t, $5 }' \
    "$LAB_DIR/dhcpcap.arp"
n=$(awk -v t="$c1ip" -v gw="$gw" '
    $4 == 1 && $8 == t && !seen { req++ }
    $4 == 2 && $6 == t && $2 == gw { if (!seen) first = req; seen = 1; ans++ }
    END { print first + 0, ans + 0 }' "$LAB_DIR/dhcpcap.arp")
lab_check_eq "first answer after the 4th request, 3 answers in all" "4 3" "$n"
pause 2

step "6. A verbose rule logs a missing entry"
say "srv asks for 198.51.100.23, a host nobody has seen: the tell rule" \
    "has no entry to answer with, stays silent, and, being verbose," \
    "says so in the log:"
lab_arping srv 198.51.100.23 1 2>&1 | indent
lab_wait 3 lab_log_has '198\.51\.100\.23.*not known'
grep -F 198.51.100.23 "$LAB_PARPD_LOG" | indent
lab_check "parpd logged the missing entry for 198.51.100.23" \
    lab_log_has '198\.51\.100\.23.*not known'
pause 2

step "7. What parpd learned, and the host routes"
say "kill -USR1 writes the cache and the counters to the dump file" \
    "(address, MAC, interface, state, seconds to expiry, routed):"
d=$(lab_dump)
awk 'NF > 2' "$d" | indent
awk 'NF == 2 && $2 != 0' "$d" | tr '\n' ' ' | fold -s -w 72 | indent
echo
lab_check "the dump lists c1 at its MAC" lab_learned "$c1ip" "$c1" eth0
lab_check "the dump lists c2 at its MAC" lab_learned "$c2ip" "$(lab_mac c2)" \
    eth0
say "With 'routes', every live learned host has a host route of" \
    "protocol 245 (parpd's) on the gateway:"
echo "    # ip route show proto 245"
lab_routes gw | indent
lab_check "host routes for c1 and c2" eval \
    'lab_has_route gw "$c1ip" eth0 && lab_has_route gw "$c2ip" eth0'

step "8. Asking the running parpd: parpctl"
say "parpctl talks to parpd over its control socket. The cache, with" \
    "each entry's state, seconds to expiry and route:"
ctl="$PARPCTL -s $LAB_DIR/parpd.sock"
echo "    # parpctl show neighbors"
$ctl show neighbors | indent
say "Every rule with its line and the requests it decided:"
echo "    # parpctl show rules"
$ctl show rules | indent
say "Why was srv's request for 198.51.100.23 not answered, and what" \
    "would a request for c1 get?"
echo "    # parpctl explain eth0 $(lab_ip4 srv) 198.51.100.23"
$ctl explain eth0 "$(lab_ip4 srv)" 198.51.100.23 | fold -s -w 72 | indent
echo "    # parpctl explain eth0 $(lab_ip4 srv) $c1ip"
$ctl explain eth0 "$(lab_ip4 srv)" "$c1ip" | fold -s -w 72 | indent
lab_check "parpctl explain names the missing entry for 198.51.100.23" \
    eval '$ctl explain eth0 "$(lab_ip4 srv)" 198.51.100.23 |
    grep -q "198.51.100.23 is not known on eth0 yet"'
say "The same as JSON for scripts (-j), and the counters for Prometheus" \
    "(-p):"
echo "    # parpctl -j show neighbors eth0 $c1ip"
$ctl -j show neighbors eth0 "$c1ip" | indent
echo "    # parpctl show counters -p | grep -e answered -e learned"
$ctl show counters -p | grep -e answered -e learned | indent
lab_check "parpctl -j lists c1 as routed" eval \
    '$ctl -j show neighbors eth0 "$c1ip" | grep -q "\"routed\": true"'
pause 2

step "9. parpd stops"
say "SIGTERM: parpd removes its routes and exits."
lab_check "parpd exited with status 0" lab_parpd_stop
tail -n 1 "$LAB_PARPD_LOG" | indent
lab_check_eq "no protocol 245 route is left" "" "$(lab_routes gw)"

echo
if [ "$LAB_FAILED" = 0 ]; then
	echo "demo: every step showed what it claims ($LAB_PASSED checks)."
	echo "demo: removing the namespaces."
else
	echo "demo: $LAB_FAILED of $((LAB_PASSED + LAB_FAILED)) checks FAILED."
fi
lab_done
