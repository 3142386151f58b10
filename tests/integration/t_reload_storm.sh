#!/bin/sh
# A storm of reloads under load (issue 11): for PARPD_STORM_SECONDS
# (default 10; the issue's minute: PARPD_STORM_SECONDS=60) a good and a
# bad file alternate, reloads back to back (SIGHUP and parpctl in turn), while
# srv asks for c1 without pause.  parpd must keep answering, count the
# refused files, end with the last good file in force, and exit 0 (the
# sanitizer build fails the exit on a leak).
. "$(dirname "$0")/lib.sh"
secs=${PARPD_STORM_SECONDS:-10}
lab_init reload_storm $((secs + 90))
lab_topology c1 || exit 99
: "${PARPCTL:?PARPCTL is not set}"
sock=$LAB_DIR/parpd.sock
c1ip=$(lab_ip4 c1)

# The good file redirects 198.51.100.150 to the gateway; the bad one has
# an error on its third line.
lab_conf good.conf >/dev/null <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.16/28 tell
	rule 198.51.100.0/29 198.51.100.128/25 198.51.100.1
end
EOF
lab_conf bad.conf >/dev/null <<EOF
interface eth0
	rule 198.51.100.0/29 198.51.100.16/28 tell
	rule 198.51.100.0/29 198.51.100.300/25 198.51.100.1
end
EOF
cp "$LAB_DIR/good.conf" "$LAB_DIR/parpd.conf"
lab_parpd_start gw "$LAB_DIR/parpd.conf" || exit 99
lab_learn c1
lab_check "before: srv's request for c1 answered" lab_arping srv "$c1ip" 2

lab_say "$secs s of reloads, good and bad in turn, back to back"
(
	end=$(($(date +%s) + secs))
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		if [ $((n % 2)) -eq 0 ]; then f=bad; else f=good; fi
		cp "$LAB_DIR/$f.conf" "$LAB_DIR/parpd.conf.new"
		mv "$LAB_DIR/parpd.conf.new" "$LAB_DIR/parpd.conf"
		if [ $((n % 4)) -lt 2 ]; then
			kill -HUP "$LAB_PARPD_PID"
		else
			"$PARPCTL" -s "$sock" reload >/dev/null 2>&1
		fi
		n=$((n + 1))
	done
	# The storm ends on a bad file: the last good one stays in force.
	cp "$LAB_DIR/bad.conf" "$LAB_DIR/parpd.conf"
	kill -HUP "$LAB_PARPD_PID"
	echo "$n" >"$LAB_DIR/storm.count"
) &
storm=$!
sent=0
answered=0
while kill -0 "$storm" 2>/dev/null; do
	out=$(lab_arping srv "$c1ip" 5 0.2 2>&1)
	sent=$((sent + 5))
	answered=$((answered + $(echo "$out" | grep -ci -e "bytes from" -e "reply from")))
done
wait "$storm"
asked=$(cat "$LAB_DIR/storm.count")
echo "    $asked reloads asked in $secs s ($((asked / secs))/s); srv: $answered" \
    "of $sent requests for c1 answered during the storm"
lab_check "parpd is still running" lab_parpd_alive
lab_check "answers continued through the storm (>= 90%)" \
    test "$((answered * 10))" -ge "$((sent * 9))"
d=$(lab_dump)
ok=$(lab_dump_counter "$d" reloads)
bad=$(lab_dump_counter "$d" reload_failures)
echo "    reloads $ok, reload_failures $bad"
lab_check "good files were applied and bad ones refused, many of each" \
    test "$ok" -ge "$secs" -a "$bad" -ge "$secs"
line=$((LAB_CONF_LINES + 3))
lab_check "the last good file rules: 198.51.100.150 redirected (line $line)" \
    eval '"$PARPCTL" -s "$sock" explain eth0 \
    "$(lab_ip4 srv)" 198.51.100.150 |
    grep -q "line $line (redirect to 198.51.100.1)"'
lab_check "after: srv's request for c1 answered" lab_arping srv "$c1ip" 2
lab_check "SIGTERM: parpd exits 0 (no leak under the sanitizers)" \
    lab_parpd_stop
lab_done
