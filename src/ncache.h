/*
 * Neighbour cache: entries keyed by (family, address), link-local IPv6
 * ones by (interface, address), in a hash table keyed with a secret
 * (SipHash-1-3), held in an index-addressed pool with 32-bit links, one
 * timer per entry in a binary heap (the entry stores its heap position,
 * so the earliest deadline is O(1) and any update O(log n)), and a FIFO
 * list of the entries on probation (neither confirmed nor established),
 * for the full-table policy: only those are ever evicted.  The
 * hash chains run through a compact array of (hash tag, next) pairs
 * beside the pool: a lookup reads the entry whose 32-bit tag matches, not
 * every entry of its bucket.  The cache stores; the policy (what to
 * learn, when to refresh) is the core's.
 */
#ifndef PARPD_NCACHE_H
#define PARPD_NCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "siphash.h"

#define NCACHE_NONE UINT32_MAX
#define NCACHE_NO_DEADLINE UINT64_MAX

enum ncache_state {
	NCACHE_FREE,
	NCACHE_STATIC,	/* from the configuration, no timer */
	NCACHE_LEARNED,
};

#define NCACHE_F_CONFIRMED 0x01u /* answered one of our queries */
#define NCACHE_F_ROUTED	   0x02u /* a host route is installed */
#define NCACHE_F_ROUTER	   0x04u /* the address is a redirect router */
#define NCACHE_F_QUERIED   0x08u /* a query is outstanding (query_time) */
#define NCACHE_F_ISROUTER  0x10u /* its own NA had R set (RFC 4861 4.4) */
#define NCACHE_F_WEAK	   0x20u /* from an O=0 NA: an O=1 one may replace it */
#define NCACHE_F_RKNOWN	   0x40u /* ISROUTER is known (an NA, a static pair) */
#define NCACHE_F_ESTABLISHED 0x80u /* renewed by its own traffic, off probation */

/* 64 bytes on LP64 and where uint64_t aligns to 4, as on i386. */
struct ncache_entry {
	uint64_t expire;     /* E: when the entry dies without an answer */
	uint64_t query_time; /* last query sent, with NCACHE_F_QUERIED */
	uint8_t addr[16];    /* IPv4 in addr[0..3], the rest zero */
	uint32_t heap_pos;   /* NCACHE_NONE: no timer */
	uint32_t uprev;	     /* unconfirmed list */
	uint32_t unext;
	struct addr_mac mac;
	uint16_t iface;	     /* part of the key for link-local addresses */
	uint16_t queries_left; /* refresh queries still to send */
	uint32_t learned_s;  /* when learned, in seconds: probation's start */
	uint8_t family;
	uint8_t state;	     /* enum ncache_state */
	uint8_t flags;	     /* NCACHE_F_* */
};

struct ncache;

/*
 * A cache of tablesize buckets (at least 1) for about limit entries.  The
 * pool grows on demand; count may only pass limit if the caller inserts
 * anyway (the core does that for static pairs alone).
 */
struct ncache *ncache_new(uint32_t tablesize, uint32_t limit,
    const struct siphash_key *key);
void ncache_free(struct ncache *nc);

/* Makes room for n entries in total, so inserts up to n cannot fail. */
int ncache_reserve(struct ncache *nc, size_t n);

size_t ncache_count(const struct ncache *nc);
uint32_t ncache_limit(const struct ncache *nc);
bool ncache_full(const struct ncache *nc);

/*
 * IPv6 link-local addresses (fe80::/10) are unique only on their link
 * (RFC 4291 2.5.6, RFC 4007 6): their key is (iface, address), and the
 * entry's iface must not change.  For every other address iface is not
 * part of the key and is ignored here.
 */
bool ncache_is_scoped(const struct addr_ip *ip);

uint32_t ncache_lookup(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface);
/* The same, trying slot hint first (any value; it is checked). */
uint32_t ncache_lookup_hint(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface, uint32_t hint);
/*
 * A new entry for ip on iface (which must not be present): state as
 * given, MAC zero, no timer; a learned entry joins the tail of the
 * unconfirmed list.  NCACHE_NONE on allocation failure.
 */
uint32_t ncache_insert(struct ncache *nc, const struct addr_ip *ip,
    unsigned iface, enum ncache_state state);
void ncache_remove(struct ncache *nc, uint32_t idx);

struct ncache_entry *ncache_entry(struct ncache *nc, uint32_t idx);
const struct ncache_entry *ncache_entry_const(const struct ncache *nc,
    uint32_t idx);
void ncache_entry_ip(const struct ncache_entry *e, struct addr_ip *ip);

/* Leaves probation for good: it answered one of parpd's queries. */
void ncache_confirm(struct ncache *nc, uint32_t idx);
/* Leaves probation for good: its own traffic kept renewing it. */
void ncache_establish(struct ncache *nc, uint32_t idx);
/* Turns a learned entry static (leaves the list, loses its timer). */
void ncache_make_static(struct ncache *nc, uint32_t idx);
/* The oldest learned entry never confirmed, or NCACHE_NONE. */
uint32_t ncache_oldest_unconfirmed(const struct ncache *nc);

/* Timers: NCACHE_NO_DEADLINE removes the entry's timer. */
void ncache_set_deadline(struct ncache *nc, uint32_t idx, uint64_t when);
uint64_t ncache_deadline(const struct ncache *nc, uint32_t idx);
uint64_t ncache_next_deadline(const struct ncache *nc);
/* The entry with the earliest deadline, or NCACHE_NONE. */
uint32_t ncache_first(const struct ncache *nc);
/* The entry with the earliest deadline if that is at or before now. */
uint32_t ncache_next_due(const struct ncache *nc, uint64_t now);

/* Iteration over live entries in pool order: start with NCACHE_NONE. */
uint32_t ncache_next(const struct ncache *nc, uint32_t idx);

/* The bucket ip hashes to (tests: the key must change it). */
uint32_t ncache_bucket(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface);
/* Bytes per entry at a full table: entry, chain link, heap slot, bucket. */
size_t ncache_entry_size(void);
/* Bytes allocated now (pool, links, heap, buckets). */
size_t ncache_memory(const struct ncache *nc);

#endif
