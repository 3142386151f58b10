#!/bin/sh
# parpd as an unprivileged user (`user nobody group nogroup`, parpd.8
# PRIVILEGES): a user named in the file that does not exist refuses the
# start; the running process has nobody's four uids and nogroup's four
# gids, no other group, CAP_NET_RAW and CAP_NET_ADMIN only (permitted,
# effective and bounding), no_new_privs, a seccomp filter, / as its
# working and root directory; it answers ARP and NS, installs its routes,
# reloads by SIGHUP and by parpctl (and refuses a file it cannot read,
# keeping the one in force), answers again after its interface went
# down and up (a new capture), writes the dump and the state file in
# nobody's directory, and SIGTERM removes its routes and its pidfile,
# exit 0; a pidfile in a directory of root's is emptied instead.  And
# without a user line, the built-in default user missing: one warning,
# uid 0 with the two capabilities and the filter.
# lab_conf writes "user nobody group nogroup"; lab_init gives $LAB_DIR,
# where parpd writes everything, to nobody.
LAB_USER=nobody
LAB_USER_GROUP=nogroup
. "$(dirname "$0")/lib.sh"
getent passwd nobody >/dev/null && getent group nogroup >/dev/null ||
    lab_skip "no user nobody or no group nogroup"
lab_init privdrop 120
lab_topology c1 || exit 99
: "${PARPCTL:?PARPCTL is not set}"
uid=$(id -u nobody)
gid=$(getent group nogroup | cut -d: -f3)
sock=$LAB_DIR/parpd.sock

conf=$(lab_conf <<EOF
interface eth0
	routes
	rule 198.51.100.0/29 198.51.100.0/24 tell
	rule 2001:db8:1::/125 2001:db8:1::/64 tell
end
EOF
)

lab_say "a user named in the file that does not exist: no start"
sed 's/^user .*/user parpd-no-such-user/' "$conf" >"$LAB_DIR/nouser.conf"
rc=0
lab_in gw "$PARPD" -d -c "$LAB_DIR/nouser.conf" -p "$LAB_DIR/nouser.pid" \
    >"$LAB_DIR/nouser.out" 2>&1 || rc=$?
sed 's/^/    /' "$LAB_DIR/nouser.out"
lab_check_eq "parpd exits 1" 1 "$rc"
lab_check "it says which user, why, and where it was set" grep -qF \
    "user parpd-no-such-user: no such user (user set in $LAB_DIR/nouser.conf); not starting" \
    "$LAB_DIR/nouser.out"
lab_check_not "it touched nothing: no pidfile, no socket" \
    test -e "$LAB_DIR/nouser.pid" -o -e "$sock"

# status FIELD: the field of /proc/$pid/status, blanks squeezed.
status()
{
	awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ +/, ""); print }' \
	    "/proc/$pid/status"
}

lab_say "no user line, the built-in default user missing: uid 0, narrowed"
sed '/^user /d' "$conf" >"$LAB_DIR/default.conf"
# uid 0 without CAP_DAC_OVERRIDE writes only where root may: the lab's
# directory is root's for this run.
chown root:root "$LAB_DIR"
lab_parpd_start gw "$LAB_DIR/default.conf" "$LAB_DIR/parpd-default.log" ||
    exit 99
pid=$LAB_PARPD_PID
if lab_log_has "\(the built-in default user\); running as uid 0 with CAP_NET_RAW and CAP_NET_ADMIN only"
then
	lab_pass "one warning: the default user is missing, uid 0 it is"
	lab_check_eq "Uid 0" "0 0 0 0" "$(status Uid)"
	lab_check_eq "CapEff: CAP_NET_ADMIN and CAP_NET_RAW" \
	    0000000000003000 "$(status CapEff)"
	lab_check_eq "Seccomp: 2 (a filter)" 2 "$(status Seccomp)"
else
	lab_skip_check "the default user missing" "it exists here: $(grep \
	    'running as' "$LAB_PARPD_LOG")"
fi
lab_check "SIGTERM: exit 0" lab_parpd_stop
# Its state file (root's) must not stand in for the one nobody writes.
rm -f "$LAB_DIR/parpd.cache" "$LAB_DIR/parpd.dump"
chown nobody:nogroup "$LAB_DIR"

lab_parpd_start gw "$conf" || exit 99
pid=$LAB_PARPD_PID
lab_say "what the process may do:"
grep -E '^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' \
    "/proc/$pid/status" | sed 's/^/    /'
lab_check_eq "Uid: real, effective, saved and filesystem uid are nobody's" \
    "$uid $uid $uid $uid" "$(status Uid)"
lab_check_eq "Gid: all four are nogroup's" "$gid $gid $gid $gid" \
    "$(status Gid)"
lab_check_eq "Groups: nogroup only" "$gid" "$(status Groups)"
lab_check_eq "CapPrm: CAP_NET_ADMIN and CAP_NET_RAW" 0000000000003000 \
    "$(status CapPrm)"
lab_check_eq "CapEff: CAP_NET_ADMIN and CAP_NET_RAW" 0000000000003000 \
    "$(status CapEff)"
lab_check_eq "CapBnd: narrowed to the same two" 0000000000003000 \
    "$(status CapBnd)"
lab_check_eq "CapInh: empty" 0000000000000000 "$(status CapInh)"
lab_check_eq "CapAmb: empty" 0000000000000000 "$(status CapAmb)"
lab_check_eq "NoNewPrivs: 1" 1 "$(status NoNewPrivs)"
lab_check_eq "Seccomp: 2 (a filter)" 2 "$(status Seccomp)"
lab_check_eq "working directory /" / "$(readlink "/proc/$pid/cwd")"
lab_check_eq "root directory / (no chroot, parpd.8 says why)" / \
    "$(readlink "/proc/$pid/root")"
lab_check "it logged whom it runs as" lab_log_has \
    "running as user nobody \\(uid $uid, gid $gid\\) with CAP_NET_RAW and CAP_NET_ADMIN, seccomp filter on"
# libdnet's record of the routes is /var/run/parpd.routes (parpd -V),
# which nobody cannot replace: parpd says so, and adds no route.
if [ "$LAB_ROUTES_VIA" = libdnet ]; then
	lab_check "it warns that nobody cannot write $LAB_ROUTE_STATE" \
	    lab_log_has "route state file $LAB_ROUTE_STATE: directory [^ ]+ not writable by user nobody"
	lab_check_not "no warning of another file" lab_log_has \
	    "^parpd: warning: ([^r]|r[^o]).* not (readable|writable) by user nobody"
else
	lab_check_not "no warning of a file nobody cannot read or write" \
	    lab_log_has "not (readable|writable) by user nobody"
fi
lab_check_eq "the control socket is nobody's, group root's, mode 0660" \
    "nobody root 660" "$(stat -c '%U %G %a' "$sock")"

c1=$(lab_mac c1)
c1ip=$(lab_ip4 c1)
c1ip6=$(lab_ip6 c1)
answered()
{
	lab_in srv ip neigh flush dev eth0
	lab_check_eq "$1: the server resolves c1 (ARP) to c1's MAC" "$c1" \
	    "$(lab_resolve srv "$c1ip")"
	lab_check_eq "$1: the server resolves c1 (NS) to c1's MAC" "$c1" \
	    "$(lab_resolve srv "$c1ip6")"
}
lab_say "c1 talks to the gateway; parpd learns it and answers for it"
lab_learn c1
lab_check "dump: c1 learned (IPv4)" lab_wait 5 lab_learned "$c1ip" "$c1" eth0
lab_check "dump: c1 learned (IPv6)" lab_wait 5 lab_learned "$c1ip6" "$c1" eth0
lab_check_eq "the dump is nobody's" nobody \
    "$(stat -c %U "$LAB_DIR/parpd.dump")"
answered "as nobody"
if [ "$LAB_ROUTES_VIA" = libdnet ]; then
	lab_skip_check "routes of c1" \
	    "libdnet's state file $LAB_ROUTE_STATE is in a directory nobody cannot write"
else
	lab_check "route $c1ip dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$c1ip" eth0
	lab_check "route $c1ip6 dev eth0 $LAB_ROUTE_OWN" \
	    lab_wait 5 lab_has_route gw "$c1ip6" eth0
fi
lab_check "the state file is written within 10 s, in nobody's directory" \
    lab_wait 10 test -s "$LAB_DIR/parpd.cache"
lab_check_eq "the state file is nobody's" nobody \
    "$(stat -c %U "$LAB_DIR/parpd.cache")"
lab_check "it lists c1" grep -q "$c1ip" "$LAB_DIR/parpd.cache"

lab_say "reload by SIGHUP"
n=$(grep -c "configuration reloaded" "$LAB_PARPD_LOG")
kill -HUP "$pid"
lab_check "reloaded" lab_wait 5 sh -c \
    "test \$(grep -c 'configuration reloaded' '$LAB_PARPD_LOG') -gt $n"
lab_say "reload by parpctl"
lab_check "parpctl reload: status 0" "$PARPCTL" -s "$sock" reload
lab_say "reload of a file nobody cannot read"
chmod 0600 "$conf"
rc=0
"$PARPCTL" -s "$sock" reload >"$LAB_DIR/ctl.out" 2>&1 || rc=$?
sed 's/^/    /' "$LAB_DIR/ctl.out"
chmod 0644 "$conf"
lab_check_eq "parpctl reload fails (status 1)" 1 "$rc"
lab_check "the caller is told why, naming the file once" grep -qxF \
    "$conf: cannot open $conf: Permission denied" "$LAB_DIR/ctl.out"
lab_check "and that the configuration in force stays" grep -q \
    "keeping the configuration in force" "$LAB_DIR/ctl.out"
answered "after the refused reload"

lab_say "eth0 goes down and up: a new capture, opened as nobody"
lab_in gw ip link set eth0 down
lab_check "parpd sees eth0 down within 10 s" lab_wait 10 \
    lab_log_has "eth0: (interface went down|capture failed)"
lab_in gw ip link set eth0 up
lab_check "parpd listens on eth0 again within 10 s" lab_wait 10 sh -c \
    "test \$(grep -c 'eth0: listening' '$LAB_PARPD_LOG') -ge 2"
answered "after eth0 came back"
lab_check "still running, still nobody" test "$(status Uid)" = \
    "$uid $uid $uid $uid"

lab_say "SIGTERM"
lab_check "parpd exits 0" lab_parpd_stop
lab_check_no_routes_left gw "no $LAB_ROUTE_OWN route left"
lab_check_not "the pidfile is removed" test -e "$LAB_DIR/parpd.pid"
lab_check_not "the control socket is removed" test -e "$sock"

lab_say "a pidfile in a directory of root's: emptied at exit, not removed"
rootdir=$LAB_DIR/root
mkdir -m 0755 "$rootdir"
LAB_PARPD_LOG=$LAB_DIR/parpd-rootdir.log
# ip netns exec itself, not lab_in, so that $! becomes parpd.
ip netns exec "$(lab_ns gw)" "$PARPD" -d -c "$conf" -p "$rootdir/parpd.pid" \
    >>"$LAB_PARPD_LOG" 2>&1 &
LAB_PARPD_PID=$!
lab_parpd_ready || exit 99
lab_check "it warns at start" lab_log_has \
    "pidfile $rootdir/parpd.pid: directory $rootdir not writable by user nobody \\(Permission denied\\): it is emptied at exit, not removed"
lab_check_eq "the pidfile holds its pid" "$LAB_PARPD_PID" \
    "$(cat "$rootdir/parpd.pid")"
lab_check "SIGTERM: exit 0" lab_parpd_stop
lab_check "the pidfile is left empty: it names no process" \
    test -f "$rootdir/parpd.pid" -a ! -s "$rootdir/parpd.pid"
lab_done
