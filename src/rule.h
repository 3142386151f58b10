/*
 * Rule matcher: the rules of one interface compiled per family.  The
 * first rule in file order whose SRC contains the requester's address and
 * whose DST contains the target decides.
 *
 * Lookup uses bit vectors (Lakshman and Stiliadis, "High-speed
 * policy-based packet forwarding using efficient multi-dimensional range
 * matching", SIGCOMM 1998): in each dimension (SRC, DST) the rules'
 * prefixes cut the address space into at most 2n+1 elementary intervals,
 * and every interval carries the bitmap of the rules that contain it.  A
 * lookup binary-searches the requester's interval and the target's,
 * ANDs their bitmaps and takes the lowest set bit: the first rule in file
 * order.  The cost depends on the number of rules only (two searches of
 * log2(2n+1) steps, at most n/64 word ANDs), not on how their prefix
 * lengths are spread.  Bitmaps are stored once per distinct value, with
 * their zero words left out, and rules are indexed in chunks so that
 * memory stays linear in the number of rules.  Small sets are scanned.
 * rule_match_linear() is the plain scan, kept as the reference.
 */
#ifndef PARPD_RULE_H
#define PARPD_RULE_H

#include <stdbool.h>
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
	uint32_t index;		  /* its place in conf_iface.rules */
	uint32_t router;	  /* index into rule_table.routers */
};

struct rule_chunk;
struct rule_span;

/* The rules of one family, in file order. */
struct rule_set {
	struct rule *v;
	size_t n;
	uint8_t family;		   /* ADDR_V4 or ADDR_V6 */
	struct rule_chunk *chunks; /* bit-vector index; NULL: scan */
	size_t nchunks;
	struct rule_span *scope;   /* learning scope, disjoint, sorted */
	size_t nscope;
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

/*
 * True if ip lies in the interface's learning scope: the DST of a tell
 * rule of its family, or both the SRC (not /0) and the DST of a redirect
 * rule (hairpin clients).  A binary search over the union of those
 * prefixes, built at compile time.
 */
bool rule_scope_covers(const struct rule_table *t, const struct addr_ip *ip);

/* Bytes t holds: rules, index, scope spans and routers. */
size_t rule_table_memory(const struct rule_table *t);
/* Bytes of the bit-vector index of one family alone (0: scanned). */
size_t rule_set_index_memory(const struct rule_set *s);
/* Bytes of the scope spans of one family. */
size_t rule_set_scope_memory(const struct rule_set *s);

/* The router a redirect rule answers with. */
const struct addr_ip *rule_router(const struct rule_table *t,
    const struct rule *r);

void rule_key_from_ip(struct rule_key *k, const struct addr_ip *ip);

#endif
