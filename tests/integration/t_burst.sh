#!/bin/sh
# A burst while parpd is not running (a reload, a full table scan, a slow
# disk): the kernel keeps what arrives in the capture's ring, and parpd
# answers all of it when it runs again.  libpcap sizes the ring's slots
# by the snapshot length, so a 64 KB snapshot left room for about 60
# frames in 4 MB; with whole standard frames (1522 bytes) and 8 MB the
# ring holds thousands.  parpd is stopped (SIGSTOP), srv sends BURST
# requests at 20000/s, parpd is continued: every one must be answered,
# none dropped by the kernel.
. "$(dirname "$0")/lib.sh"
lab_init burst 60
: "${PARPD_GEN:?PARPD_GEN is not set}"
[ -x "$PARPD_GEN" ] || lab_skip "no load generator $PARPD_GEN"
lab_topology || exit 99
burst=${PARPD_BURST:-3000}

# Requests from srv for 198.18.0.0/16 are redirected to the gateway
# itself (its own address: the hairpin configuration of parpd.conf(5)).
conf=$(lab_conf <<EOF
interface eth0
	rule 198.51.100.2/32 198.18.0.0/16 $(lab_ip4 gw)
end
EOF
)
lab_parpd_start gw "$conf" || exit 99
sock=$LAB_DIR/parpd.sock
counter() {
	lab_in gw "$PARPCTL" -s "$sock" show counters |
	    awk -v n="$1" '$1 == n { print $2 }'
}
gen() {
	lab_in srv "$PARPD_GEN" -i eth0 -s "$(lab_ip4 srv)" -t 198.18.0.0 "$@"
}
lab_check "before: 100 requests answered" eval \
    'gen -r 1000 -d 0.1 -n 100 | grep -q " answered=100 "'

kill -STOP "$LAB_PARPD_PID"
out=$(gen -r 20000 -d "$(echo "$burst" | awk '{ print $1 / 20000 }')" \
    -n "$burst" -w 0.1)
lab_say "while stopped: $out"
kill -CONT "$LAB_PARPD_PID"
sleep 1
dropped=$(counter iface.eth0.pcap_dropped)
answered=$(counter answered)
lab_say "after: answered $answered, pcap_dropped $dropped"
lab_check_eq "the kernel dropped none of the $burst frames" 0 "$dropped"
lab_check_eq "all answered (100 before, $burst after)" $((100 + burst)) \
    "$answered"
lab_check "parpd still answers" eval \
    'gen -r 1000 -d 0.1 -n 100 | grep -q " answered=100 "'
lab_parpd_stop
lab_done
