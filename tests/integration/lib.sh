# Shared functions of the namespace integration tests and the demo.
# Sourced by tests/integration/t_*.sh and tests/demo.sh; POSIX sh (dash).
#
# Every scenario builds its own little network out of network namespaces:
#
#   switch namespace "sw": bridge br0, multicast snooping off, one port
#   p-ROLE per attached node; client ports are "isolated" (split
#   horizon: clients cannot reach each other directly), the gateway's and
#   the server's ports are ordinary.  An nftables bridge rule (the access
#   network's first-hop filter) drops broadcast and multicast frames
#   towards client ports unless they come from the gateway, so a client
#   answers only what parpd or the gateway passes on.
#
#   node namespaces: one per role (gw, srv, c1, c2, ...), each with eth0
#   linked to its switch port.  parpd runs in the gateway's namespace.
#
# Only documentation addresses (198.51.100.0/24, 2001:db8:1::/64,
# 192.0.2.0/24, 203.0.113.0/24) and locally administered MACs 02:...
# Every namespace, link and process is created here and removed by the
# EXIT trap; no interface outside the test's namespaces is touched.
# `local` is not POSIX but dash, bash, busybox and FreeBSD sh have it.

LAB_PASSED=0
LAB_FAILED=0
LAB_SKIPPED=0
LAB_ROUTES_VIA=
LAB_ROUTE_OWN=
LAB_ROUTE_STATE=
LAB_NSES=
LAB_PIDS=
LAB_PARPD_PID=
LAB_DIR=
LAB_ID=
LAB_NAME=
LAB_WATCHDOG=

# ---- set up and tear down ------------------------------------------------

lab_skip()
{
	echo "SKIP: $*"
	exit 77
}

# lab_preflight: why the lab cannot run here (and false), or true.
lab_preflight()
{
	local _t
	if [ -n "${PARPD_NO_NETNS:-}" ]; then
		echo "PARPD_NO_NETNS is set"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "needs root (network namespaces)"
		return 1
	fi
	if [ -z "${PARPD:-}" ] || [ ! -x "$PARPD" ]; then
		echo "PARPD (${PARPD:-unset}) is not an executable"
		return 1
	fi
	for _t in ip bridge nft tcpdump tshark arping ping; do
		if ! command -v $_t >/dev/null 2>&1; then
			echo "$_t is not installed (tests/setup.sh installs it)"
			return 1
		fi
	done
	if ! ip netns list >/dev/null 2>&1; then
		echo "no network namespaces"
		return 1
	fi
	return 0
}

# lab_init NAME [SECONDS]: skip when the lab cannot run, make the work
# directory, install the cleanup traps and a watchdog that ends the test
# after SECONDS (default 120).
lab_init()
{
	local _why
	LAB_NAME=$1
	_why=$(lab_preflight) || lab_skip "$_why"
	lab_route_backend || exit 99
	LAB_ID=pt-$LAB_NAME-$$
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/parpd-$LAB_NAME.XXXXXX") ||
	    exit 99
	# LAB_USER: parpd runs as that user (lab_conf); everything it
	# writes is in $LAB_DIR, which becomes the user's.
	if [ -n "${LAB_USER:-}" ]; then
		chown "$LAB_USER:${LAB_USER_GROUP:-}" "$LAB_DIR" &&
		    chmod 0755 "$LAB_DIR" || exit 99
	fi
	trap lab_cleanup EXIT
	trap 'lab_interrupted INT; exit 130' INT
	trap 'lab_interrupted TERM; exit 143' TERM
	# The watchdog ends its sleep when it is itself ended, so that no
	# stray process keeps the test's output open.
	(
		trap 'kill $_sp 2>/dev/null; exit 0' TERM
		sleep "${2:-120}" >/dev/null 2>&1 &
		_sp=$!
		wait $_sp || exit 0
		echo "TIMEOUT: $LAB_NAME took over ${2:-120} s" >&2
		kill -TERM $$
	) >/dev/null &
	LAB_WATCHDOG=$!
	arping --help 2>&1 | grep -q Habets && LAB_ARPING=habets ||
	    LAB_ARPING=iputils
}

lab_interrupted()
{
	echo "interrupted ($1): cleaning up" >&2
	LAB_FAILED=$((LAB_FAILED + 1))
}

lab_cleanup()
{
	status=$?
	trap - EXIT INT TERM
	[ -n "$LAB_WATCHDOG" ] && kill "$LAB_WATCHDOG" 2>/dev/null
	if [ -n "$LAB_PARPD_PID" ] && kill -0 "$LAB_PARPD_PID" 2>/dev/null
	then
		kill -TERM "$LAB_PARPD_PID" 2>/dev/null
		lab_wait_gone "$LAB_PARPD_PID" 5 ||
		    kill -KILL "$LAB_PARPD_PID" 2>/dev/null
	fi
	for pid in $LAB_PIDS; do
		kill "$pid" 2>/dev/null
	done
	for ns in $LAB_NSES; do
		# Whatever still runs inside a namespace of ours was
		# started by this test (ping, arping, tcpdump).
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for ns in $LAB_NSES; do
		ip netns del "$ns" 2>/dev/null
	done
	lab_state_cleanup
	if [ "$status" != 0 ] && [ "$status" != 77 ] && [ -n "$LAB_DIR" ]
	then
		lab_show_logs
	fi
	if [ -n "$LAB_DIR" ] && [ -z "${LAB_KEEP:-}" ]; then
		rm -rf "$LAB_DIR"
	elif [ -n "$LAB_DIR" ]; then
		echo "kept $LAB_DIR"
	fi
	exit "$status"
}

# lab_state_cleanup (libdnet): parpd's routes went with the namespaces,
# so the state file's entries for the lab's addresses go too (a next
# parpd would clear them at start, in another lab): the routes parpd
# could not remove, those of a parpd killed.  No other entry is touched.
lab_state_cleanup()
{
	[ "$LAB_ROUTES_VIA" = libdnet ] && [ -f "$LAB_ROUTE_STATE" ] ||
	    return 0
	awk '$2 !~ /^(198\.51\.100\.|203\.0\.113\.|192\.0\.2\.|2001:db8:)/' \
	    "$LAB_ROUTE_STATE" >"$LAB_ROUTE_STATE.lab" &&
	    cat "$LAB_ROUTE_STATE.lab" >"$LAB_ROUTE_STATE"
	rm -f "$LAB_ROUTE_STATE.lab"
}

lab_show_logs()
{
	for f in "$LAB_DIR"/parpd*.log; do
		[ -f "$f" ] || continue
		echo "---- $f (last 60 lines)"
		tail -n 60 "$f"
	done
}

# lab_wait_gone PID SECONDS: true once PID has exited.
lab_wait_gone()
{
	local _n
	_n=$(($2 * 10))
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n - 1))
		[ "$_n" -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}

# lab_wait SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds;
# false if it never did within SECONDS.
lab_wait()
{
	local _end
	_end=$(( $(date +%s) + $1 ))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.2
	done
	return 0
}

# ---- results -------------------------------------------------------------

lab_say()
{
	echo "== $*"
}

lab_pass()
{
	LAB_PASSED=$((LAB_PASSED + 1))
	echo "PASS: $*"
}

lab_fail()
{
	LAB_FAILED=$((LAB_FAILED + 1))
	echo "FAIL: $*"
}

# lab_check DESCRIPTION COMMAND...: pass when COMMAND succeeds.
lab_check()
{
	local _d
	_d=$1
	shift
	if "$@"; then
		lab_pass "$_d"
	else
		lab_fail "$_d"
	fi
}

# lab_check_not DESCRIPTION COMMAND...: pass when COMMAND fails.
lab_check_not()
{
	local _d
	_d=$1
	shift
	if "$@"; then
		lab_fail "$_d"
	else
		lab_pass "$_d"
	fi
}

# lab_check_eq DESCRIPTION EXPECTED ACTUAL
lab_check_eq()
{
	if [ "$2" = "$3" ]; then
		lab_pass "$1"
	else
		lab_fail "$1 (expected '$2', got '$3')"
	fi
}

# lab_skip_check DESCRIPTION REASON: a check that cannot be made here:
# said, with the reason, and counted; the scenario goes on.
lab_skip_check()
{
	LAB_SKIPPED=$((LAB_SKIPPED + 1))
	echo "SKIP: $1: $2"
}

# lab_done: the closing line; exit status 1 when anything failed.
lab_done()
{
	if [ "$LAB_SKIPPED" -gt 0 ]; then
		echo "$LAB_PASSED passed, $LAB_FAILED failed," \
		    "$LAB_SKIPPED skipped"
	else
		echo "$LAB_PASSED passed, $LAB_FAILED failed"
	fi
	[ "$LAB_FAILED" = 0 ] && [ "$LAB_PASSED" -gt 0 ] && exit 0
	exit 1
}

# ---- addressing ------------------------------------------------------------

# Fixed plan for the roles: gateway .1, infrastructure hosts on ordinary
# ports in the first /29 (a server .2, a router .3, a DHCP server .4),
# clients .21 and up, spoofer .66; IPv6 2001:db8:1::1, ::2, ::3, ::4,
# ::1:21 and up.
lab_host_octet()
{
	case $1 in
	gw) echo 1 ;;
	srv) echo 2 ;;
	rtr) echo 3 ;;
	dhcp) echo 4 ;;
	c[1-9] | c1[0-9]) echo $((20 + ${1#c})) ;;
	x) echo 66 ;;
	*) echo "lab: unknown role $1" >&2; echo 99 ;;
	esac
}

lab_ip4()
{
	echo "198.51.100.$(lab_host_octet "$1")"
}

# IPv6: infrastructure in 2001:db8:1::/120 and clients outside it, as in
# the example configuration (conf/parpd.conf).
lab_ip6()
{
	local _o
	_o=$(lab_host_octet "$1")
	if [ "$_o" -lt 16 ]; then
		echo "2001:db8:1::$_o"
	else
		echo "2001:db8:1::1:$_o"
	fi
}

lab_mac()
{
	printf '02:00:00:00:00:%02d\n' "$(lab_host_octet "$1")"
}

# The EUI-64 link-local address the kernel gives ROLE's eth0.
lab_ll6()
{
	printf 'fe80::ff:fe00:%d\n' "$(lab_host_octet "$1")"
}

lab_ns()
{
	echo "$LAB_ID-$1"
}

# lab_in ROLE COMMAND...: run COMMAND in ROLE's namespace.
lab_in()
{
	local _ns
	_ns=$(lab_ns "$1")
	shift
	ip netns exec "$_ns" "$@"
}

# ---- topology --------------------------------------------------------------

# lab_netns ROLE: a namespace with loopback up and the sysctls every node
# gets: no ICMP redirects accepted, no duplicate address detection delay,
# no router solicitations or autoconfiguration, kernel proxy ARP off.
lab_netns()
{
	local _ns
	_ns=$(lab_ns "$1")
	ip netns add "$_ns" || return 1
	LAB_NSES="$LAB_NSES $_ns"
	ip -n "$_ns" link set lo up
	ip netns exec "$_ns" sh -c '
	    for c in all default; do
		sysctl -qw net.ipv4.conf.$c.accept_redirects=0 \
		    net.ipv4.conf.$c.proxy_arp=0 \
		    net.ipv6.conf.$c.accept_redirects=0 \
		    net.ipv6.conf.$c.accept_dad=0 \
		    net.ipv6.conf.$c.accept_ra=0 \
		    net.ipv6.conf.$c.router_solicitations=0
	    done' >/dev/null
}

# lab_switch: the switch namespace with br0 and the first-hop filter.
lab_switch()
{
	local _ns
	lab_netns sw || return 1
	_ns=$(lab_ns sw)
	ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	ip -n "$_ns" link add name br0 type bridge mcast_snooping 0 \
	    stp_state 0 || return 1
	ip -n "$_ns" link set br0 up
	# Broadcast and multicast reach client ports only from the gateway.
	ip netns exec "$_ns" nft -f - <<EOF || return 1
table bridge lab {
	chain forward {
		type filter hook forward priority 0; policy accept;
		oifname "c*" ether saddr != $(lab_mac gw) ether daddr & 01:00:00:00:00:00 == 01:00:00:00:00:00 counter drop
	}
}
EOF
}

# lab_node ROLE [isolated]: a node namespace whose eth0 (MAC and
# addresses from the plan) is plugged into br0; isolated for clients.
# Switch port names are the role names (c1, gw, ...).
lab_node()
{
	lab_netns "$1" || return 1
	lab_plug "$@"
}

# lab_plug ROLE [isolated]: ROLE's eth0, made anew (its namespace exists
# and has no eth0), plugged into br0 as lab_node does.
lab_plug()
{
	local _role _ns _sw
	_role=$1
	_ns=$(lab_ns "$_role")
	_sw=$(lab_ns sw)
	ip -n "$_sw" link add name "$_role" type veth peer name eth0 \
	    netns "$_ns" || return 1
	ip -n "$_ns" link set eth0 address "$(lab_mac "$_role")"
	ip -n "$_sw" link set "$_role" master br0
	if [ "${2:-}" = isolated ]; then
		bridge -n "$_sw" link set dev "$_role" isolated on || return 1
	fi
	ip -n "$_sw" link set "$_role" up
	ip -n "$_ns" addr add "$(lab_ip4 "$_role")/24" dev eth0
	ip -n "$_ns" addr add "$(lab_ip6 "$_role")/64" dev eth0 nodad
	ip -n "$_ns" link set eth0 up
}

# lab_gateway_sysctls ROLE: forwarding for hairpinning, no redirects sent.
lab_gateway_sysctls()
{
	lab_in "$1" sh -c '
	    sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	    for c in all default eth0; do
		[ -d /proc/sys/net/ipv4/conf/$c ] || continue
		sysctl -qw net.ipv4.conf.$c.send_redirects=0
	    done' >/dev/null
}

# lab_topology CLIENTS...: switch, gateway (gw), server (srv) and the
# named clients (c1 c2 ...) on isolated ports.
lab_topology()
{
	local _c
	lab_switch || return 1
	lab_node gw || return 1
	lab_gateway_sysctls gw
	lab_node srv || return 1
	for _c in "$@"; do
		lab_node "$_c" isolated || return 1
	done
	return 0
}

# ---- parpd -----------------------------------------------------------------

# lab_conf [NAME] < text: write a configuration (dumpfile and control
# socket in $LAB_DIR, and with LAB_USER "user $LAB_USER [group
# $LAB_USER_GROUP]", added in front: LAB_CONF_LINES lines) to
# $LAB_DIR/NAME (default parpd.conf); prints the path.
LAB_CONF_LINES=2
[ -n "${LAB_USER:-}" ] && LAB_CONF_LINES=3
lab_conf()
{
	local _f
	_f=$LAB_DIR/${1:-parpd.conf}
	{
		echo "dumpfile $LAB_DIR/parpd.dump"
		echo "control $LAB_DIR/parpd.sock"
		[ -z "${LAB_USER:-}" ] ||
		    echo "user $LAB_USER${LAB_USER_GROUP:+ group $LAB_USER_GROUP}"
		cat
	} >"$_f"
	echo "$_f"
}

# lab_parpd_start ROLE CONF [LOG]: run parpd in ROLE's namespace in the
# foreground with debug logging to LOG (default $LAB_DIR/parpd.log); wait
# until its main loop runs (it writes the dump file on SIGUSR1).
lab_parpd_start()
{
	LAB_PARPD_LOG=${3:-$LAB_DIR/parpd.log}
	ip netns exec "$(lab_ns "$1")" "$PARPD" -d -c "$2" \
	    -p "$LAB_DIR/parpd.pid" >>"$LAB_PARPD_LOG" 2>&1 &
	LAB_PARPD_PID=$!
	lab_parpd_ready
}

# lab_usr1_caught PID: PID is parpd itself (not yet the `ip netns exec'
# before its exec, whose signal handlers the exec resets) and catches
# SIGUSR1.
lab_usr1_caught()
{
	local _m
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = parpd ] || return 1
	_m=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -n "$_m" ] && [ $((0x$_m & 512)) -ne 0 ]
}

lab_parpd_ready()
{
	if ! lab_wait 10 lab_usr1_caught "$LAB_PARPD_PID"; then
		echo "parpd (pid $LAB_PARPD_PID) did not start:" >&2
		tail -n 20 "$LAB_PARPD_LOG" >&2
		return 1
	fi
	lab_dump >/dev/null || return 1
	sleep 0.3
}

# lab_dump: SIGUSR1, wait for the new dump; copy it to $LAB_DIR/dump.N and
# print that path.
LAB_DUMPS=0
lab_dump()
{
	rm -f "$LAB_DIR/parpd.dump"
	kill -USR1 "$LAB_PARPD_PID" 2>/dev/null || return 1
	lab_wait 5 test -s "$LAB_DIR/parpd.dump" || {
		echo "parpd wrote no dump file" >&2
		return 1
	}
	LAB_DUMPS=$((LAB_DUMPS + 1))
	cp "$LAB_DIR/parpd.dump" "$LAB_DIR/dump.$LAB_DUMPS"
	echo "$LAB_DIR/dump.$LAB_DUMPS"
}

# lab_dump_entry DUMP ADDRESS: the cache line of ADDRESS (empty if none).
lab_dump_entry()
{
	awk -v a="$2" '$1 == a' "$1"
}

# lab_dump_counter DUMP NAME: a counter's value (empty if absent).
lab_dump_counter()
{
	awk -v n="$2" '$1 == n && NF == 2 { print $2; exit }' "$1"
}

# lab_learned ADDRESS MAC [IFACE]: a fresh dump has ADDRESS at MAC (and on
# IFACE).
lab_learned()
{
	local _d _e
	_d=$(lab_dump) || return 1
	_e=$(lab_dump_entry "$_d" "$1")
	[ -n "$_e" ] || return 1
	echo "$_e" | grep -qiw -- "$2" || return 1
	[ -z "${3:-}" ] || echo "$_e" | grep -qw -- "$3"
}

# lab_not_cached ADDRESS: a fresh dump has no entry for ADDRESS.
lab_not_cached()
{
	local _d
	_d=$(lab_dump) || return 1
	[ -z "$(lab_dump_entry "$_d" "$1")" ]
}

# lab_ctl ARGS...: parpctl in the gateway's namespace, on lab_conf's
# control socket.
lab_ctl()
{
	lab_in gw "$PARPCTL" -s "$LAB_DIR/parpd.sock" "$@"
}

# lab_ctl_counter NAME: a counter of parpctl show counters.
lab_ctl_counter()
{
	lab_ctl show counters | awk -v n="$1" '$1 == n { print $2 }'
}

# lab_steal: the hypervisor's steal so far (/proc/stat, all CPUs), in ms.
# On a virtual machine a phase with much steal measured the host's other
# guests too (seen here: 230 ms in a 5 s flood gave a p99 of 35 ms); the
# hostile scenarios measure such a phase once more when its check fails
# with more than LAB_STEAL_MAX ms (default 50).
lab_steal()
{
	awk -v hz="$(getconf CLK_TCK)" \
	    '$1 == "cpu" { printf "%d\n", $9 * 1000 / hz }' /proc/stat
}

# lab_field LINE KEY: the value of KEY=VALUE in LINE (parpd-gen's output).
lab_field()
{
	echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# lab_gen_answered FIGURES [PERCENT]: parpd-gen's line says every request
# (or PERCENT of them) was answered: answered= plus late= (an answer that
# came after its target's next request, COUNT requests later, finds the
# slot taken) against sent= > 0.
lab_gen_answered()
{
	local _s
	_s=$(lab_field "$1" sent)
	[ "${_s:-0}" -gt 0 ] &&
	    [ $(($(lab_field "$1" answered) + $(lab_field "$1" late))) -ge \
	    $((_s * ${2:-100} / 100)) ]
}

# lab_parpd_stop [SIGNAL]: stop parpd (default TERM); its exit status.
lab_parpd_stop()
{
	local _pid _st
	_pid=$LAB_PARPD_PID
	[ -n "$_pid" ] || return 1
	kill "-${1:-TERM}" "$_pid" 2>/dev/null
	if ! lab_wait_gone "$_pid" 10; then
		echo "parpd did not exit within 10 s" >&2
		kill -KILL "$_pid" 2>/dev/null
	fi
	wait "$_pid"
	_st=$?
	LAB_PARPD_PID=
	return $_st
}

lab_parpd_alive()
{
	[ -n "$LAB_PARPD_PID" ] && kill -0 "$LAB_PARPD_PID" 2>/dev/null
}

# lab_log_has PATTERN: parpd's log matches the extended regexp PATTERN.
lab_log_has()
{
	grep -Eq -- "$1" "$LAB_PARPD_LOG"
}

# parpd's host routes.  Which ones are parpd's depends on how it installs
# them, and parpd says that itself (-V, second line; lab_route_backend):
#   rtnetlink: the routes of protocol 245 (ROUTE_PROTO_PARPD);
#   libdnet: libdnet cannot tag a route, so parpd lists the routes it
#   installed in its state file ("IFNAME ADDRESS" lines); parpd's routes
#   are the /32 and /128 host routes of protocol boot (what Linux gives
#   routes added by ioctl, libdnet's way) that the state file lists on
#   the same interface.  libdumbnet's route6_delete is broken
#   on Linux (PLATFORM-NOTES), so under libdnet parpd cannot remove IPv6
#   routes here: the checks of that removal are skipped and say so
#   (lab_check_route6_gone, lab_check_no_routes_left).

# lab_route_backend: set LAB_ROUTES_VIA (rtnetlink or libdnet),
# LAB_ROUTE_OWN (what marks parpd's routes, for the checks' words: "proto
# 245" or "libdnet") and LAB_ROUTE_STATE (libdnet's state file) from what
# $PARPD -V says; false when it does not say.
lab_route_backend()
{
	local _l
	_l=$("$PARPD" -V 2>/dev/null | sed -n 2p)
	case $_l in
	"routes: rtnetlink, protocol 245")
		LAB_ROUTES_VIA=rtnetlink
		LAB_ROUTE_OWN="proto 245"
		;;
	"routes: libdnet, state file /"*)
		LAB_ROUTES_VIA=libdnet
		LAB_ROUTE_OWN=libdnet
		LAB_ROUTE_STATE=${_l#routes: libdnet, state file }
		;;
	*)
		echo "lab: $PARPD -V does not say how it installs routes" \
		    "(second line: '$_l')" >&2
		return 1
		;;
	esac
}

# lab_ip_routes ROLE -4|-6 [PREFIX]: parpd's routes of one family (only
# PREFIX's, if given), as `ip route show' prints them.
lab_ip_routes()
{
	local _ns
	[ -n "${LAB_ROUTES_VIA:-}" ] || lab_route_backend || return 1
	_ns=$(lab_ns "$1")
	if [ "$LAB_ROUTES_VIA" = rtnetlink ]; then
		ip -n "$_ns" "$2" route show proto 245 ${3:+"$3"}
		return
	fi
	ip -n "$_ns" "$2" route show ${3:+"$3"} | awk -v sf="$LAB_ROUTE_STATE" '
	    BEGIN {
		while ((getline l < sf) > 0)
			if (split(l, f, " ") == 2 && f[1] !~ /^#/)
				listed[f[2] " " f[1]] = 1
	    }
	    # Linux gives the routes of libdnet (its route ioctls) protocol
	    # boot, which ip route does not print; any other is not of parpd.
	    / proto / { next }
	    {
		a = $1
		if (a ~ /\//) {
			if (a !~ /\/(32|128)$/)
				next
			sub(/\/.*/, "", a)
		}
		for (i = 2; i < NF; i++)
			if ($i == "dev" && ((a " " $(i + 1)) in listed)) {
				print
				next
			}
	    }'
}

# lab_routes ROLE: parpd's host routes, both families, one per line.
lab_routes()
{
	{
		lab_ip_routes "$1" -4
		lab_ip_routes "$1" -6
	} 2>/dev/null
}

# lab_has_route ROLE ADDRESS DEV: parpd's host route for ADDRESS on DEV.
lab_has_route()
{
	lab_routes "$1" | awk -v a="$2" -v d="$3" '
	    ($1 == a || $1 == a "/32" || $1 == a "/128") {
		for (i = 2; i < NF; i++)
			if ($i == "dev" && $(i + 1) == d)
				found = 1
	    }
	    END { exit !found }'
}

lab_no_route()
{
	! lab_routes "$1" | awk '{ print $1 }' | grep -qx -- "$2\(/32\|/128\)\{0,1\}"
}

# lab_route6_removable: true if parpd can remove its IPv6 routes here;
# else false, with the reason on standard output.
lab_route6_removable()
{
	[ -n "${LAB_ROUTES_VIA:-}" ] || lab_route_backend || return 1
	if [ "$LAB_ROUTES_VIA" = libdnet ] && [ "$(uname -s)" = Linux ]; then
		echo "libdumbnet's route6_delete cannot delete routes on Linux"
		return 1
	fi
	return 0
}

# lab_check_route6_gone DESCRIPTION COMMAND...: lab_check of a removal of
# an IPv6 route; skipped, with the reason, where parpd cannot remove one.
lab_check_route6_gone()
{
	local _why
	if _why=$(lab_route6_removable); then
		lab_check "$@"
	else
		lab_skip_check "$1" "$_why"
	fi
}

# lab_check_no_routes_left ROLE DESCRIPTION: no route of parpd's is left
# (after it exited).  Where it cannot remove IPv6 routes, the IPv4 half
# is checked and the IPv6 half skipped, with the reason.
lab_check_no_routes_left()
{
	local _why
	if _why=$(lab_route6_removable); then
		lab_check_eq "$2" "" "$(lab_routes "$1")"
	else
		lab_check_eq "$2 (IPv4)" "" "$(lab_ip_routes "$1" -4)"
		lab_skip_check "$2 (IPv6)" "$_why"
		lab_check_eq "IPv6 routes parpd could not remove are still in its state file" \
		    "" "$(lab_unrecorded6 "$1")"
	fi
}

# lab_unrecorded6 ROLE (libdnet): IPv6 host routes that look like
# libdnet's (route6_add: metric 1, protocol boot) but that the state file
# does not list: parpd's routes it lost track of.
lab_unrecorded6()
{
	local _own
	_own=$(lab_ip_routes "$1" -6)
	ip -n "$(lab_ns "$1")" -6 route show | awk '
	    / proto / || !/ metric 1 / { next }
	    $1 !~ /\// || $1 ~ /\/128$/' | grep -vxF -- "$_own"
}

# ---- captures --------------------------------------------------------------

# lab_cap_start NAME ROLE [IFACE]: tcpdump of ARP and ICMPv6 on ROLE's
# IFACE (default eth0) into $LAB_DIR/NAME.pcap.
lab_cap_start()
{
	local _f
	_f=$LAB_DIR/$1
	lab_in "$2" tcpdump -Z root -U -n -i "${3:-eth0}" -w "$_f.pcap" \
	    'arp or icmp6' >"$_f.out" 2>&1 &
	eval "LAB_CAP_$1=$!"
	LAB_PIDS="$LAB_PIDS $!"
	lab_wait 5 grep -q 'listening on' "$_f.out" || {
		echo "tcpdump did not start:" >&2
		cat "$_f.out" >&2
		return 1
	}
}

# lab_cap_stop NAME: stop the capture and decode it into $LAB_DIR/NAME.arp,
# NAME.na and NAME.ns (see lab_cap_arp, lab_cap_na, lab_cap_ns).
lab_cap_stop()
{
	local _pid
	eval "_pid=\$LAB_CAP_$1"
	sleep 0.3
	kill -INT "$_pid" 2>/dev/null
	lab_wait_gone "$_pid" 5 || kill -KILL "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	lab_cap_arp "$1" >"$LAB_DIR/$1.arp"
	lab_cap_na "$1" >"$LAB_DIR/$1.na"
	lab_cap_ns "$1" >"$LAB_DIR/$1.ns"
	return 0
}

# lab_count FILE AWK-CONDITION: how many lines of FILE match.
lab_count()
{
	awk "$2 { n++ } END { print n + 0 }" "$1"
}

# lab_show FILE AWK-CONDITION: print the matching lines, indented.
lab_show()
{
	awk "$2 { print \"    \" \$0 }" "$1"
}

# lab_tshark NAME FILTER FIELDS...: one line per frame, fields separated
# by one space, "-" for an absent field.
lab_tshark()
{
	local _f _filter _e _x
	_f=$LAB_DIR/$1.pcap
	_filter=$2
	shift 2
	_e=
	for _x in "$@"; do
		_e="$_e -e $_x"
	done
	# shellcheck disable=SC2086
	tshark -r "$_f" -Y "$_filter" -T fields -E occurrence=f \
	    -E separator=/t $_e 2>/dev/null |
	    awk -F '\t' '{ s = ""; for (i = 1; i <= NF; i++) {
		v = $i == "" ? "-" : $i; s = s (i > 1 ? " " : "") v }
		print s }'
}

# lab_cap_arp NAME: "time ethsrc ethdst op sha spa tha tpa" per ARP frame.
lab_cap_arp()
{
	lab_tshark "$1" arp frame.time_relative eth.src eth.dst arp.opcode \
	    arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac \
	    arp.dst.proto_ipv4
}

# lab_cap_na NAME: "time ethsrc ethdst ip6src ip6dst hlim target R S O
# tlla" per Neighbor Advertisement.
lab_cap_na()
{
	lab_tshark "$1" 'icmpv6.type == 136' frame.time_relative eth.src \
	    eth.dst ipv6.src ipv6.dst ipv6.hlim icmpv6.nd.na.target_address \
	    icmpv6.nd.na.flag.r icmpv6.nd.na.flag.s icmpv6.nd.na.flag.o \
	    icmpv6.opt.linkaddr
}

# lab_cap_ns NAME: "time ethsrc ethdst ip6src ip6dst target slla" per
# Neighbor Solicitation.
lab_cap_ns()
{
	lab_tshark "$1" 'icmpv6.type == 135' frame.time_relative eth.src \
	    eth.dst ipv6.src ipv6.dst icmpv6.nd.ns.target_address \
	    icmpv6.opt.linkaddr
}

# ---- clients ---------------------------------------------------------------

# lab_ping ROLE ADDRESS [COUNT [PING-OPTIONS...]]: true when every echo
# got its reply.
lab_ping()
{
	local _r _a _c
	_r=$1
	_a=$2
	_c=${3:-3}
	shift 2
	[ $# -gt 0 ] && shift
	lab_in "$_r" ping -n -q -c "$_c" -i 0.2 -W 1 -w 6 "$@" "$_a"
}

# ARP requests from ROLE's eth0, for both arping flavours (iputils and
# Thomas Habets' arping, whichever tests/setup.sh installed).

# lab_arping ROLE TARGET COUNT [INTERVAL]: broadcast requests INTERVAL
# seconds apart (default 1) from ROLE's address; prints arping's output;
# true if something answered.
lab_arping()
{
	if [ "$LAB_ARPING" = habets ]; then
		lab_in "$1" timeout $(($3 + 3)) arping -i eth0 -c "$3" \
		    -W "${4:-1}" -w $(($3 + 1)) "$2"
	else
		lab_in "$1" timeout $(($3 + 3)) arping -b -I eth0 -c "$3" \
		    -i "${4:-1}" "$2"
	fi
}

# lab_arping_probe ROLE TARGET: one RFC 5227 probe (sender 0.0.0.0).
lab_arping_probe()
{
	if [ "$LAB_ARPING" = habets ]; then
		lab_in "$1" timeout 5 arping -0 -i eth0 -c 1 -w 2 "$2"
	else
		lab_in "$1" timeout 5 arping -D -I eth0 -c 1 -w 2 "$2"
	fi
}

# lab_arping_announce ROLE ADDRESS request|reply: one gratuitous ARP
# (sender and target address ADDRESS).
lab_arping_announce()
{
	if [ "$LAB_ARPING" = habets ]; then
		if [ "$3" = reply ]; then
			lab_in "$1" timeout 5 arping -U -P -i eth0 -S "$2" \
			    -c 1 -w 1 "$2"
		else
			lab_in "$1" timeout 5 arping -U -i eth0 -S "$2" \
			    -c 1 -w 1 "$2"
		fi
	else
		if [ "$3" = reply ]; then
			lab_in "$1" timeout 5 arping -A -I eth0 -s "$2" \
			    -c 1 "$2"
		else
			lab_in "$1" timeout 5 arping -U -I eth0 -s "$2" \
			    -c 1 "$2"
		fi
	fi
	return 0
}

# lab_scapy ROLE PYTHON: run a scapy snippet in ROLE's namespace.
lab_scapy()
{
	lab_in "$1" /usr/bin/python3 -c "
import logging
logging.getLogger('scapy.runtime').setLevel(logging.ERROR)
from scapy.all import *
conf.verb = 0
$2"
}

# lab_learn ROLE [IFACE]: ROLE resolves the gateway afresh (one ping in
# each family), so that parpd sees its ARP request and its Neighbor
# Solicitation.
lab_learn()
{
	lab_in "$1" ip neigh flush dev "${2:-eth0}" 2>/dev/null
	lab_in "$1" ping -n -q -c 1 -W 2 "$(lab_ip4 gw)" >/dev/null
	lab_in "$1" ping -6 -n -q -c 1 -W 2 "$(lab_ip6 gw)" >/dev/null
	return 0
}

# lab_neigh ROLE ADDRESS: the MAC in ROLE's neighbour table for ADDRESS.
lab_neigh()
{
	lab_in "$1" ip neigh show "$2" dev eth0 |
	    awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

# lab_resolve ROLE ADDRESS: the MAC ROLE's kernel resolves ADDRESS to
# (its entry flushed first, one ping to make it ask), or nothing.  ndisc6
# cannot stand in: it ignores an NA whose source is a link-local address
# for a global target, which RFC 4861 4.4 allows and parpd sends.
lab_resolve()
{
	lab_in "$1" ip neigh flush to "$2" dev eth0 2>/dev/null
	lab_in "$1" ping -n -q -c 1 -W 2 "$2" >/dev/null 2>&1
	lab_wait 3 sh -c "test -n \"\$(ip -n $(lab_ns "$1") neigh show $2 \
	    dev eth0 | grep lladdr)\"" || true
	lab_neigh "$1" "$2"
}

# ---- conformance helpers (tests/conformance) -------------------------------

# lab_cap_start_vlan NAME ROLE [IFACE]: as lab_cap_start, but ARP and
# ICMPv6 frames with an 802.1Q tag are captured too.
lab_cap_start_vlan()
{
	local _f
	_f=$LAB_DIR/$1
	lab_in "$2" tcpdump -Z root -U -n -i "${3:-eth0}" -w "$_f.pcap" \
	    'arp or icmp6 or (vlan and (arp or icmp6))' >"$_f.out" 2>&1 &
	eval "LAB_CAP_$1=$!"
	LAB_PIDS="$LAB_PIDS $!"
	lab_wait 5 grep -q 'listening on' "$_f.out" || {
		echo "tcpdump did not start:" >&2
		cat "$_f.out" >&2
		return 1
	}
}

# lab_scapy_bg ROLE NAME PYTHON: run a scapy snippet in ROLE's namespace
# in the background (output in $LAB_DIR/NAME.py.out); the snippet calls
# ready() once it listens, and lab_scapy_bg returns after that.
lab_scapy_bg()
{
	local _r
	_r=$LAB_DIR/$2.ready
	rm -f "$_r"
	lab_in "$1" /usr/bin/python3 -c "
import logging
logging.getLogger('scapy.runtime').setLevel(logging.ERROR)
from scapy.all import *
conf.verb = 0
def ready():
    open('$_r', 'w').close()
$3" >"$LAB_DIR/$2.py.out" 2>&1 &
	LAB_PIDS="$LAB_PIDS $!"
	lab_wait 20 test -f "$_r" || {
		echo "scapy $2 did not start:" >&2
		cat "$LAB_DIR/$2.py.out" >&2
		return 1
	}
}

# lab_ip6_addrs ROLE [IFACE]: ROLE's IPv6 addresses on IFACE (default
# eth0), one per line.
lab_ip6_addrs()
{
	lab_in "$1" ip -6 -o addr show dev "${2:-eth0}" |
	    awk '{ sub("/.*", "", $4); print $4 }'
}
