#!/bin/sh
# The noise benchmark (issue 9): a /22 with 50 live hosts, a scanner
# outside sending to every address of the /22 at 1000 packets/s, run
# first with the hairpin configuration of parpd.conf(5) (Learning) on a
# gateway whose LAN address is a /32, then against the classic gateway
# (a /22, connected route, no parpd).  Prints one table; see
# tests/bench/README.
# Usage (root): sh tests/bench/noise.sh [SECONDS]   (scan length, default 20)
# Env: PARPD (default build/parpd of this tree), NOISE_KEEP=1 keeps the
# work directory (captures, parpd's log).
#
# Topology, all in namespaces named nbPID-*, created and removed here:
#   sw    bridge br0 (no STP, no multicast snooping), one port per node
#   gw    gw0 on br0 (02:b0:00:00:01:01), up0 198.19.255.1/30 to the
#         scanner, ip_forward=1; parpd runs here in the first setup
#   scan  eth0 198.19.255.2/30, 198.18.0.0/15 via 198.19.255.1
#   h1..h50  eth0 198.18.((i-1)%4).(10+i)/22 (spread over the /22),
#         MAC 02:b0:00:00:00:i, default via 198.18.0.1
# Only 198.18.0.0/15 (RFC 2544) and locally administered MACs; IPv6 is
# disabled in every namespace (the benchmark is IPv4 only).
set -u
SECS=${1:-20}
RATE=1000
HOSTS=50
top=$(cd "$(dirname "$0")/../.." && pwd)
PARPD=${PARPD:-$top/build/parpd}
ID=nb$$
GWMAC=02:b0:00:00:01:01
NSES=
PIDS=
PARPD_PID=
DIR=

die()
{
	echo "noise.sh: $*" >&2
	exit 1
}

case $SECS in
''|*[!0-9]*|0) die "SECONDS must be a positive integer (got '$SECS')" ;;
esac
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$PARPD" ] || die "PARPD ($PARPD) is not an executable"
for t in ip tcpdump python3 ping awk; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed"
done

cleanup()
{
	st=$?
	trap - EXIT INT TERM
	if [ -n "$PARPD_PID" ] && kill -0 "$PARPD_PID" 2>/dev/null; then
		kill -TERM "$PARPD_PID" 2>/dev/null
		sleep 1
		kill -KILL "$PARPD_PID" 2>/dev/null
	fi
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	# Whatever still runs in a namespace of ours was started here.
	for ns in $NSES; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
	done
	for ns in $NSES; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$DIR" ] && [ -z "${NOISE_KEEP:-}" ]; then
		rm -rf "$DIR"
	elif [ -n "$DIR" ]; then
		echo "kept $DIR"
	fi
	exit "$st"
}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/parpd-noise.XXXXXX") || exit 1
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_ns()
{
	_n=$1
	shift
	ip netns exec "$ID-$_n" "$@"
}

# host_ip I: the address of live host I (1..HOSTS).
host_ip()
{
	echo "198.18.$((($1 - 1) % 4)).$((10 + $1))"
}

# mkns NAME: a namespace with loopback up, IPv6 off, no redirects
# accepted or sent, no reverse-path filter (the /32 gateway has no route
# back to a host until parpd installs it) and kernel proxy ARP off.
mkns()
{
	ip netns add "$ID-$1" || return 1
	NSES="$NSES $ID-$1"
	ip -n "$ID-$1" link set lo up
	in_ns "$1" sh -c '
	    for c in all default; do
		sysctl -qw net.ipv6.conf.$c.disable_ipv6=1 \
		    net.ipv4.conf.$c.accept_redirects=0 \
		    net.ipv4.conf.$c.send_redirects=0 \
		    net.ipv4.conf.$c.rp_filter=0 \
		    net.ipv4.conf.$c.proxy_arp=0
	    done' >/dev/null
}

# port NAME IFNAME MAC: a veth from br0's port NAME to IFNAME in NAME's
# namespace.
port()
{
	ip -n "$ID-sw" link add name "$1" type veth peer name "$2" \
	    netns "$ID-$1" || return 1
	ip -n "$ID-$1" link set "$2" address "$3"
	ip -n "$ID-sw" link set "$1" master br0 up
	ip -n "$ID-$1" link set "$2" up
}

topology()
{
	local _i _m
	mkns sw || return 1
	ip -n "$ID-sw" link add name br0 type bridge stp_state 0 \
	    mcast_snooping 0 || return 1
	ip -n "$ID-sw" link set br0 up
	mkns gw || return 1
	port gw gw0 "$GWMAC" || return 1
	in_ns gw sysctl -qw net.ipv4.ip_forward=1 >/dev/null
	mkns scan || return 1
	ip -n "$ID-gw" link add name up0 type veth peer name eth0 \
	    netns "$ID-scan" || return 1
	ip -n "$ID-gw" link set up0 address 02:b0:00:00:02:01 up
	ip -n "$ID-gw" addr add 198.19.255.1/30 dev up0
	ip -n "$ID-scan" link set eth0 address 02:b0:00:00:02:02 up
	ip -n "$ID-scan" addr add 198.19.255.2/30 dev eth0
	ip -n "$ID-scan" route add 198.18.0.0/15 via 198.19.255.1
	_i=1
	while [ $_i -le $HOSTS ]; do
		_m=$(printf '02:b0:00:00:00:%02x' $_i)
		mkns h$_i && port h$_i eth0 "$_m" || return 1
		ip -n "$ID-h$_i" addr add "$(host_ip $_i)/22" dev eth0
		ip -n "$ID-h$_i" route add default via 198.18.0.1
		_i=$((_i + 1))
	done
}

# parpd_ready: parpd itself runs (not the `ip netns exec' before its
# exec) and catches SIGUSR1, that is, its main loop is set up.
parpd_ready()
{
	local _m
	[ "$(cat "/proc/$PARPD_PID/comm" 2>/dev/null)" = parpd ] || return 1
	_m=$(awk '/^SigCgt:/ { print $2 }' "/proc/$PARPD_PID/status")
	[ -n "$_m" ] && [ $((0x$_m & 512)) -ne 0 ]
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS.
wait_for()
{
	local _end
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.2
	done
}

routes245()
{
	ip -n "$ID-gw" route show proto 245 | grep -c .
}

all_routed()
{
	[ "$(routes245)" -ge $HOSTS ]
}

# announce: every host asks for the gateway once (its ARP request is
# what parpd learns it from, hairpin scope); a host whose route is still
# missing after 5 s forgets the gateway's MAC address and asks again.
announce()
{
	local _i _pass _a _p
	for _pass in 1 2 3; do
		_p=
		_i=1
		while [ $_i -le $HOSTS ]; do
			_a=$(host_ip $_i)
			if ! ip -n "$ID-gw" route show proto 245 |
			    grep -q "^$_a "; then
				ip -n "$ID-h$_i" neigh flush dev eth0
				in_ns h$_i ping -n -q -c 1 -W 1 198.18.0.1 \
				    >/dev/null 2>&1 &
				_p="$_p $!"
			fi
			_i=$((_i + 1))
		done
		# Not a bare wait: parpd is a child of this shell too.
		for _i in $_p; do
			wait "$_i"
		done
		wait_for 5 all_routed && return 0
	done
	return 1
}

# scan NAME: capture ARP on br0 while the scanner sends one UDP datagram
# (port 9, discard) to each address of 198.18.0.0/22 in turn, RATE per
# second for SECS seconds; leaves "START END SENT ERRORS" (wall clock,
# as the capture's time stamps) in $DIR/NAME.scan.
scan()
{
	local _cap
	# ip netns exec itself, not in_ns: $! must be tcpdump's PID, not
	# that of a subshell running the function.
	ip netns exec "$ID-sw" tcpdump -Z root -n -U -i br0 \
	    -w "$DIR/$1.pcap" arp >"$DIR/$1.tcpdump" 2>&1 &
	_cap=$!
	PIDS="$PIDS $_cap"
	wait_for 5 grep -q listening "$DIR/$1.tcpdump" ||
	    die "tcpdump did not start: $(cat "$DIR/$1.tcpdump")"
	in_ns scan python3 - "$SECS" "$RATE" >"$DIR/$1.scan" <<'EOF' ||
import socket, sys, time
secs, rate = float(sys.argv[1]), float(sys.argv[2])
base = int.from_bytes(socket.inet_aton("198.18.0.0"), "big")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
data = b"parpd noise benchmark"
sent = errors = 0
t0 = time.time()
for i in range(int(secs * rate)):
    # Paced on the schedule, not on the previous send: no drift.
    d = t0 + i / rate - time.time()
    if d > 0:
        time.sleep(d)
    a = socket.inet_ntoa((base + i % 1024).to_bytes(4, "big"))
    try:
        s.sendto(data, (a, 9))
        sent += 1
    except OSError:
        errors += 1
print("%.6f %.6f %d %d" % (t0, time.time(), sent, errors))
EOF
	    die "the scanner failed"
	sleep 1
	kill "$_cap" 2>/dev/null
	wait "$_cap" 2>/dev/null
}

# count NAME: "RATE BCAST GWBCAST GWUNICAST" per second over the scan:
# packets sent, broadcast ARP frames on the LAN, ARP requests from the
# gateway's MAC address broadcast and unicast.
count()
{
	local _s
	_s=$(cat "$DIR/$1.scan")
	tcpdump -r "$DIR/$1.pcap" -n -e -tt 2>/dev/null | awk \
	    -v s="${_s%% *}" -v scan="$_s" -v gw="$GWMAC" '
	    BEGIN { split(scan, f, " "); e = f[2]; d = e - s }
	    $1 >= s && $1 <= e {
		bc = $4 == "ff:ff:ff:ff:ff:ff,"
		nb += bc
		if ($2 == gw && / Request /) {
			if (bc)
				gb++
			else
				gu++
		}
	    }
	    END {
		printf "%.1f %.2f %.2f %.2f\n", f[3] / d, nb / d, gb / d, gu / d
	    }'
}

# reachable: how many live hosts answer one ping from the scanner.
reachable()
{
	local _i _p
	_p=
	_i=1
	while [ $_i -le $HOSTS ]; do
		in_ns scan ping -n -q -c 1 -W 2 "$(host_ip $_i)" >/dev/null 2>&1 &&
		    echo ok >"$DIR/ping.$_i" &
		_p="$_p $!"
		_i=$((_i + 1))
	done
	for _i in $_p; do
		wait "$_i"
	done
	ls "$DIR" | grep -c '^ping\.'
	rm -f "$DIR"/ping.*
}

# row NAME LABEL: one line of the table.
row()
{
	set -- "$2" $(count "$1") "$3" "$4"
	printf '%-24s %8s %10s %10s %10s %9s %7s\n' \
	    "$1" "$2" "$3" "$4" "$5" "$6/$HOSTS" "$7"
}

topology || die "could not build the topology"

# ---- setup 1: /32 gateway, parpd with the hairpin configuration ----------
ip -n "$ID-gw" addr add 198.18.0.1/32 dev gw0
cat >"$DIR/parpd.conf" <<EOF
dumpfile $DIR/parpd.dump
control $DIR/parpd.sock
interface gw0
 routes
 rule 198.18.0.0/22 198.18.0.0/22 198.18.0.1
end
EOF
w=$("$PARPD" -n -c "$DIR/parpd.conf" 2>&1) || die "parpd -n: $w"
[ -z "$w" ] || die "parpd -n warns: $w"
ip netns exec "$ID-gw" "$PARPD" -d -c "$DIR/parpd.conf" \
    -p "$DIR/parpd.pid" >"$DIR/parpd.log" 2>&1 &
PARPD_PID=$!
wait_for 10 parpd_ready || die "parpd did not start: $(tail "$DIR/parpd.log")"
sleep 0.5
announce || echo "noise.sh: only $(routes245) of $HOSTS hosts routed" >&2
scan parpd
r1=$(reachable)
n1=$(routes245)
kill -TERM "$PARPD_PID"
wait_for 10 sh -c "! kill -0 $PARPD_PID" ||
    die "parpd did not exit within 10 s"
wait "$PARPD_PID"
pst=$?
PARPD_PID=

# ---- setup 2: the classic gateway, a /22 (connected route), no parpd -----
ip -n "$ID-gw" addr del 198.18.0.1/32 dev gw0
ip -n "$ID-gw" addr add 198.18.0.1/22 dev gw0
ip -n "$ID-gw" neigh flush dev gw0
scan classic
r2=$(reachable)
n2=$(routes245)

echo "noise benchmark: 198.18.0.0/22 (1024 addresses), $HOSTS live hosts," \
    "scanner outside at $RATE packets/s for $SECS s"
echo "parpd: $PARPD ($("$PARPD" -V | tr '\n' ';' | sed 's/;$//; s/;/; /'))"
echo "per second over the scan: packets sent, broadcast ARP frames on the"
echo "LAN (br0), ARP requests from the gateway (broadcast, unicast);"
echo "after it: hosts answering one ping from the scanner, proto 245 routes"
echo
printf '%-24s %8s %10s %10s %10s %9s %7s\n' setup "scan/s" "LAN bcast" \
    "gw bcast" "gw ucast" reachable "routes"
row parpd "parpd hairpin, /32" "$r1" "$n1"
row classic "classic /22, no parpd" "$r2" "$n2"
echo
echo "parpd exit status $pst"
set -- $(count parpd)
if [ "$2" = 0.00 ] && [ "$r1" = $HOSTS ] && [ "$n1" = $HOSTS ] &&
    [ "$pst" = 0 ]; then
	echo "PASS: no broadcast ARP on the LAN, every live host reachable"
	exit 0
fi
echo "FAIL: the hairpin setup did not reach its targets"
exit 1
