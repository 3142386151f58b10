#!/bin/sh
# Spoofing storm (issue 11): an attacker (x) claims, at the generator's
# ceiling, the addresses of known hosts and of static pairs with its own
# MAC: unsolicited ARP replies and solicited NAs nobody asked for (to
# parpd's MAC), gratuitous ARP requests, unsolicited NAs with O=1, and,
# as "another proxy", an answer with its own MAC to every request it
# sees.  Meanwhile the server asks parpd for every host and checks the
# MAC in each answer from parpd's MAC (parpd-gen -E): none may be wrong.
# The hosts (c1, parpd-gen -H) are alive: they answer parpd's refresh
# queries, which come every 3 s (cache timeout 6, refresh 3*1), so every
# attack meets open queries (an answer counts for the interface timeout,
# 1 s).  Then a legitimate MAC change (c2 with a new NIC, announcing
# itself; its old MAC silent) is followed, as specified (parpd(8),
# Learning): a claim by another MAC is held while parpd asks the known
# MAC, and wins only once that owner has been silent for the timeout.
# Reply floods are at the ceiling of one parpd-gen process (about
# 100k-150k frames/s here); the counters printed at the end say what
# parpd refused (poison_refused: static pairs) and held (claims_held).
#
# Short by default (SPOOF_SECS=3 per attack); a longer run:
#   SPOOF_SECS=30 flock /work/netns.lock sh tests/integration/t_spoof_storm.sh
. "$(dirname "$0")/lib.sh"
secs=${SPOOF_SECS:-3}
# A parpd built with the address sanitizer (CI's) falls behind at the
# generator's ceiling (here: 97% answered under 127k unsolicited replies
# a second; at 50000/s, 98% under solicited NAs, whose claims parpd
# holds while it asks the known MAC), so for one the attacker sends
# 20000/s, as in t_flood_limit; an -O2 build meets the ceiling
# (SPOOF_RATE sets it).
if ldd "$PARPD" 2>/dev/null | grep -q libasan; then
	attack_rate=${SPOOF_RATE:-20000}
else
	attack_rate=${SPOOF_RATE:-2000000}
fi
lab_init spoof_storm $((60 + 12 * secs))
: "${PARPD_GEN:=${top_builddir:-$(dirname "$PARPD")}/tests/bench/wire/parpd-gen}"
[ -x "$PARPD_GEN" ] || lab_skip "no load generator $PARPD_GEN"
[ -n "${PARPCTL:-}" ] && [ -x "$PARPCTL" ] || lab_skip "PARPCTL is not set"
lab_topology c1 c2 || exit 99
lab_node x isolated || exit 99

# 64 hosts in c1: 198.51.100.100 + k and 2001:db8:1::2:0 + k at
# 02:01:00:00:00:k (parpd-gen's -L MACs); k = 48..63 are static pairs.
n=64
base4=198.51.100.100
base6=2001:db8:1::2:0
statics=$(awk -v n=$n 'BEGIN { for (k = 48; k < n; k++)
    printf "\tstatic 198.51.100.%d 02:01:00:00:00:%02x\n" \
    "\tstatic 2001:db8:1::2:%x 02:01:00:00:00:%02x\n", 100 + k, k, k, k }')
conf=$(lab_conf <<EOF
cache
	timeout 6
	refresh 3*1
end
interface eth0
$statics
	rule 0.0.0.0/0 198.51.100.0/24 tell
	rule ::/0 2001:db8:1::/64 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
# The hosts: speak once (learned by tell) and answer parpd's unicast
# queries, for the whole test.
hosts_secs=$((40 + 12 * secs))
lab_in c1 "$PARPD_GEN" -i eth0 -H -n $n -t $base4 -L "$(lab_ip4 gw)" \
    -d $hosts_secs >"$LAB_DIR/hosts4.out" 2>&1 &
LAB_PIDS="$LAB_PIDS $!"
lab_in c1 "$PARPD_GEN" -i eth0 -6 -H -n $n -t $base6 -L "$(lab_ip6 gw)" \
    -d $hosts_secs >"$LAB_DIR/hosts6.out" 2>&1 &
LAB_PIDS="$LAB_PIDS $!"
known() {
	[ "$(lab_ctl show neighbors | awk '$2 ~ /^02:01:/' | wc -l)" -eq $((2 * n)) ]
}
lab_check "all $((2 * n)) hosts known (48 learned, 16 static, per family)" \
    lab_wait 10 known

# ask FAMILY SECONDS: the server asks for every host at 2000/s; answers
# counted from parpd's MAC only, each checked for its host's MAC.
ask() {
	if [ "$1" = 6 ]; then
		lab_in srv "$PARPD_GEN" -i eth0 -6 -s "$(lab_ip6 srv)" \
		    -t $base6 -n $n -r 2000 -d "$2" -E "$gw"
	else
		lab_in srv "$PARPD_GEN" -i eth0 -s "$(lab_ip4 srv)" \
		    -t $base4 -n $n -r 2000 -d "$2" -E "$gw"
	fi | tr '\n' ' '
}
# verdict NAME ASKED: the requester's figures; every request answered,
# none wrong.
verdict() {
	lab_say "$1: requester: $2"
	lab_check_eq "$1: no answer from parpd carries a wrong MAC" 0 \
	    "$(lab_field "$2" wrong)"
	# Correctness is the point; under the attacker's full rate a
	# sanitizer build on a shared machine may miss a few requests.
	lab_check "$1: parpd answered 99% of the requests or more" \
	    lab_gen_answered "$2" 99
}
verdict "before the storm (IPv4)" "$(ask 4 1)"
verdict "before the storm (IPv6)" "$(ask 6 1)"

# attack FAMILY GEN-ARGS...: the attacker x at attack_rate for secs
# seconds, the server asking throughout; sets asked (the server's
# figures) and stolen (lab_steal's ms).
attack() {
	local _fam _s0 _pid
	_fam=$1
	shift
	_s0=$(lab_steal)
	lab_in x "$PARPD_GEN" -i eth0 -r "$attack_rate" -d "$secs" -n $n -w 0 \
	    "$@" >"$LAB_DIR/attack.out" 2>&1 &
	_pid=$!
	LAB_PIDS="$LAB_PIDS $_pid"
	asked=$(ask "$_fam" "$secs")
	wait $_pid
	stolen=$(($(lab_steal) - _s0))
	lab_say "attacker: $(tr '\n' ' ' <"$LAB_DIR/attack.out")"
	lab_say "the hypervisor's steal meanwhile: $stolen ms"
}
# storm NAME FAMILY GEN-ARGS...: an attack and its verdict; measured once
# more when it fell short with much steal (lib.sh, lab_steal).
storm() {
	local _name
	_name=$1
	shift
	lab_say "$_name:"
	attack "$@"
	if ! lab_gen_answered "$asked" 99 &&
	    [ "$stolen" -gt "${LAB_STEAL_MAX:-50}" ]; then
		lab_say "$_name: requester: $asked"
		lab_say "measured with $stolen ms of steal: the attack once more"
		attack "$@"
	fi
	verdict "$_name" "$asked"
}
x4=$(lab_ip4 x)
x6=$(lab_ip6 x)
storm "unsolicited ARP replies to parpd" 4 -A reply -t $base4 -s "$x4" \
    -D "$gw"
storm "gratuitous ARP requests" 4 -A garp -t $base4
storm "solicited NAs nobody asked for, to parpd" 6 -6 -A reply -t $base6 \
    -s "$x6" -D "$gw"
storm "unsolicited NAs with O=1" 6 -6 -A na -t $base6
storm "another proxy (IPv4)" 4 -A proxy
storm "another proxy (IPv6)" 6 -A proxy

lab_say "parpd's counters after the storm:"
lab_ctl show counters | grep -E '^(rx_frames|answered|poison_refused|claims_held|unsolicited|announcements|queries_sent|refreshed|expired|entries|learned) ' |
    sed 's/^/    /'
lab_check_eq "no entry carries the attacker's MAC" 0 \
    "$(lab_ctl show neighbors | grep -ci "$(lab_mac x)")"
lab_check "every host still at its own MAC" known
lab_check "poisoning attempts on static pairs counted" \
    test "$(lab_ctl_counter poison_refused)" -gt 0
lab_check "claims on known hosts held back (claims_held)" \
    test "$(lab_ctl_counter claims_held)" -gt 0

# A legitimate change: c2 gets a new NIC (new MAC, the old one gone) and
# announces itself twice, 2 s apart (RFC 5227 2.3): the first claim is
# held and the old MAC asked, which stays silent; the second is learned.
lab_say "c2 changes its MAC and announces itself"
c2ip=$(lab_ip4 c2)
new=02:00:00:00:00:77
lab_learn c2
lab_check "c2 learned at its first MAC" \
    lab_wait 5 lab_learned "$c2ip" "$(lab_mac c2)"
lab_in c2 ip link set eth0 down
lab_in c2 ip link set eth0 address $new
lab_in c2 ip link set eth0 up
lab_arping_announce c2 "$c2ip" request >/dev/null
sleep 2
lab_arping_announce c2 "$c2ip" request >/dev/null
lab_check "parpd follows the legitimate change: c2 at $new" \
    lab_wait 5 lab_learned "$c2ip" $new
lab_check_eq "the server is told c2's new MAC" $new \
    "$(lab_resolve srv "$c2ip")"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
