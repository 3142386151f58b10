#!/bin/sh
# `verbose` rules log what they decide, and a `tell` without a learned
# entry logs the missing entry; rules without `verbose` log nothing of
# the sort.  Such lines are rate limited: at most 20 of a kind per 10 s,
# then one "N similar messages suppressed" line.
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

lab_say "verbose tell, c2 never learned: the server asks 30 times in 3 s"
lab_check_not "arping srv -> c2 unanswered" lab_arping srv "$c2ip" 30 0.1
missing()
{
	grep -F -- "$1" "$log" |
	    grep -Ei 'miss|not known|no entry|not learned|unknown'
}
lab_check "log: a line reports the missing entry for $c2ip" \
    lab_wait 3 missing "$c2ip"
missing "$c2ip" | head -n 1 | sed 's/^/    log: /'
n=$(missing "$c2ip" | wc -l)
lab_check_eq "log: 20 of the 30 missing-entry lines (rate limit)" 20 "$n"

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

lab_say "the rate limit's summary, 10 s after the first missing-entry line"
lab_check "log: '10 similar messages suppressed' within 12 s" \
    lab_wait 12 grep -qi '10 similar messages suppressed' "$log"
grep -i suppressed "$log" | sed 's/^/    log: /'
lab_check "SIGTERM: parpd exits 0" lab_parpd_stop
lab_done
