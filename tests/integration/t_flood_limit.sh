#!/bin/sh
# Bounded cache under attack (issue 11): cache limit 1000, 100 hosts in
# c1 (parpd-gen -H, 198.51.100.100 + k at 02:01:00:00:00:k) that speak
# every 4 s, so that their own traffic establishes them after the 10 s
# probation (parpd.conf(5), limit); then x floods from 200000 invented
# senders in a tell scope (parpd-gen -S -T) at FLOOD_RATE, while the
# server asks for the 100 hosts at 1000/s.  During and
# after the flood every request for an established host is answered,
# with its MAC, p99 below 10 ms, and the cache never holds more than
# the limit (sampled every 0.5 s).  parpd's resident memory is printed
# before and after.
#
# Short by default (FLOOD_SECS=5; FLOOD_RATE=2000000, the generator's
# ceiling, about 65k frames/s here).  A parpd built with the address
# sanitizer (CI's) falls behind at that rate (here: 69 of 5000 requests
# lost, p99 59 ms; an -O2 build: none lost, p99 1.8 ms), so for one the
# default FLOOD_RATE is 20000.  A longer run, with an -O2 build:
#   FLOOD_SECS=60 PARPD=... flock /work/netns.lock sh tests/integration/t_flood_limit.sh
# Without the probation policy (commit 5034bf0^, where a full cache
# evicted the oldest unconfirmed entry), the flood evicts the hosts and
# the checks of answers and of the hosts' entries fail.
. "$(dirname "$0")/lib.sh"
secs=${FLOOD_SECS:-5}
if ldd "$PARPD" 2>/dev/null | grep -q libasan; then
	rate=${FLOOD_RATE:-20000}
else
	rate=${FLOOD_RATE:-2000000}
fi
lab_init flood_limit $((60 + 3 * secs))
: "${PARPD_GEN:=${top_builddir:-$(dirname "$PARPD")}/tests/bench/wire/parpd-gen}"
[ -x "$PARPD_GEN" ] || lab_skip "no load generator $PARPD_GEN"
[ -n "${PARPCTL:-}" ] && [ -x "$PARPCTL" ] || lab_skip "PARPCTL is not set"
lab_topology c1 || exit 99
lab_node x isolated || exit 99

n=100
limit=1000
base4=198.51.100.100
conf=$(lab_conf <<EOF
cache
	limit $limit
end
interface eth0
	rule 0.0.0.0/0 198.51.100.0/24 tell
	# the invented senders: learnable, so that they press on the cache
	rule 0.0.0.0/0 198.18.0.0/15 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
rss() {
	awk '/^VmRSS:/ { print $2 " " $3 }' "/proc/$LAB_PARPD_PID/status"
}
# The hosts speak once, then every 4 s, and answer parpd's queries.
lab_in c1 "$PARPD_GEN" -i eth0 -H -n $n -t $base4 -L "$(lab_ip4 gw)" \
    -l 4 -d $((30 + 3 * secs)) >"$LAB_DIR/hosts.out" 2>&1 &
LAB_PIDS="$LAB_PIDS $!"
established() {
	[ "$(lab_ctl -j show neighbors | grep -c '"mac": "02:01:.*"established": true')" \
	    -eq $n ]
}
lab_check "the $n hosts established by their own traffic (probation 10 s)" \
    lab_wait 20 established
lab_say "parpd's resident memory before the flood: $(rss)"

# ask SECONDS: the server asks for every host at 1000/s; answers from
# parpd's MAC only, each checked for its host's MAC.
ask() {
	lab_in srv "$PARPD_GEN" -i eth0 -s "$(lab_ip4 srv)" -t $base4 -n $n \
	    -r 1000 -d "$1" -E "$gw" | tr '\n' ' '
}
# fast FIGURES: p99 < 10 ms (rp99_us: up to the generator's read of the
# answer, the stricter one).
fast() {
	test "$(lab_field "$1" answered)" -gt 0 -a \
	    "$(lab_field "$1" rp99_us)" -lt 10000
}
# good FIGURES: every request answered, fast.
good() { lab_gen_answered "$1" && fast "$1"; }
# verdict NAME FIGURES: good, and none wrong.
verdict() {
	lab_say "$1: requester: $2"
	lab_check "$1: every request for an established host answered" \
	    lab_gen_answered "$2"
	lab_check_eq "$1: no answer with a wrong MAC" 0 "$(lab_field "$2" wrong)"
	lab_check "$1: p99 below 10 ms ($(lab_field "$2" rp99_us) us)" \
	    fast "$2"
}
verdict "before the flood" "$(ask 1)"

# flood: the invented senders for secs seconds while the server asks;
# sets during (the server's figures) and stolen (lab_steal's ms).
flood() {
	local _s0 _pid
	_s0=$(lab_steal)
	lab_in x "$PARPD_GEN" -i eth0 -S -T -n 200000 -s 198.18.0.0 \
	    -t 203.0.113.1 -r "$rate" -d "$secs" -w 0 >"$LAB_DIR/flood.out" 2>&1 &
	_pid=$!
	LAB_PIDS="$LAB_PIDS $_pid"
	# The cache's size, sampled every 0.5 s while the flood lasts.
	(
		while kill -0 $_pid 2>/dev/null; do
			lab_ctl_counter entries
			sleep 0.5
		done
	) >>"$LAB_DIR/entries" &
	during=$(ask "$secs")
	wait $_pid
	stolen=$(($(lab_steal) - _s0))
	sleep 0.6
	lab_say "flood (asked for $rate/s): $(tr '\n' ' ' <"$LAB_DIR/flood.out")"
	lab_say "the hypervisor's steal during the flood: $stolen ms"
}
: >"$LAB_DIR/entries"
flood
if ! good "$during" && [ "$stolen" -gt "${LAB_STEAL_MAX:-50}" ]; then
	lab_say "during the flood: requester: $during"
	lab_say "measured with $stolen ms of steal: the flood once more"
	flood
fi
lab_say "cache size samples during the flood: $(tr '\n' ' ' <"$LAB_DIR/entries")"
verdict "during the flood" "$during"
max=$(sort -n "$LAB_DIR/entries" | tail -n 1)
lab_check "the cache never above the limit (max $max of $limit)" \
    test -n "$max" -a "${max:-0}" -le $limit
lab_check "the flood filled the cache (it pressed on the limit)" \
    test "${max:-0}" -ge $((limit * 9 / 10))
lab_check_eq "all $n hosts still in the cache at their MACs" $n \
    "$(lab_ctl show neighbors | awk '$2 ~ /^02:01:/' | wc -l)"
verdict "after the flood" "$(ask 1)"
lab_say "parpd's counters:"
lab_ctl show counters | grep -E '^(rx_frames|answered|learned|established|table_full|entries|expired|iface\.eth0\.pcap_dropped) ' |
    sed 's/^/    /'
lab_check "newcomers found the table full (table_full)" \
    test "$(lab_ctl_counter table_full)" -gt 0
lab_say "parpd's resident memory after the flood: $(rss)"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
