#!/bin/sh
# Interface churn under load (issue 11, "Operations going wrong"): while
# the server and a client keep asking (ARP and Neighbor Solicitations,
# tell and redirect, 10 a second each), the interface parpd serves is
#  a) deleted and created again under the same name (a new ifindex):
#     parpd answers again, its host routes come back on the new
#     interface, none is left elsewhere;
#  b) given new addresses (IPv4 and the IPv6 link-local, the old ones
#     removed): what parpd sends comes from the new ones, nothing from an
#     address the interface no longer has;
#  c) given a new MAC: answers carry it (Ethernet source and, for the
#     redirect to the gateway's own address, the sender hardware address),
#     the old one disappears;
# each within CHURN_BOUND seconds, measured on the wire and printed.
# Throughout, parpctl shows the interface's state and parpd never exits;
# SIGTERM at the end exits 0 and removes every route.
. "$(dirname "$0")/lib.sh"
lab_init iface_churn 150
: "${PARPCTL:?PARPCTL is not set}"
lab_topology c1 c2 || exit 99
bound=${CHURN_BOUND:-1}

conf=$(lab_conf <<EOF
cache
	timeout 12
	refresh 2*1
end
interface eth0
	routes
	timeout 0.5
	# the infrastructure (the server) is told the clients' MACs, the
	# clients are redirected to the gateway
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	rule 2001:db8:1::/120 2001:db8:1::/64 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 2001:db8:1::1
	# what parpd learns and routes must lie in a tell rule's DST
	rule 198.51.100.0/24 198.51.100.0/24 tell
	rule 2001:db8:1::/64 2001:db8:1::/64 tell
end
EOF
)
sock=$LAB_DIR/parpd.sock
ctl()
{
	"$PARPCTL" -s "$sock" "$@"
}
gwmac=$(lab_mac gw)
newmac=02:00:00:00:00:51
c1ip=$(lab_ip4 c1)
c2ip=$(lab_ip4 c2)
c1ip6=$(lab_ip6 c1)
c2ip6=$(lab_ip6 c2)
srvip6=$(lab_ip6 srv)
oldll=$(lab_ll6 gw)
newll=fe80::5
lab_parpd_start gw "$conf" || exit 99
for r in srv c1 c2; do
	lab_learn "$r"
done
for a in "$c1ip" "$c2ip" "$c1ip6" "$c2ip6"; do
	lab_check "route $a dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$a" eth0
done

for n in srv c1 c2; do
	lab_cap_start "$n" "$n" || exit 99
done
lab_say "load: srv asks for c1 (tell), c1 for c2 (redirect), ARP and NS," \
    "10 a second each"
for q in "srv $c1ip" "c1 $c2ip"; do
	# shellcheck disable=SC2086
	set -- $q
	lab_in "$1" arping -q -i eth0 -W 0.1 -c 100000 "$2" >/dev/null 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
done
for q in "srv $srvip6 $c1ip6" "c1 $c1ip6 $c2ip6"; do
	# shellcheck disable=SC2086
	set -- $q
	lab_in "$1" sh -c "while :; do ndisc6 -q -1 -r 1 -w 100 -s $2 $3 eth0
	    done" >/dev/null 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
done

now()
{
	date +%s.%N
}
ifindex()
{
	lab_in gw cat /sys/class/net/eth0/ifindex
}
shown()
{
	ctl show interfaces | head -n 1
}
# answered ROLE TARGET MAC: ROLE's ARP request for TARGET gets an answer
# that arping shows from MAC.
answered()
{
	lab_arping "$1" "$2" 1 | grep -qi "$3"
}
# told ROLE TARGET MAC: ROLE's ARP request for TARGET gets a reply whose
# sender hardware address is MAC (a kernel's own resolution cannot tell:
# it asks the MAC it knew by unicast first).
told()
{
	[ "$(lab_scapy "$1" "
a = srp1(Ether(dst='ff:ff:ff:ff:ff:ff') /
    ARP(psrc='$(lab_ip4 "$1")', pdst='$2'), iface='eth0', timeout=1)
print(a[ARP].hwsrc if a else '')")" = "$3" ]
}
# since T: seconds from T to now, rounded to 0.01.
since()
{
	echo "$1 $(now)" | awk '{ printf "%.2f\n", $2 - $1 }'
}
lab_check "before: srv is told c1's MAC" told srv "$c1ip" "$(lab_mac c1)"
lab_check "before: c1 is redirected to the gateway" answered c1 "$c2ip" "$gwmac"
idx0=$(ifindex)
lab_check "parpctl: eth0 up at index $idx0" \
    sh -c "'$PARPCTL' -s '$sock' show interfaces | grep -q 'eth0: up, index $idx0,'"

lab_say "a) eth0 deleted; created again 1 s later"
ta=$(now)
lab_in gw ip link del eth0
sleep 1
lab_check "parpd runs on without eth0" lab_parpd_alive
lab_check "parpctl: eth0 down" sh -c "'$PARPCTL' -s '$sock' show interfaces |
    grep -q '^eth0: down'"
lab_check "no $LAB_ROUTE_OWN route left without eth0" \
    test -z "$(lab_routes gw)"
lab_check_not "nobody tells srv c1's MAC meanwhile" told srv "$c1ip" "$(lab_mac c1)"
ta=$(now)
lab_plug gw
idx1=$(ifindex)
lab_check "the new eth0 has another index ($idx0, now $idx1)" \
    test "$idx0" != "$idx1"
# routes_back: parpd's routes of c1 and c2, both families, on eth0.
routes_back()
{
	local _r _a
	_r=$(lab_routes gw)
	for _a in "$c1ip" "$c2ip" "$c1ip6" "$c2ip6"; do
		echo "$_r" | grep -Eq "^$_a(/32|/128)? dev eth0 " || return 1
	done
}
lab_check "the routes of c1 and c2 (IPv4, IPv6) are back on eth0" \
    lab_wait 10 routes_back
rta=$(since "$ta")
lab_say "routes back $rta s after eth0 returned (polled every 0.2 s)"
lab_check "routes back within $bound s" \
    awk -v t="$rta" -v b="$bound" 'BEGIN { exit !(t < b) }'
lab_check "c1 is redirected to the gateway again" \
    lab_wait 10 answered c1 "$c2ip" "$gwmac"
lab_check "srv is told c1's MAC again" \
    lab_wait 10 told srv "$c1ip" "$(lab_mac c1)"
lab_check_eq "every $LAB_ROUTE_OWN route is on eth0" "" \
    "$(lab_routes gw | grep -v ' dev eth0 ')"
lab_check "parpctl: eth0 up at the new index $idx1" \
    sh -c "'$PARPCTL' -s '$sock' show interfaces | grep -q 'eth0: up, index $idx1,'"
lab_check "parpctl: eth0 lost once, its capture opened twice" \
    sh -c "'$PARPCTL' -s '$sock' show interfaces | grep -q 'opened 2, lost 1'"

lab_say "b) eth0's addresses changed: 198.51.100.1 -> .5, $oldll -> $newll"
tb=$(now)
# (the primary address first: its removal takes the secondaries with it)
lab_in gw ip addr del 198.51.100.1/24 dev eth0
lab_in gw ip addr add 198.51.100.5/24 dev eth0
lab_in gw ip -6 addr del "$oldll/64" dev eth0
lab_in gw ip -6 addr add "$newll/64" dev eth0 nodad
new_addrs()
{
	shown | grep ' 198.51.100.5/24 ' | grep -q " $newll/64"
}
lab_check "parpctl: eth0 has 198.51.100.5 and $newll" lab_wait 10 new_addrs
lab_check "parpctl: eth0 has neither 198.51.100.1 nor $oldll" \
    sh -c "'$PARPCTL' -s '$sock' show interfaces | head -n 1 |
    grep -q -e ' 198.51.100.1/' -e ' $oldll/'; test \$? = 1"
lab_say "    $(shown)"
# c2 does not ask: parpd's refresh queries keep its entry (12 s).
sleep 13
lab_check "c2 still cached, by its answers to queries from the new addresses" \
    lab_learned "$c2ip" "$(lab_mac c2)"
lab_in gw ip addr add 198.51.100.1/24 dev eth0
lab_check "198.51.100.1 back (second address): c1 is redirected again" \
    lab_wait 10 answered c1 "$c2ip" "$gwmac"

lab_say "c) eth0's MAC changed: $gwmac -> $newmac"
# The switch's first-hop filter passes the gateway's broadcasts by MAC.
lab_in sw nft insert rule bridge lab forward oifname '"c*"' ether saddr \
    "$newmac" accept
tc=$(now)
lab_in gw ip link set dev eth0 address "$newmac"
lab_check "srv's ARP request for c1 is answered from $newmac" \
    lab_wait 10 answered srv "$c1ip" "$newmac"
lab_check "c1 is redirected to $newmac" \
    lab_wait 10 answered c1 "$c2ip" "$newmac"
lab_check "parpctl: eth0 has mac $newmac" \
    sh -c "'$PARPCTL' -s '$sock' show interfaces | grep -q 'mac $newmac,'"
sleep 1
lab_check "parpd is still running" lab_parpd_alive
for n in srv c1 c2; do
	lab_cap_stop "$n"
done

# ---- on the wire -----------------------------------------------------------
# frames NAME FILTER FIELDS...: epoch time and FIELDS per frame.
frames()
{
	local _n _f
	_n=$1
	_f=$2
	shift 2
	lab_tshark "$_n" "$_f" frame.time_epoch "$@"
}
# first_after NAME T FILTER: seconds from T to the first matching frame
# after T (empty if none); last_after: to the last one.
first_after()
{
	frames "$1" "$3" | awk -v t="$2" '$1 > t { printf "%.3f\n", $1 - t;
	    exit }'
}
last_after()
{
	frames "$1" "$3" | awk -v t="$2" '$1 > t { d = $1 - t }
	    END { if (d != "") printf "%.3f\n", d }'
}
# within D B: D is not empty and below B.
within()
{
	[ -n "$1" ] && awk -v d="$1" -v b="$2" 'BEGIN { exit !(d < b) }'
}
# before D B: D is empty (no such frame) or below B.
before()
{
	[ -z "$1" ] || within "$1" "$2"
}

tellv4="arp.opcode == 2 && arp.src.proto_ipv4 == $c1ip && arp.src.hw_mac == $(lab_mac c1)"
tellv6="icmpv6.type == 136 && icmpv6.nd.na.target_address == $c1ip6 && icmpv6.opt.linkaddr == $(lab_mac c1)"
redir4="arp.opcode == 2 && arp.src.proto_ipv4 == $c2ip"
redir6="icmpv6.type == 136 && icmpv6.nd.na.target_address == $c2ip6"
# each_answer FN: FN CAPTURE KIND FILTER for each kind of answer asked
# for by the load.
each_answer()
{
	local _fn _x _n _w
	_fn=$1
	for _x in "srv ARP-tell $tellv4" "srv ND-tell $tellv6" \
	    "c1 ARP-redirect $redir4" "c1 ND-redirect $redir6"; do
		# shellcheck disable=SC2086
		set -- $_x
		_n=$1
		_w=$2
		shift 2
		"$_fn" "$_n" "$_w" "$*"
	done
}
recovered()
{
	d=$(first_after "$1" "$ta" "$3 && eth.src == $gwmac")
	lab_say "    $2: first answer ${d:-never} s"
	lab_check "$2 answered within $bound s of eth0's return" \
	    within "$d" "$bound"
}
lab_say "a) recovery on the wire, from eth0's return:"
each_answer recovered

lab_say "b) sources after the change of addresses:"
old4="arp && eth.src == $gwmac && arp.src.proto_ipv4 == 198.51.100.1"
old6="ipv6.src == $oldll"
for n in srv c1 c2; do
	d=$(last_after "$n" "$tb" "$old4")
	lab_check "$n: nothing from 198.51.100.1 later than $bound s after its removal (${d:-none})" \
	    before "$d" "$bound"
	d=$(last_after "$n" "$tb" "$old6")
	lab_check "$n: nothing from $oldll later than $bound s after its removal (${d:-none})" \
	    before "$d" "$bound"
done
new4="arp.opcode == 1 && eth.src == $gwmac && arp.src.proto_ipv4 == 198.51.100.5 && eth.dst == $(lab_mac c2)"
new6="icmpv6.type == 135 && ipv6.src == $newll && eth.dst == $(lab_mac c2)"
d=$(first_after c2 "$tb" "$new4")
lab_say "    first refresh ARP query to c2 from 198.51.100.5: ${d:-never} s"
lab_check "refresh ARP queries to c2 come from 198.51.100.5" test -n "$d"
d=$(first_after c2 "$tb" "$new6")
lab_say "    first refresh NS to c2 from $newll: ${d:-never} s"
lab_check "refresh NS to c2 come from $newll" test -n "$d"
d=$(first_after srv "$tb" "$tellv6 && ipv6.src == $newll")
lab_say "    first NA to srv from $newll: ${d:-never} s"
lab_check "NAs to srv come from $newll within $bound s" within "$d" "$bound"
lab_check_eq "no redirect to another MAC while 198.51.100.1 was gone" "" \
    "$(frames c1 "$redir4 && arp.src.hw_mac != $gwmac && arp.src.hw_mac != $newmac")"

remacked()
{
	d=$(first_after "$1" "$tc" "$3 && eth.src == $newmac")
	o=$(last_after "$1" "$tc" "$3 && eth.src == $gwmac")
	lab_say "    $2: first from $newmac ${d:-never} s, last from $gwmac ${o:-none} s"
	lab_check "$2 from $newmac within $bound s" within "$d" "$bound"
	lab_check "$2 no longer from $gwmac $bound s after" before "$o" "$bound"
}
lab_say "c) the new MAC on the wire:"
each_answer remacked
d=$(first_after c1 "$tc" "$redir4 && arp.src.hw_mac == $newmac")
lab_check "c1's redirect answers name $newmac within $bound s (${d:-never})" \
    within "$d" "$bound"
d=$(first_after c1 "$tc" "$redir6 && icmpv6.opt.linkaddr == $newmac")
lab_check "c1's redirect NAs name $newmac within $bound s (${d:-never})" \
    within "$d" "$bound"
d=$(last_after c1 "$tc" "($redir4 && arp.src.hw_mac == $gwmac) || ($redir6 && icmpv6.opt.linkaddr == $gwmac)")
lab_check "no redirect names $gwmac $bound s after (${d:-none})" \
    before "$d" "$bound"

lab_say "d) counters and the end"
ctl show interfaces | sed 's/^/    /'
dump=$(lab_dump) || exit 99
lab_check "dump: eth0 up, lost 1, opened 2" test "$(lab_dump_counter "$dump" iface.eth0.up) \
$(lab_dump_counter "$dump" iface.eth0.lost) $(lab_dump_counter "$dump" iface.eth0.opened)" = "1 1 2"
lab_check "dump: frames received and sent on eth0" test \
    "$(lab_dump_counter "$dump" iface.eth0.rx_frames)" -gt 0 -a \
    "$(lab_dump_counter "$dump" iface.eth0.tx_frames)" -gt 0
lab_check_eq "dump: no route errors" 0 "$(lab_dump_counter "$dump" route_errors)"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_done
