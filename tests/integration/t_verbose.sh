#!/bin/sh
# `verbose` rules log what they decide, and a `tell` without a learned
# entry logs the missing entry; rules without `verbose` log nothing of
# the sort; a flood of such lines is rate limited.
. "$(dirname "$0")/lib.sh"
lab_init verbose 90
lab_topology c1 c2 || exit 99

conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.16/28 verbose tell
	rule 198.51.100.0/29 198.51.100.32/28 tell
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
log=$LAB_PARPD_LOG
srvip=$(lab_ip4 srv)
c1ip=$(lab_ip4 c1)
c2ip=$(lab_ip4 c2)

lab_learn c1
lab_check "dump: c1 learned" lab_wait 5 lab_learned "$c1ip" "$(lab_mac c1)"

lab_say "verbose tell, c2 never learned: the server asks for it"
lab_check_not "arping srv -> c2 unanswered" lab_arping srv "$c2ip" 2
missing()
{
	grep -F -- "$1" "$log" | grep -Ei 'miss|no entry|not learned|unknown'
}
lab_check "log: a line reports the missing entry for $c2ip" \
    lab_wait 3 missing "$c2ip"
missing "$c2ip" | head -n 2 | sed 's/^/    log: /'

lab_say "verbose tell, c1 learned: the decision is logged"
lab_check "arping srv -> c1 answered" lab_arping srv "$c1ip" 1
decided()
{
	grep -F -- "$srvip" "$log" | grep -F -- "$c1ip"
}
lab_check "log: a line names requester $srvip and target $c1ip" \
    lab_wait 3 decided
decided | head -n 1 | sed 's/^/    log: /'

lab_say "tell without verbose, 198.51.100.40 never learned"
lab_check_not "arping srv -> 198.51.100.40 unanswered" \
    lab_arping srv 198.51.100.40 2
sleep 1
lab_check_not "log: no line mentions 198.51.100.40" \
    grep -qF 198.51.100.40 "$log"

lab_say "30 more requests for c2 within 3 s: rate limited"
lab_arping srv "$c2ip" 30 0.1 >/dev/null
n=$(missing "$c2ip" | wc -l)
echo "    $n missing-entry lines for $((30 + 2)) requests"
lab_check "log: fewer missing-entry lines than requests ($n < 32)" \
    test "$n" -lt 32
# The summary may wait for the next line of its kind after the 10 s.
sleep 10
lab_arping srv "$c2ip" 1 >/dev/null
lab_check "log: a 'suppressed' line follows" \
    lab_wait 3 grep -qi suppressed "$log"
grep -i suppressed "$log" | head -n 1 | sed 's/^/    log: /'
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
