#!/bin/sh
# parpctl against a running parpd on a namespace lab: every command, JSON
# checked by a real parser (python3's json), the Prometheus format's
# grouping, a refused reload's errors returned to the caller, forget
# removing an entry and its route, the socket's mode, a second parpd not
# taking the socket over, and hostile clients (garbage, silence, a large
# answer never read) that cannot stop parpd from answering on the wire.
. "$(dirname "$0")/lib.sh"
lab_init parpctl 120
lab_topology c1 c2 || exit 99
: "${PARPCTL:?PARPCTL is not set}"
sock=$LAB_DIR/parpd.sock

# ctl ARGS...: parpctl on the lab's socket, output in $LAB_DIR/ctl.out,
# errors in $LAB_DIR/ctl.err; its status.
ctl()
{
	"$PARPCTL" -s "$sock" "$@" >"$LAB_DIR/ctl.out" 2>"$LAB_DIR/ctl.err"
}

# json PYTHON-EXPRESSION: ctl.out parses as one JSON document d for which
# the expression holds.
json()
{
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$LAB_DIR/ctl.out" "$1"
}

out_has()
{
	grep -Eq -- "$1" "$LAB_DIR/ctl.out"
}

err_has()
{
	grep -Eq -- "$1" "$LAB_DIR/ctl.err"
}

show()
{
	sed 's/^/    /' "$LAB_DIR/ctl.out" "$LAB_DIR/ctl.err"
}

c1=$(lab_ip4 c1)
c2=$(lab_ip4 c2)
srv=$(lab_ip4 srv)
good=$(lab_conf <<EOF
interface eth0
	routes
	static 198.51.100.99 02:00:00:00:00:99
	rule 198.51.100.0/29 198.51.100.16/28 tell
	rule 198.51.100.16/28 198.51.100.16/28 198.51.100.1
end
EOF
)
cp "$good" "$LAB_DIR/good.conf"
# The rules' lines in the file: 4 and 5 of the text, after lab_conf's.
tell_line=$((LAB_CONF_LINES + 4))
redirect_line=$((LAB_CONF_LINES + 5))
lab_parpd_start gw "$good" || exit 99
lab_learn c1
lab_learn c2
lab_check "c1 learned" lab_wait 5 lab_learned "$c1" "$(lab_mac c1)"
lab_check "arping srv -> c1 answered (tell)" lab_arping srv "$c1" 2

lab_say "the socket"
lab_check_eq "mode 0660, a socket" "srw-rw----" \
    "$(ls -l "$sock" | cut -c1-10)"
lab_check "a second parpd with the same socket refuses to start" \
    eval '! lab_in gw timeout 10 "$PARPD" -d -c "$good" \
    -p "$LAB_DIR/second.pid" >"$LAB_DIR/second.log" 2>&1'
lab_check "...saying the socket is in use" \
    grep -q "in use by another running parpd" "$LAB_DIR/second.log"
lab_check "...and the first one's socket still answers" ctl show version
lab_check "...and its routes are untouched" lab_has_route gw "$c1" eth0

lab_say "show neighbors"
ctl show neighbors
show
lab_check "c1: its MAC, eth0, learned, routed" \
    out_has "^$c1 +$(lab_mac c1) +eth0 +(learned|confirmed|probing) +[0-9]+ yes$"
lab_check "the static pair" \
    out_has "^198\.51\.100\.99 +02:00:00:00:00:99 +eth0 +static +- +yes$"
ctl show neighbors eth0 "$c2/32"
lab_check "filtered by interface and prefix: c2 only" \
    eval 'out_has "^$c2 " && ! out_has "^$c1 "'
ctl -j show neighbors
lab_check "-j: JSON with c1's address, MAC and route" json "any(
    n['address'] == '$c1' and n['mac'] == '$(lab_mac c1)' and
    n['interface'] == 'eth0' and n['routed'] is True
    for n in d['neighbors'])"

lab_say "show counters"
ctl show counters
lab_check "text: answered counted" out_has '^answered [1-9][0-9]*$'
ctl -j show counters
lab_check "-j: JSON, the same counters" \
    json "d['counters']['answered'] >= 1 and d['counters']['iface.eth0.up'] == 1"
ctl show counters -p
lab_check "-p: Prometheus text, every sample under its family's TYPE" \
    python3 -c '
import re, sys
seen, family = set(), None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    m = re.match(r"# TYPE (\S+) (counter|gauge)$", line)
    if m:
        assert m.group(1) not in seen, line
        seen.add(m.group(1)); family = m.group(1); continue
    m = re.match(r"([a-z0-9_]+)(\{iface=\"[^\"]*\"\})? [0-9]+$", line)
    assert m and m.group(1) == family, line
assert "parpd_answered_total" in seen and "parpd_iface_up" in seen
' "$LAB_DIR/ctl.out"

lab_say "show interfaces"
ctl show interfaces
show
lab_check "eth0 up, with the gateway's address" \
    out_has "^eth0: up, index [0-9]+, mac $(lab_mac gw), addresses .*$(lab_ip4 gw)/24"
ctl -j show interfaces
lab_check "-j: JSON" json "d['interfaces'][0]['name'] == 'eth0' and
    d['interfaces'][0]['up'] and d['interfaces'][0]['rx_frames'] > 0"

lab_say "show rules"
ctl show rules
show
lab_check "the tell rule (line $tell_line) decided requests" \
    out_has "^eth0 +$tell_line +[1-9][0-9]* +rule 198\\.51\\.100\\.0/29 198\\.51\\.100\\.16/28 tell\$"
ctl -j show rules eth0
lab_check "-j: JSON, the redirect rule with its router" json "
    d['rules'][1]['line'] == $redirect_line and
    d['rules'][1]['action'] == 'redirect'
    and d['rules'][1]['router'] == '198.51.100.1'"

lab_say "explain"
ctl explain eth0 "$srv" "$c1"
show
lab_check "srv -> c1: told c1's MAC by the rule at line $tell_line" \
    out_has "line $tell_line \(tell\) decides; parpd answers with $(lab_mac c1)"
ctl explain eth0 "$srv" 198.51.100.30
lab_check "srv -> an unknown host: silent, not known yet" \
    out_has "silent: .* 198\.51\.100\.30 is not known on eth0 yet"
ctl explain eth0 192.0.2.7 "$c1"
lab_check "a requester no rule covers: silent, no rule" \
    out_has "silent: no rule of eth0 covers"
ctl -j explain eth0 "$c1" "$c2"
lab_check "-j: c1 -> c2 redirected to the gateway" json "
    d['reason'] == 'answer' and d['mac'] == '$(lab_mac gw)' and
    d['rule']['line'] == $redirect_line"

lab_say "reload"
lab_conf >/dev/null <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.300/28 tell
	frobnicate
end
EOF
rc=0
ctl reload || rc=$?
show
lab_check_eq "a bad file: status 1" 1 "$rc"
lab_check "its errors come back to the caller with file:line:column" \
    eval 'err_has "parpd\.conf:$((LAB_CONF_LINES + 2)):[0-9]+: " &&
    err_has "parpd\.conf:$((LAB_CONF_LINES + 3)):[0-9]+: "'
lab_check "...and say the configuration in force stays" \
    err_has "keeping the configuration in force"
lab_check "the old rules still answer" lab_arping srv "$c1" 1
sed 's/^\(.rule 198.51.100.0\/29 198.51.100.16\/28\) tell/\1 verbose tell/' \
    "$LAB_DIR/good.conf" >"$LAB_DIR/parpd.conf"
lab_check "a good file: status 0" ctl reload
lab_check "...said so" out_has "^configuration reloaded$"
ctl -j reload
lab_check "-j reload: JSON" json "d['reloaded'] is True"

lab_say "forget"
lab_check "c1 routed before" lab_has_route gw "$c1" eth0
lab_check "forget c1: status 0" ctl forget "$c1"
show
lab_check "c1's route is removed" lab_wait 3 lab_no_route gw "$c1"
ctl show neighbors
lab_check "c1 is no longer listed" eval '! out_has "^$c1 "'
rc=0
ctl forget 198.51.100.99 || rc=$?
lab_check_eq "forget a static pair: status 1" 1 "$rc"
lab_check "...saying why" err_has "static pairs are the configuration's"

lab_say "hostile clients"
# 8 silent clients take every slot, 4 more are turned away, one sends
# garbage, one asks for the neighbours and never reads; meanwhile the
# wire is answered.  They hold on for 6 s, past the 5 s idle limit.
python3 - "$sock" >"$LAB_DIR/hostile.out" 2>&1 <<'EOF' &
import socket, sys, time
path = sys.argv[1]
held = []
for i in range(12):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect(path)
    if i == 0:
        s.sendall(b"\x00\xff garbage \x01\n")
    elif i == 1:
        s.sendall(b"text show neighbors\n")
    held.append(s)
time.sleep(6)
print("held", len(held))
EOF
hostile=$!
sleep 0.5
lab_check "while they hold on: arping srv -> c2 answered" \
    lab_arping srv "$c2" 3
wait "$hostile"
sed 's/^/    /' "$LAB_DIR/hostile.out"
lab_check "parpd is still running" lab_parpd_alive
lab_check "after them, parpctl is served again" lab_wait 3 ctl show counters
lab_check "they were counted as refused" \
    out_has '^control_refused [1-9][0-9]*$'
lab_check "arping srv -> c2 still answered" lab_arping srv "$c2" 1

lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_check "the socket is removed at exit" test ! -e "$sock"
lab_done
