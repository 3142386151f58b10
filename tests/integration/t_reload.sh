#!/bin/sh
# SIGHUP with a good file: the new rule takes effect and the learned
# entries survive.  SIGHUP with a bad file: refused, its errors logged with
# file:line:column, the old rules still answer.
. "$(dirname "$0")/lib.sh"
lab_init reload 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.16/28 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
gw=$(lab_mac gw)
lab_learn c1
lab_learn c2
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$(lab_ip4 c1)" \
    "$(lab_mac c1)"
lab_check "dump: c2 learned" lab_wait 5 lab_learned "$(lab_ip4 c2)" \
    "$(lab_mac c2)"
lab_check "first configuration: arping srv -> c1 answered (tell)" \
    lab_arping srv "$(lab_ip4 c1)" 1
lab_check_not "first configuration: arping srv -> 198.51.100.150 unanswered" \
    lab_arping srv 198.51.100.150 1

lab_say "SIGHUP with a good file that adds a redirect rule"
lab_conf >/dev/null <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.16/28 tell
	rule 198.51.100.0/29 198.51.100.128/25 198.51.100.1
end
EOF
kill -HUP "$LAB_PARPD_PID"
redirected()
{
	lab_arping srv 198.51.100.150 1 | grep -qi "$gw"
}
lab_check "the new rule answers 198.51.100.150 with the gateway's MAC" \
    lab_wait 5 redirected
lab_check "the old rule still answers c1 (tell)" \
    lab_arping srv "$(lab_ip4 c1)" 1
after=$(lab_dump)
# The clients have been silent since: entries in the dump now are the
# ones learned before the reload.
for c in c1 c2; do
	lab_check "dump: $c's entry survived the reload" \
	    eval 'lab_dump_entry "$after" "$(lab_ip4 $c)" |
	    grep -qiw -- "$(lab_mac $c)"'
done

lab_say "SIGHUP with a bad file"
lab_conf >/dev/null <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.16/28 tell
	rule 198.51.100.0/29 198.51.100.300/25 198.51.100.1
	frobnicate
end
EOF
kill -HUP "$LAB_PARPD_PID"
# Lines 3 and 4 of the text above, after what lab_conf adds in front.
bad=$((LAB_CONF_LINES + 3))
lab_check "log: an error names parpd.conf:$bad:COLUMN (the bad address)" \
    lab_wait 5 lab_log_has "parpd\\.conf:$bad:[0-9]+"
bad=$((LAB_CONF_LINES + 4))
lab_check "log: an error names parpd.conf:$bad:COLUMN (the unknown keyword)" \
    lab_wait 2 lab_log_has "parpd\\.conf:$bad:[0-9]+"
grep -E 'parpd\.conf:[0-9]+:' "$LAB_PARPD_LOG" | sed 's/^/    log: /'
lab_check "parpd is still running" lab_parpd_alive
lab_check "the previous rules stay: 198.51.100.150 still redirected" \
    redirected
lab_check "the previous rules stay: c1 still told" \
    lab_arping srv "$(lab_ip4 c1)" 1
lab_check "dump: c1 still cached" lab_learned "$(lab_ip4 c1)" "$(lab_mac c1)"
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
