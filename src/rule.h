/*
 * Rule matcher: the rules of one interface compiled per family.  The
 * first rule in file order whose SRC contains the requester's address and
 * whose DST contains the target decides.
 *
 * Lookup is a tuple-space search (Srinivasan, Suri, Varghese 1999): the
 * rules are grouped by their (SRC length, DST length) pair; inside a group
 * a hash of the masked addresses finds the first rule with those
 * prefixes.  The groups are visited in the order of their first rule, and
 * the search stops as soon as no later group can hold an earlier rule.
 * rule_match_linear() is the plain scan, kept as the reference.
 */
#ifndef PARPD_RULE_H
#define PARPD_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "conf.h"

#define RULE_NO_ROUTER UINT32_MAX

/* An address as two 64-bit words, most significant first. */
struct rule_key {
	uint64_t w[2];
};

struct rule {
	struct rule_key src;	  /* masked */
	struct rule_key dst;	  /* masked */
	struct rule_key srcmask;
	struct rule_key dstmask;
	enum conf_action action;
	unsigned flags;		  /* CONF_RULE_* */
	unsigned line;
	uint32_t router;	  /* index into rule_table.routers */
};

struct rule_group;

/* The rules of one family, in file order. */
struct rule_set {
	struct rule *v;
	size_t n;
	struct rule_group *groups; /* ordered by first rule */
	size_t ngroups;
};

struct rule_table {
	struct rule_set v4;
	struct rule_set v6;
	/* Distinct redirect routers of the interface, in order of use. */
	struct addr_ip *routers;
	size_t nrouters;
};

/* Compiles ci's rules into t.  Returns 0, or -1 on allocation failure. */
int rule_table_compile(struct rule_table *t, const struct conf_iface *ci);
void rule_table_free(struct rule_table *t);

/*
 * The deciding rule for a request from src for dst (same family), or
 * NULL when no rule matches.
 */
const struct rule *rule_match(const struct rule_table *t,
    const struct addr_ip *src, const struct addr_ip *dst);
const struct rule *rule_match_linear(const struct rule_table *t,
    const struct addr_ip *src, const struct addr_ip *dst);

/* The router a redirect rule answers with. */
const struct addr_ip *rule_router(const struct rule_table *t,
    const struct rule *r);

void rule_key_from_ip(struct rule_key *k, const struct addr_ip *ip);

#endif
