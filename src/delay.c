/*
 * Delay windows: a keyed hash table over an index-addressed pool, with
 * the windows in a list ordered by their opening time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "delay.h"

#define DELAY_NONE UINT32_MAX
#define DELAY_POOL_MIN 16

struct delay_window {
	uint64_t start;
	uint32_t count;
	uint32_t hnext;
	uint32_t prev;	/* age list: oldest opening first */
	uint32_t next;
	uint16_t iface;
	uint8_t family;
	uint8_t requester[16];
	uint8_t target[16];
};

struct delay {
	struct siphash_key key;
	uint32_t nbuckets;
	uint32_t limit;
	uint32_t *buckets;
	struct delay_window *pool;
	uint32_t cap;
	uint32_t count;
	uint32_t head;
	uint32_t tail;
};

struct delay *
delay_new(uint32_t tablesize, uint32_t limit, const struct siphash_key *key)
{
	struct delay *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->key = *key;
	d->limit = limit > 0 ? limit : 1;
	d->nbuckets = tablesize == 0 ? 1 : tablesize;
	if (d->nbuckets > d->limit)
		d->nbuckets = d->limit;
	d->buckets = malloc((size_t)d->nbuckets * sizeof(*d->buckets));
	if (d->buckets == NULL) {
		free(d);
		return NULL;
	}
	delay_clear(d);
	return d;
}

void
delay_free(struct delay *d)
{
	if (d == NULL)
		return;
	free(d->buckets);
	free(d->pool);
	free(d);
}

void
delay_clear(struct delay *d)
{
	memset(d->buckets, 0xff, (size_t)d->nbuckets * sizeof(*d->buckets));
	d->count = 0;
	d->head = d->tail = DELAY_NONE;
}

size_t
delay_windows(const struct delay *d)
{
	return d->count;
}

size_t
delay_memory(const struct delay *d)
{
	return sizeof(*d) + (size_t)d->nbuckets * sizeof(*d->buckets) +
	    (size_t)d->cap * sizeof(*d->pool);
}

static void
delay_key_of(struct delay_window *k, unsigned iface,
    const struct addr_ip *requester, const struct addr_ip *target)
{
	size_t n = requester->family == ADDR_V4 ? 4 : 16;

	memset(k, 0, sizeof(*k));
	k->iface = (uint16_t)iface;
	k->family = requester->family;
	memcpy(k->requester, requester->b, n);
	memcpy(k->target, target->b, n);
}

static bool
delay_same(const struct delay_window *a, const struct delay_window *b)
{
	return a->iface == b->iface && a->family == b->family &&
	    memcmp(a->requester, b->requester, 16) == 0 &&
	    memcmp(a->target, b->target, 16) == 0;
}

/* Keyed SipHash-1-3, as in ncache: the hash never leaves the process. */
static uint32_t
delay_bucket(const struct delay *d, const struct delay_window *k)
{
	uint8_t buf[35];
	uint64_t h;

	buf[0] = (uint8_t)(k->iface >> 8);
	buf[1] = (uint8_t)k->iface;
	buf[2] = k->family;
	memcpy(buf + 3, k->requester, 16);
	memcpy(buf + 19, k->target, 16);
	h = siphash13(&d->key, buf, sizeof(buf));
	return (uint32_t)(((h >> 32) * d->nbuckets) >> 32);
}

static void
delay_list_unlink(struct delay *d, uint32_t i)
{
	struct delay_window *w = &d->pool[i];

	if (w->prev != DELAY_NONE)
		d->pool[w->prev].next = w->next;
	else
		d->head = w->next;
	if (w->next != DELAY_NONE)
		d->pool[w->next].prev = w->prev;
	else
		d->tail = w->prev;
}

static void
delay_list_append(struct delay *d, uint32_t i)
{
	struct delay_window *w = &d->pool[i];

	w->next = DELAY_NONE;
	w->prev = d->tail;
	if (d->tail != DELAY_NONE)
		d->pool[d->tail].next = i;
	else
		d->head = i;
	d->tail = i;
}

static void
delay_hash_unlink(struct delay *d, uint32_t i)
{
	uint32_t *link = &d->buckets[delay_bucket(d, &d->pool[i])];

	while (*link != i)
		link = &d->pool[*link].hnext;
	*link = d->pool[i].hnext;
}

static uint32_t
delay_find(const struct delay *d, const struct delay_window *k, uint32_t b)
{
	uint32_t i;

	for (i = d->buckets[b]; i != DELAY_NONE; i = d->pool[i].hnext)
		if (delay_same(&d->pool[i], k))
			return i;
	return DELAY_NONE;
}

/* A free slot: a new one while under the limit, else the oldest. */
static uint32_t
delay_slot(struct delay *d)
{
	uint32_t i;

	if (d->count < d->limit) {
		if (d->count == d->cap) {
			size_t cap = d->cap > 0 ? (size_t)d->cap * 2 :
			    DELAY_POOL_MIN;
			struct delay_window *pool;

			if (cap > d->limit)
				cap = d->limit;
			pool = realloc(d->pool, cap * sizeof(*pool));
			if (pool != NULL) {
				d->pool = pool;
				d->cap = (uint32_t)cap;
			}
		}
		if (d->count < d->cap)
			return d->count++;
	}
	if (d->head == DELAY_NONE)
		return DELAY_NONE;
	i = d->head;
	delay_list_unlink(d, i);
	delay_hash_unlink(d, i);
	return i;
}

uint32_t
delay_peek(const struct delay *d, unsigned iface,
    const struct addr_ip *requester, const struct addr_ip *target,
    uint64_t now, uint64_t window_ms)
{
	struct delay_window k;
	uint32_t i;

	delay_key_of(&k, iface, requester, target);
	i = delay_find(d, &k, delay_bucket(d, &k));
	if (i == DELAY_NONE || now - d->pool[i].start > window_ms)
		return 1;
	return d->pool[i].count < UINT32_MAX ? d->pool[i].count + 1 :
	    UINT32_MAX;
}

uint32_t
delay_count(struct delay *d, unsigned iface, const struct addr_ip *requester,
    const struct addr_ip *target, uint64_t now, uint64_t window_ms)
{
	struct delay_window k;
	uint32_t b, i;

	delay_key_of(&k, iface, requester, target);
	b = delay_bucket(d, &k);
	i = delay_find(d, &k, b);
	if (i != DELAY_NONE) {
		struct delay_window *w = &d->pool[i];

		if (now - w->start <= window_ms) {
			if (w->count < UINT32_MAX)
				w->count++;
			return w->count;
		}
		/* A new window: it is now the youngest. */
		w->start = now;
		w->count = 1;
		delay_list_unlink(d, i);
		delay_list_append(d, i);
		return 1;
	}
	i = delay_slot(d);
	if (i == DELAY_NONE)
		return 0;
	k.start = now;
	k.count = 1;
	k.hnext = d->buckets[b];
	d->pool[i] = k;
	d->buckets[b] = i;
	delay_list_append(d, i);
	return 1;
}
