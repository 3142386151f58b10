/*
 * Interface address selection, the policy half of iface.c: which of an
 * interface's addresses the core gets when there are more than
 * CORE_IFACE_ADDRS_MAX.  No libdnet here.  See iface.h.
 */
#include "config.h"

#include "iface.h"

size_t
iface_select(const struct addr_ip *all, size_t n, struct core_ifinfo *info)
{
	size_t i, ll;

	if (n <= CORE_IFACE_ADDRS_MAX) {
		for (i = 0; i < n; i++)
			info->addrs[i] = all[i];
		info->naddrs = n;
		return 0;
	}
	/*
	 * The first address is kept (the first IPv4 one when there is
	 * any: the core's ARP query source), and so is the first IPv6
	 * link-local one (its NS source, RFC 4861 7.2.2), in the last slot
	 * if it comes too late, so it stays first among the IPv6 ones.
	 */
	for (ll = 0; ll < n; ll++)
		if (addr_ip_is_linklocal6(&all[ll]))
			break;
	for (i = 0; i < CORE_IFACE_ADDRS_MAX; i++)
		info->addrs[i] = all[i];
	if (ll < n && ll >= CORE_IFACE_ADDRS_MAX)
		info->addrs[CORE_IFACE_ADDRS_MAX - 1] = all[ll];
	info->naddrs = CORE_IFACE_ADDRS_MAX;
	return n - CORE_IFACE_ADDRS_MAX;
}

/* The prefix length of each selected address, plen[k] that of all[k]. */
void
iface_select_plen(const struct addr_ip *all, const uint8_t *plen, size_t n,
    struct core_ifinfo *info)
{
	size_t i, k;

	for (i = 0; i < info->naddrs; i++) {
		info->plen[i] = 0;
		for (k = 0; k < n; k++)
			if (addr_ip_equal(&all[k], &info->addrs[i])) {
				info->plen[i] = plen[k];
				break;
			}
	}
}
