# Sourced by the benchmarks that measure across one veth (wire/run.sh,
# learn_storm.sh, mld_cost.sh).  veth_lab makes two namespaces, $G the
# generator's and $R the responder's, joined by wg0 <-> wr0 (MACs
# 02:a0:00:00:00:01 and :02), with duplicate address detection off (an
# address is usable at once) and loopback and both ends up; the caller
# names them, adds the addresses and calls veth_lab_del in its cleanup.
# ig and ir run a command in either namespace.
veth_lab()
{
	ip netns add "$G" && ip netns add "$R" || return 1
	for ns in "$G" "$R"; do
		# before the veth exists: its ends take the defaults
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0
		ip -n "$ns" link set lo up
	done
	ip link add wg0 netns "$G" address 02:a0:00:00:00:01 type veth \
	    peer name wr0 netns "$R" address 02:a0:00:00:00:02 || return 1
	ip -n "$G" link set wg0 up && ip -n "$R" link set wr0 up
}
veth_lab_del() { ip netns del "$G" 2>/dev/null; ip netns del "$R" 2>/dev/null; }
ig() { ip netns exec "$G" "$@"; }
ir() { ip netns exec "$R" "$@"; }
