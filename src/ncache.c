/*
 * Neighbour cache: keyed hash table over an index-addressed pool, a
 * binary min-heap of deadlines, and the list of unconfirmed entries.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ncache.h"

#define NCACHE_POOL_MIN 16
#define NCACHE_POOL_GROW 4096

struct ncache_heapnode {
	uint64_t when;
	uint32_t idx;
};

/*
 * The heap's nodes are kept in two arrays, heap_when and heap_idx: 12
 * bytes a slot, where an array of nodes pads each to 16 (4 MB more at a
 * million entries).
 */
#define NCACHE_HEAP_SLOT (sizeof(uint64_t) + sizeof(uint32_t))

/* Hash chain link of pool slot i, in links[i]; next is the free list too. */
struct ncache_link {
	uint32_t tag;	   /* low 32 bits of the entry's hash */
	uint32_t next;
};

struct ncache {
	struct siphash_key key;
	uint32_t nbuckets;
	uint32_t limit;
	uint32_t *buckets;
	struct ncache_entry *pool;
	struct ncache_link *links; /* parallel to pool */
	uint32_t cap;	   /* pool, link and heap slots allocated */
	uint32_t used;	   /* pool slots ever handed out */
	uint32_t count;	   /* live entries */
	uint32_t freelist;
	uint64_t *heap_when;
	uint32_t *heap_idx;
	uint32_t heapn;
	uint32_t uhead;	   /* unconfirmed list, oldest first */
	uint32_t utail;
};

struct ncache *
ncache_new(uint32_t tablesize, uint32_t limit, const struct siphash_key *key)
{
	struct ncache *nc = calloc(1, sizeof(*nc));

	if (nc == NULL)
		return NULL;
	nc->key = *key;
	nc->limit = limit > 0 ? limit : 1;
	/* More buckets than entries would only cost memory. */
	nc->nbuckets = tablesize == 0 ? 1 : tablesize;
	if (nc->nbuckets > nc->limit)
		nc->nbuckets = nc->limit;
	nc->buckets = malloc((size_t)nc->nbuckets * sizeof(*nc->buckets));
	if (nc->buckets == NULL) {
		free(nc);
		return NULL;
	}
	memset(nc->buckets, 0xff, (size_t)nc->nbuckets * sizeof(*nc->buckets));
	nc->freelist = NCACHE_NONE;
	nc->uhead = nc->utail = NCACHE_NONE;
	return nc;
}

void
ncache_free(struct ncache *nc)
{
	if (nc == NULL)
		return;
	free(nc->buckets);
	free(nc->pool);
	free(nc->links);
	free(nc->heap_when);
	free(nc->heap_idx);
	free(nc);
}

static int
ncache_grow(struct ncache *nc, size_t want)
{
	struct ncache_entry *pool;
	struct ncache_link *links;
	uint64_t *when;
	uint32_t *hidx;
	size_t cap;

	/*
	 * Doubling up to NCACHE_POOL_GROW slots, then by a quarter: a pool
	 * short of its limit holds at most 25% unused slots, not 100%, and
	 * the copies stay amortised O(1) per insert.
	 */
	if (nc->cap == 0)
		cap = NCACHE_POOL_MIN;
	else if (nc->cap < NCACHE_POOL_GROW)
		cap = (size_t)nc->cap * 2;
	else
		cap = (size_t)nc->cap + nc->cap / 4;

	/* Up to the limit the pool ends exactly at it: no slack when full. */
	if (cap > nc->limit && want <= nc->limit)
		cap = nc->limit;
	if (cap < want)
		cap = want;
	if (cap >= NCACHE_NONE)
		return -1;
	pool = realloc(nc->pool, cap * sizeof(*pool));
	if (pool == NULL)
		return -1;
	nc->pool = pool;
	links = realloc(nc->links, cap * sizeof(*links));
	if (links == NULL)
		return -1;
	nc->links = links;
	when = realloc(nc->heap_when, cap * sizeof(*when));
	if (when == NULL)
		return -1;
	nc->heap_when = when;
	hidx = realloc(nc->heap_idx, cap * sizeof(*hidx));
	if (hidx == NULL)
		return -1;
	nc->heap_idx = hidx;
	nc->cap = (uint32_t)cap;
	return 0;
}

int
ncache_reserve(struct ncache *nc, size_t n)
{
	if (n <= nc->cap)
		return 0;
	return ncache_grow(nc, n);
}

size_t
ncache_count(const struct ncache *nc)
{
	return nc->count;
}

uint32_t
ncache_limit(const struct ncache *nc)
{
	return nc->limit;
}

bool
ncache_full(const struct ncache *nc)
{
	return nc->count >= nc->limit;
}

static size_t
ncache_addr_len(uint8_t family)
{
	return family == ADDR_V4 ? 4 : 16;
}

bool
ncache_is_scoped(const struct addr_ip *ip)
{
	return addr_ip_is_linklocal6(ip);
}

/*
 * SipHash-1-3 of the address bytes: the length (4, 16, or 18 with the
 * interface of a link-local address) is hashed too, so the kinds of key
 * never share one.
 */
static uint64_t
ncache_hash(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface)
{
	uint8_t b[18];

	if (!addr_ip_is_linklocal6(ip))
		return siphash13(&nc->key, ip->b, ncache_addr_len(ip->family));
	memcpy(b, ip->b, 16);
	b[16] = (uint8_t)(iface >> 8);
	b[17] = (uint8_t)iface;
	return siphash13(&nc->key, b, sizeof(b));
}

/* Lemire's multiply-shift reduction of the top half: no division. */
static uint32_t
ncache_bucket_of(const struct ncache *nc, uint64_t h)
{
	return (uint32_t)(((h >> 32) * nc->nbuckets) >> 32);
}

uint32_t
ncache_bucket(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface)
{
	return ncache_bucket_of(nc, ncache_hash(nc, ip, iface));
}

/* The address as two words in memory order, zero past an IPv4 one. */
static void
ncache_key(const struct addr_ip *ip, uint64_t k[2])
{
	uint8_t b[16];

	memset(b, 0, sizeof(b));
	memcpy(b, ip->b, ncache_addr_len(ip->family));
	memcpy(k, b, sizeof(b));
}

/* iface is UINT32_MAX for an address without scope: any entry iface. */
static bool
ncache_entry_is(const struct ncache_entry *e, uint8_t family,
    const uint64_t k[2], uint32_t iface)
{
	uint64_t a[2];

	memcpy(a, e->addr, sizeof(a));
	return ((a[0] ^ k[0]) | (a[1] ^ k[1])) == 0 && e->family == family &&
	    (iface == UINT32_MAX || e->iface == iface);
}

static uint32_t
ncache_scope(const struct addr_ip *ip, unsigned iface)
{
	return addr_ip_is_linklocal6(ip) ? (uint16_t)iface : UINT32_MAX;
}

uint32_t
ncache_lookup(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface)
{
	uint64_t h, k[2];
	uint32_t i, tag, scope;

	if (ip->family != ADDR_V4 && ip->family != ADDR_V6)
		return NCACHE_NONE;
	h = ncache_hash(nc, ip, iface);
	tag = (uint32_t)h;
	scope = ncache_scope(ip, iface);
	ncache_key(ip, k);
	for (i = nc->buckets[ncache_bucket_of(nc, h)]; i != NCACHE_NONE;
	    i = nc->links[i].next)
		if (nc->links[i].tag == tag &&
		    ncache_entry_is(&nc->pool[i], ip->family, k, scope))
			return i;
	return NCACHE_NONE;
}

uint32_t
ncache_lookup_hint(const struct ncache *nc, const struct addr_ip *ip,
    unsigned iface, uint32_t hint)
{
	uint64_t k[2];

	if (hint < nc->used && nc->pool[hint].state != NCACHE_FREE &&
	    (ip->family == ADDR_V4 || ip->family == ADDR_V6)) {
		ncache_key(ip, k);
		if (ncache_entry_is(&nc->pool[hint], ip->family, k,
		    ncache_scope(ip, iface)))
			return hint;
	}
	return ncache_lookup(nc, ip, iface);
}

struct ncache_entry *
ncache_entry(struct ncache *nc, uint32_t idx)
{
	return &nc->pool[idx];
}

const struct ncache_entry *
ncache_entry_const(const struct ncache *nc, uint32_t idx)
{
	return &nc->pool[idx];
}

void
ncache_entry_ip(const struct ncache_entry *e, struct addr_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = e->family;
	memcpy(ip->b, e->addr, ncache_addr_len(e->family));
}

/* ---- unconfirmed list ---- */

static void
ncache_ulist_append(struct ncache *nc, uint32_t idx)
{
	struct ncache_entry *e = &nc->pool[idx];

	e->unext = NCACHE_NONE;
	e->uprev = nc->utail;
	if (nc->utail != NCACHE_NONE)
		nc->pool[nc->utail].unext = idx;
	else
		nc->uhead = idx;
	nc->utail = idx;
}

static void
ncache_ulist_unlink(struct ncache *nc, uint32_t idx)
{
	struct ncache_entry *e = &nc->pool[idx];

	if (e->state != NCACHE_LEARNED ||
	    (e->flags & (NCACHE_F_CONFIRMED | NCACHE_F_ESTABLISHED)))
		return;
	if (e->uprev != NCACHE_NONE)
		nc->pool[e->uprev].unext = e->unext;
	else
		nc->uhead = e->unext;
	if (e->unext != NCACHE_NONE)
		nc->pool[e->unext].uprev = e->uprev;
	else
		nc->utail = e->uprev;
	e->uprev = e->unext = NCACHE_NONE;
}

void
ncache_confirm(struct ncache *nc, uint32_t idx)
{
	ncache_ulist_unlink(nc, idx);
	nc->pool[idx].flags |= NCACHE_F_CONFIRMED;
}

void
ncache_establish(struct ncache *nc, uint32_t idx)
{
	ncache_ulist_unlink(nc, idx);
	nc->pool[idx].flags |= NCACHE_F_ESTABLISHED;
}

uint32_t
ncache_oldest_unconfirmed(const struct ncache *nc)
{
	return nc->uhead;
}

/* ---- heap ---- */

static struct ncache_heapnode
ncache_heap_at(const struct ncache *nc, uint32_t pos)
{
	struct ncache_heapnode n = { nc->heap_when[pos], nc->heap_idx[pos] };

	return n;
}

static void
ncache_heap_set(struct ncache *nc, uint32_t pos, struct ncache_heapnode n)
{
	nc->heap_when[pos] = n.when;
	nc->heap_idx[pos] = n.idx;
	nc->pool[n.idx].heap_pos = pos;
}

static void
ncache_heap_up(struct ncache *nc, uint32_t pos)
{
	struct ncache_heapnode n = ncache_heap_at(nc, pos);

	while (pos > 0) {
		uint32_t parent = (pos - 1) / 2;

		if (nc->heap_when[parent] <= n.when)
			break;
		ncache_heap_set(nc, pos, ncache_heap_at(nc, parent));
		pos = parent;
	}
	ncache_heap_set(nc, pos, n);
}

static void
ncache_heap_down(struct ncache *nc, uint32_t pos)
{
	struct ncache_heapnode n = ncache_heap_at(nc, pos);

	for (;;) {
		uint32_t child = 2 * pos + 1;

		if (child >= nc->heapn)
			break;
		if (child + 1 < nc->heapn &&
		    nc->heap_when[child + 1] < nc->heap_when[child])
			child++;
		if (n.when <= nc->heap_when[child])
			break;
		ncache_heap_set(nc, pos, ncache_heap_at(nc, child));
		pos = child;
	}
	ncache_heap_set(nc, pos, n);
}

static void
ncache_heap_remove(struct ncache *nc, uint32_t idx)
{
	uint32_t pos = nc->pool[idx].heap_pos, moved;

	if (pos == NCACHE_NONE)
		return;
	nc->pool[idx].heap_pos = NCACHE_NONE;
	if (--nc->heapn == pos)
		return;
	/* The last node fills the hole and sifts whichever way it must. */
	moved = nc->heap_idx[nc->heapn];
	ncache_heap_set(nc, pos, ncache_heap_at(nc, nc->heapn));
	ncache_heap_up(nc, pos);
	ncache_heap_down(nc, nc->pool[moved].heap_pos);
}

void
ncache_set_deadline(struct ncache *nc, uint32_t idx, uint64_t when)
{
	struct ncache_entry *e = &nc->pool[idx];
	struct ncache_heapnode n = { when, idx };
	uint32_t pos = e->heap_pos;

	if (when == NCACHE_NO_DEADLINE) {
		ncache_heap_remove(nc, idx);
		return;
	}
	if (pos == NCACHE_NONE) {
		/* heapn < cap: one heap slot per pool slot. */
		pos = nc->heapn++;
		ncache_heap_set(nc, pos, n);
		ncache_heap_up(nc, pos);
		return;
	}
	ncache_heap_set(nc, pos, n);
	ncache_heap_up(nc, pos);
	ncache_heap_down(nc, e->heap_pos);
}

uint64_t
ncache_deadline(const struct ncache *nc, uint32_t idx)
{
	uint32_t pos = nc->pool[idx].heap_pos;

	return pos == NCACHE_NONE ? NCACHE_NO_DEADLINE : nc->heap_when[pos];
}

uint64_t
ncache_next_deadline(const struct ncache *nc)
{
	return nc->heapn > 0 ? nc->heap_when[0] : NCACHE_NO_DEADLINE;
}

uint32_t
ncache_first(const struct ncache *nc)
{
	return nc->heapn > 0 ? nc->heap_idx[0] : NCACHE_NONE;
}

uint32_t
ncache_next_due(const struct ncache *nc, uint64_t now)
{
	if (nc->heapn > 0 && nc->heap_when[0] <= now)
		return nc->heap_idx[0];
	return NCACHE_NONE;
}

/* ---- insertion and removal ---- */

static uint32_t
ncache_alloc(struct ncache *nc)
{
	uint32_t idx;

	if (nc->freelist != NCACHE_NONE) {
		idx = nc->freelist;
		nc->freelist = nc->links[idx].next;
		return idx;
	}
	if (nc->used == nc->cap && ncache_grow(nc, (size_t)nc->used + 1) != 0)
		return NCACHE_NONE;
	return nc->used++;
}

uint32_t
ncache_insert(struct ncache *nc, const struct addr_ip *ip, unsigned iface,
    enum ncache_state state)
{
	struct ncache_entry *e;
	uint32_t idx, b;
	uint64_t h;

	idx = ncache_alloc(nc);
	if (idx == NCACHE_NONE)
		return NCACHE_NONE;
	e = &nc->pool[idx];
	memset(e, 0, sizeof(*e));
	e->family = ip->family;
	memcpy(e->addr, ip->b, ncache_addr_len(ip->family));
	e->iface = (uint16_t)iface;
	e->state = (uint8_t)state;
	e->heap_pos = NCACHE_NONE;
	e->uprev = e->unext = NCACHE_NONE;
	h = ncache_hash(nc, ip, iface);
	b = ncache_bucket_of(nc, h);
	nc->links[idx].tag = (uint32_t)h;
	nc->links[idx].next = nc->buckets[b];
	nc->buckets[b] = idx;
	if (state == NCACHE_LEARNED)
		ncache_ulist_append(nc, idx);
	nc->count++;
	return idx;
}

static void
ncache_hash_unlink(struct ncache *nc, uint32_t idx)
{
	struct addr_ip ip;
	uint32_t *link;

	ncache_entry_ip(&nc->pool[idx], &ip);
	for (link = &nc->buckets[ncache_bucket(nc, &ip, nc->pool[idx].iface)];
	    *link != idx;
	    link = &nc->links[*link].next)
		;
	*link = nc->links[idx].next;
}

void
ncache_remove(struct ncache *nc, uint32_t idx)
{
	struct ncache_entry *e = &nc->pool[idx];

	ncache_hash_unlink(nc, idx);
	ncache_heap_remove(nc, idx);
	ncache_ulist_unlink(nc, idx);
	e->state = NCACHE_FREE;
	nc->links[idx].next = nc->freelist;
	nc->freelist = idx;
	nc->count--;
}

void
ncache_make_static(struct ncache *nc, uint32_t idx)
{
	struct ncache_entry *e = &nc->pool[idx];

	ncache_ulist_unlink(nc, idx);
	ncache_heap_remove(nc, idx);
	e->state = NCACHE_STATIC;
	e->flags &= (uint8_t)~(NCACHE_F_CONFIRMED | NCACHE_F_ESTABLISHED |
	    NCACHE_F_QUERIED);
	e->queries_left = 0;
	e->expire = 0;
}

uint32_t
ncache_next(const struct ncache *nc, uint32_t idx)
{
	uint32_t i = idx == NCACHE_NONE ? 0 : idx + 1;

	for (; i < nc->used; i++)
		if (nc->pool[i].state != NCACHE_FREE)
			return i;
	return NCACHE_NONE;
}

size_t
ncache_entry_size(void)
{
	/* Buckets never outnumber the limit: at most one per entry. */
	return sizeof(struct ncache_entry) + sizeof(struct ncache_link) +
	    NCACHE_HEAP_SLOT + sizeof(uint32_t);
}

size_t
ncache_memory(const struct ncache *nc)
{
	return sizeof(*nc) + (size_t)nc->nbuckets * sizeof(uint32_t) +
	    (size_t)nc->cap * (sizeof(struct ncache_entry) +
	    sizeof(struct ncache_link) + NCACHE_HEAP_SLOT);
}
