/*
 * Solicited-node multicast groups (RFC 4291 2.7.1) joined through the
 * kernel, so that the kernel sends the MLD reports and answers the
 * queries (RFC 4861 7.2.8: a proxy MUST join the solicited-node groups of
 * the addresses it answers for, and SHOULD do so with MLD; RFC 4541: an
 * MLD-snooping switch forwards a group only to ports that reported it).
 *
 * The shell says, now and then, which addresses it answers for on which
 * interface (mld_want between mld_begin and mld_commit); mld_commit joins
 * the groups that are new and leaves those no longer wanted.
 */
#ifndef PARPD_MLD_H
#define PARPD_MLD_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct mld_counters {
	uint64_t joined;      /* groups joined now */
	uint64_t joins;	      /* joins since start */
	uint64_t leaves;
	uint64_t join_errors; /* the kernel refused (logged, rate-limited) */
	uint64_t not_joined;  /* wanted past MLD_GROUPS_MAX at the last sync */
};

/*
 * The most groups joined at once, on all interfaces together.  Linux
 * keeps an interface's groups in a list, walked for every join (at
 * 100,000 learned IPv6 hosts parpd spent all its time in setsockopt)
 * and, worse, for every IPv6 multicast frame the interface takes in
 * (ipv6_chk_mcast_addr from ip6_mc_input): tests/bench/mld_cost.sh
 * measured 43 us more per frame with 4096 groups (the kernel took in
 * 21,000 NS/s, a tenth of its rate without them), 2.5 us with 512.
 */
#define MLD_GROUPS_MAX 512

struct mld;

struct mld *mld_new(void);
void mld_free(struct mld *m); /* leaves every group */

/* ifindex is the kernel's interface index; ip an IPv6 address. */
void mld_begin(struct mld *m);
/*
 * preferred: a static pair's or a redirect router's address, whose group
 * is joined before any learned address's when there are too many.
 */
void mld_want(struct mld *m, unsigned ifindex, const struct addr_ip *ip,
    bool preferred);
void mld_commit(struct mld *m);

const struct mld_counters *mld_counters(const struct mld *m);

/* The solicited-node group of ip: ff02::1:ffXX:XXXX. */
void mld_group(const struct addr_ip *ip, uint8_t group[16]);

#endif
