#!/bin/sh
# Without -d or -f, parpd detaches (as rc.d and systemd forking units
# expect): the command returns, the pidfile names the running daemon,
# the daemon answers and dumps, and SIGTERM through the pidfile removes its
# routes and its pidfile.
. "$(dirname "$0")/lib.sh"
lab_init daemon 60
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	routes
	rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1
	# what parpd learns and routes must lie in a tell rule's DST; this one
	# is never reached (the rule above decides first)
	rule 198.51.100.0/24 198.51.100.0/24 tell
end
EOF
)
pidfile=$LAB_DIR/parpd.pid
lab_check "parpd -c CONF -p PIDFILE returns (detaches) with status 0" \
    lab_in gw timeout 10 "$PARPD" -c "$conf" -p "$pidfile"
lab_check "the pidfile appears" lab_wait 5 test -s "$pidfile"
pid=$(cat "$pidfile" 2>/dev/null)
echo "    pidfile: $pid"
lab_check "the pidfile names a running parpd" \
    eval 'kill -0 "$pid" 2>/dev/null &&
    grep -q parpd "/proc/$pid/cmdline"'
lab_check "... in the gateway's network namespace" eval \
    '[ "$(readlink "/proc/$pid/ns/net")" = \
    "$(lab_in gw readlink /proc/self/ns/net)" ]'
LAB_PARPD_PID=$pid
LAB_PARPD_LOG=/dev/null
lab_wait 5 lab_usr1_caught "$pid"
lab_check "the daemon answers: ping c1 -> c2" lab_ping c1 "$(lab_ip4 c2)"
lab_check "the daemon dumps on SIGUSR1" \
    lab_learned "$(lab_ip4 c1)" "$(lab_mac c1)" eth0
lab_check "route for c1 installed" lab_has_route gw "$(lab_ip4 c1)" eth0
kill -TERM "$(cat "$pidfile")"
lab_check "SIGTERM: the daemon exits within 5 s" lab_wait_gone "$pid" 5
LAB_PARPD_PID=
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_check "the pidfile is removed" test ! -e "$pidfile"
lab_done
