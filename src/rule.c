/*
 * Rule matcher: compiled prefixes as masked 64-bit words, a linear scan
 * for small sets and a bit-vector index for the others (see rule.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rule.h"

#define RULE_NONE UINT32_MAX
/*
 * Below this many rules of a family a scan is as fast: measured at -O2
 * with the deciding rule last, both cost about 12 ns at 10 rules.
 */
#define RULE_INDEX_MIN_RULES 10
/* Rules per chunk: a bitmap is a summary word and up to 32 words. */
#define RULE_CHUNK_MAX 2048

static uint32_t
rule_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
rule_be64(const uint8_t *p)
{
	return (uint64_t)rule_be32(p) << 32 | rule_be32(p + 4);
}

void
rule_key_from_ip(struct rule_key *k, const struct addr_ip *ip)
{
	if (ip->family == ADDR_V4) {
		k->w[0] = (uint64_t)rule_be32(ip->b) << 32;
		k->w[1] = 0;
	} else {
		k->w[0] = rule_be64(ip->b);
		k->w[1] = rule_be64(ip->b + 8);
	}
}

static void
rule_key_mask(struct rule_key *m, unsigned len)
{
	unsigned i;

	for (i = 0; i < 2; i++) {
		unsigned bits = len > 64 * i ? len - 64 * i : 0;

		if (bits >= 64)
			m->w[i] = UINT64_MAX;
		else if (bits == 0)
			m->w[i] = 0;
		else
			m->w[i] = UINT64_MAX << (64 - bits);
	}
}

static void
rule_key_and(struct rule_key *out, const struct rule_key *a,
    const struct rule_key *m)
{
	out->w[0] = a->w[0] & m->w[0];
	out->w[1] = a->w[1] & m->w[1];
}

static bool
rule_key_in(const struct rule_key *k, const struct rule_key *net,
    const struct rule_key *mask)
{
	return (((k->w[0] & mask->w[0]) ^ net->w[0]) |
	    ((k->w[1] & mask->w[1]) ^ net->w[1])) == 0;
}

static int
rule_router_index(struct rule_table *t, const struct addr_ip *ip,
    uint32_t *out)
{
	struct addr_ip *nv;
	size_t i;

	for (i = 0; i < t->nrouters; i++) {
		if (addr_ip_equal(&t->routers[i], ip)) {
			*out = (uint32_t)i;
			return 0;
		}
	}
	nv = realloc(t->routers, (t->nrouters + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	t->routers = nv;
	t->routers[t->nrouters] = *ip;
	*out = (uint32_t)t->nrouters++;
	return 0;
}

static void
rule_compile_one(struct rule *r, const struct conf_rule *cr)
{
	struct rule_key k;

	memset(r, 0, sizeof(*r));
	rule_key_mask(&r->srcmask, cr->src.len);
	rule_key_mask(&r->dstmask, cr->dst.len);
	rule_key_from_ip(&k, &cr->src.ip);
	rule_key_and(&r->src, &k, &r->srcmask);
	rule_key_from_ip(&k, &cr->dst.ip);
	rule_key_and(&r->dst, &k, &r->dstmask);
	r->action = cr->action;
	r->flags = cr->flags;
	r->line = cr->line;
	r->router = RULE_NO_ROUTER;
}

/* ---- bit-vector index (see rule.h) ---- */

/* An address as an unsigned 128-bit number, in its family's width. */
struct rule_u128 {
	uint64_t hi;
	uint64_t lo;
};

/* One dimension (SRC or DST) of a chunk: its elementary intervals. */
struct rule_dim {
	uint32_t *start4;	  /* IPv4: first address of each, ascending */
	struct rule_u128 *start6; /* IPv6: the same */
	uint32_t *bits;		  /* each one's bitmap: offset in words */
	uint32_t m;		  /* intervals; start[0] is 0 */
};

/*
 * Up to RULE_CHUNK_MAX rules.  A bitmap is packed as a summary word
 * (bit j: word j has a rule) followed by its nonzero words in order.
 */
struct rule_chunk {
	struct rule_dim dim[2];	   /* SRC, DST */
	uint64_t *words;
	size_t nwords;
	uint32_t first;		   /* the chunk's first rule */
};

/* A prefix-bound change: rule starts (set) or ends (clear) at pos. */
struct rule_event {
	struct rule_u128 pos;
	uint32_t rule;		   /* within the chunk */
	bool set;
};

/* Distinct bitmaps of a chunk under construction. */
struct rule_intern {
	uint32_t *slots;	   /* word offset + 1, 0 empty */
	uint32_t mask;
	size_t cap;		   /* of chunk->words */
};

static int
rule_u128_cmp(const struct rule_u128 *a, const struct rule_u128 *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

static int
rule_event_cmp(const void *a, const void *b)
{
	const struct rule_event *x = a, *y = b;
	int c = rule_u128_cmp(&x->pos, &y->pos);

	if (c != 0)
		return c;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* The first and last address of a prefix, in its family's width. */
static void
rule_range(uint8_t family, const struct rule_key *net,
    const struct rule_key *mask, struct rule_u128 *lo, struct rule_u128 *hi)
{
	if (family == ADDR_V4) {
		lo->hi = hi->hi = 0;
		lo->lo = net->w[0] >> 32;
		hi->lo = lo->lo | (~mask->w[0] >> 32);
	} else {
		lo->hi = net->w[0];
		lo->lo = net->w[1];
		hi->hi = net->w[0] | ~mask->w[0];
		hi->lo = net->w[1] | ~mask->w[1];
	}
}

static bool
rule_u128_is_max(uint8_t family, const struct rule_u128 *a)
{
	if (family == ADDR_V4)
		return a->lo == UINT32_MAX;
	return a->hi == UINT64_MAX && a->lo == UINT64_MAX;
}

static unsigned
rule_popcount(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

static uint32_t
rule_bits_hash(const uint64_t *dense, size_t nw)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < nw; i++) {
		h = (h ^ dense[i]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static bool
rule_bits_same(const uint64_t *packed, const uint64_t *dense, size_t nw)
{
	size_t i, k = 1;

	for (i = 0; i < nw; i++) {
		bool on = (packed[0] >> i) & 1;

		if (on != (dense[i] != 0))
			return false;
		if (on && packed[k++] != dense[i])
			return false;
	}
	return true;
}

/* The offset of dense's packed copy in c->words, added if new. */
static int
rule_intern(struct rule_chunk *c, struct rule_intern *in,
    const uint64_t *dense, size_t nw, uint32_t *off)
{
	uint32_t i = rule_bits_hash(dense, nw) & in->mask;
	uint64_t sum = 0;
	size_t j, need;

	for (;; i = (i + 1) & in->mask) {
		if (in->slots[i] == 0)
			break;
		if (rule_bits_same(c->words + in->slots[i] - 1, dense, nw)) {
			*off = in->slots[i] - 1;
			return 0;
		}
	}
	for (j = 0; j < nw; j++)
		if (dense[j] != 0)
			sum |= (uint64_t)1 << j;
	need = c->nwords + 1 + rule_popcount(sum);
	if (need > in->cap) {
		size_t cap = in->cap * 2 > need ? in->cap * 2 : need;
		uint64_t *w = realloc(c->words, cap * sizeof(*w));

		if (w == NULL)
			return -1;
		c->words = w;
		in->cap = cap;
	}
	*off = (uint32_t)c->nwords;
	c->words[c->nwords++] = sum;
	for (j = 0; j < nw; j++)
		if (dense[j] != 0)
			c->words[c->nwords++] = dense[j];
	in->slots[i] = *off + 1;
	return 0;
}

/* Bounds that start the same interval made fewer than allocated. */
static void
rule_dim_shrink(struct rule_dim *d)
{
	void *p;

	if ((p = realloc(d->bits, d->m * sizeof(*d->bits))) != NULL)
		d->bits = p;
	if (d->start4 != NULL &&
	    (p = realloc(d->start4, d->m * sizeof(*d->start4))) != NULL)
		d->start4 = p;
	if (d->start6 != NULL &&
	    (p = realloc(d->start6, d->m * sizeof(*d->start6))) != NULL)
		d->start6 = p;
}

/*
 * The intervals of one dimension: a sweep over the sorted prefix bounds,
 * each rule's bit set from its first address to its last.
 */
static int
rule_dim_build(struct rule_chunk *c, struct rule_intern *in,
    struct rule_dim *d, const struct rule_set *s, uint32_t n, int which,
    struct rule_event *ev)
{
	uint64_t dense[RULE_CHUNK_MAX / 64];
	size_t nw = (n + 63) / 64, nev = 0, i = 0;
	struct rule_u128 cur = { 0, 0 };
	uint32_t k;

	for (k = 0; k < n; k++) {
		const struct rule *r = &s->v[c->first + k];
		struct rule_u128 lo, hi;

		if (which == 0)
			rule_range(s->family, &r->src, &r->srcmask, &lo, &hi);
		else
			rule_range(s->family, &r->dst, &r->dstmask, &lo, &hi);
		ev[nev].pos = lo;
		ev[nev].rule = k;
		ev[nev++].set = true;
		if (rule_u128_is_max(s->family, &hi))
			continue;
		/* The prefix ends where the address after its last starts. */
		hi.lo++;
		if (hi.lo == 0)
			hi.hi++;
		ev[nev].pos = hi;
		ev[nev].rule = k;
		ev[nev++].set = false;
	}
	qsort(ev, nev, sizeof(*ev), rule_event_cmp);
	d->bits = malloc((nev + 1) * sizeof(*d->bits));
	if (s->family == ADDR_V4)
		d->start4 = malloc((nev + 1) * sizeof(*d->start4));
	else
		d->start6 = malloc((nev + 1) * sizeof(*d->start6));
	if (d->bits == NULL || (d->start4 == NULL && d->start6 == NULL))
		return -1;
	memset(dense, 0, sizeof(dense));
	d->m = 0;
	for (;;) {
		for (; i < nev && rule_u128_cmp(&ev[i].pos, &cur) == 0; i++) {
			uint64_t bit = (uint64_t)1 << (ev[i].rule % 64);

			if (ev[i].set)
				dense[ev[i].rule / 64] |= bit;
			else
				dense[ev[i].rule / 64] &= ~bit;
		}
		if (s->family == ADDR_V4)
			d->start4[d->m] = (uint32_t)cur.lo;
		else
			d->start6[d->m] = cur;
		if (rule_intern(c, in, dense, nw, &d->bits[d->m]) != 0)
			return -1;
		d->m++;
		if (i == nev)
			break;
		cur = ev[i].pos;
	}
	rule_dim_shrink(d);
	return 0;
}

static void
rule_chunk_free(struct rule_chunk *c)
{
	int j;

	for (j = 0; j < 2; j++) {
		free(c->dim[j].start4);
		free(c->dim[j].start6);
		free(c->dim[j].bits);
	}
	free(c->words);
}

static int
rule_chunk_build(struct rule_chunk *c, const struct rule_set *s,
    uint32_t first, uint32_t n)
{
	struct rule_intern in;
	struct rule_event *ev;
	size_t slots = 4;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	c->first = first;
	/* At most 2n+1 intervals per dimension, all distinct at worst. */
	while (slots < 2 * (4 * (size_t)n + 2))
		slots *= 2;
	in.slots = calloc(slots, sizeof(*in.slots));
	in.mask = (uint32_t)(slots - 1);
	in.cap = 0;
	ev = malloc(2 * (size_t)n * sizeof(*ev));
	if (in.slots != NULL && ev != NULL &&
	    rule_dim_build(c, &in, &c->dim[0], s, n, 0, ev) == 0 &&
	    rule_dim_build(c, &in, &c->dim[1], s, n, 1, ev) == 0)
		rc = 0;
	free(ev);
	free(in.slots);
	if (rc == 0 && in.cap > c->nwords) {
		uint64_t *w = realloc(c->words, c->nwords * sizeof(*w));

		if (w != NULL)
			c->words = w;
	}
	return rc;
}

static void
rule_set_free_index(struct rule_set *s)
{
	size_t i;

	for (i = 0; i < s->nchunks; i++)
		rule_chunk_free(&s->chunks[i]);
	free(s->chunks);
	s->chunks = NULL;
	s->nchunks = 0;
}

static int
rule_set_index(struct rule_set *s)
{
	size_t i, n;

	if (s->n < RULE_INDEX_MIN_RULES)
		return 0;
	n = (s->n + RULE_CHUNK_MAX - 1) / RULE_CHUNK_MAX;
	s->chunks = calloc(n, sizeof(*s->chunks));
	if (s->chunks == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		size_t first = i * RULE_CHUNK_MAX;
		size_t k = s->n - first < RULE_CHUNK_MAX ? s->n - first :
		    RULE_CHUNK_MAX;

		s->nchunks = i + 1;
		if (rule_chunk_build(&s->chunks[i], s, (uint32_t)first,
		    (uint32_t)k) != 0) {
			rule_set_free_index(s);
			return -1;
		}
	}
	return 0;
}

/* The interval holding k: the last start at or below it (start[0] = 0). */
static uint32_t
rule_find4(const uint32_t *start, uint32_t m, uint32_t k)
{
	const uint32_t *base = start;

	while (m > 1) {
		uint32_t half = m / 2;

		base = base[half] <= k ? base + half : base;
		m -= half;
	}
	return (uint32_t)(base - start);
}

static uint32_t
rule_find6(const struct rule_u128 *start, uint32_t m, uint64_t hi,
    uint64_t lo)
{
	const struct rule_u128 *base = start;

	while (m > 1) {
		uint32_t half = m / 2;
		const struct rule_u128 *p = base + half;

		base = p->hi < hi || (p->hi == hi && p->lo <= lo) ? p : base;
		m -= half;
	}
	return (uint32_t)(base - start);
}

/* The lowest bit set in both packed bitmaps, or RULE_NONE. */
static uint32_t
rule_bits_first(const uint64_t *a, const uint64_t *b)
{
	uint64_t both = a[0] & b[0];

	while (both != 0) {
		uint64_t below = (both & (0 - both)) - 1;
		uint64_t w = a[1 + rule_popcount(a[0] & below)] &
		    b[1 + rule_popcount(b[0] & below)];

		if (w != 0)
			return (uint32_t)(64 * __builtin_ctzll(both) +
			    __builtin_ctzll(w));
		both &= both - 1;
	}
	return RULE_NONE;
}

static const struct rule *
rule_search4(const struct rule_set *s, uint32_t sk, uint32_t dk)
{
	size_t i;

	for (i = 0; i < s->nchunks; i++) {
		const struct rule_chunk *c = &s->chunks[i];
		const struct rule_dim *ds = &c->dim[0], *dd = &c->dim[1];
		uint32_t hit;

		hit = rule_bits_first(
		    c->words + ds->bits[rule_find4(ds->start4, ds->m, sk)],
		    c->words + dd->bits[rule_find4(dd->start4, dd->m, dk)]);
		if (hit != RULE_NONE)
			return &s->v[c->first + hit];
	}
	return NULL;
}

static const struct rule *
rule_search6(const struct rule_set *s, const uint8_t *src,
    const uint8_t *dst)
{
	uint64_t sh = rule_be64(src), sl = rule_be64(src + 8);
	uint64_t dh = rule_be64(dst), dl = rule_be64(dst + 8);
	size_t i;

	for (i = 0; i < s->nchunks; i++) {
		const struct rule_chunk *c = &s->chunks[i];
		const struct rule_dim *ds = &c->dim[0], *dd = &c->dim[1];
		uint32_t hit;

		hit = rule_bits_first(
		    c->words + ds->bits[rule_find6(ds->start6, ds->m, sh, sl)],
		    c->words + dd->bits[rule_find6(dd->start6, dd->m, dh, dl)]);
		if (hit != RULE_NONE)
			return &s->v[c->first + hit];
	}
	return NULL;
}

size_t
rule_set_index_memory(const struct rule_set *s)
{
	size_t i, j, sum = s->nchunks * sizeof(*s->chunks);

	for (i = 0; i < s->nchunks; i++) {
		const struct rule_chunk *c = &s->chunks[i];

		sum += c->nwords * sizeof(*c->words);
		for (j = 0; j < 2; j++)
			sum += (size_t)c->dim[j].m * (sizeof(uint32_t) +
			    (s->family == ADDR_V4 ? sizeof(uint32_t) :
			    sizeof(struct rule_u128)));
	}
	return sum;
}

size_t
rule_table_memory(const struct rule_table *t)
{
	return (t->v4.n + t->v6.n) * sizeof(struct rule) +
	    rule_set_index_memory(&t->v4) + rule_set_index_memory(&t->v6) +
	    rule_set_scope_memory(&t->v4) + rule_set_scope_memory(&t->v6) +
	    t->nrouters * sizeof(*t->routers);
}

/* ---- learning scope ---- */

/* A run of addresses, first and last, in the family's width. */
struct rule_span {
	struct rule_u128 lo;
	struct rule_u128 hi;
};

static int
rule_span_cmp(const void *a, const void *b)
{
	const struct rule_span *x = a, *y = b;

	return rule_u128_cmp(&x->lo, &y->lo);
}

/*
 * The span a rule puts in the learning scope, if any: the DST of a tell
 * rule; for a redirect rule, the addresses in both its SRC and its DST
 * (the hairpin: clients asking for each other live on the link).  A
 * redirect rule whose SRC is the whole space says "anyone asking",
 * which places nobody on the link, so it adds nothing: a client must not
 * get a host route for an upstream address by claiming it.
 */
static bool
rule_scope_span(uint8_t family, const struct rule *r, struct rule_span *out)
{
	struct rule_span src;

	rule_range(family, &r->dst, &r->dstmask, &out->lo, &out->hi);
	if (r->action == CONF_ACTION_TELL)
		return true;
	if (r->action != CONF_ACTION_REDIRECT ||
	    (r->srcmask.w[0] == 0 && r->srcmask.w[1] == 0))
		return false;
	rule_range(family, &r->src, &r->srcmask, &src.lo, &src.hi);
	/* Prefixes are nested or apart: the intersection is the inner one. */
	if (rule_u128_cmp(&src.lo, &out->lo) > 0)
		out->lo = src.lo;
	if (rule_u128_cmp(&src.hi, &out->hi) < 0)
		out->hi = src.hi;
	return rule_u128_cmp(&out->lo, &out->hi) <= 0;
}

/*
 * The learning scope as sorted disjoint spans: the spans are nested or
 * apart, so after sorting by start one sweep merges them.
 */
static int
rule_set_scope(struct rule_set *s)
{
	struct rule_span span;
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += rule_scope_span(s->family, &s->v[i], &span);
	if (n == 0)
		return 0;
	s->scope = malloc(n * sizeof(*s->scope));
	if (s->scope == NULL)
		return -1;
	for (i = 0; i < s->n; i++)
		if (rule_scope_span(s->family, &s->v[i], &span))
			s->scope[s->nscope++] = span;
	qsort(s->scope, s->nscope, sizeof(*s->scope), rule_span_cmp);
	for (i = n = 0; i < s->nscope; i++) {
		if (n > 0 && rule_u128_cmp(&s->scope[i].lo,
		    &s->scope[n - 1].hi) <= 0) {
			if (rule_u128_cmp(&s->scope[i].hi,
			    &s->scope[n - 1].hi) > 0)
				s->scope[n - 1].hi = s->scope[i].hi;
			continue;
		}
		s->scope[n++] = s->scope[i];
	}
	s->nscope = n;
	return 0;
}

bool
rule_scope_covers(const struct rule_table *t, const struct addr_ip *ip)
{
	const struct rule_set *s;
	struct rule_u128 k;
	size_t lo = 0, hi;

	if (ip->family == ADDR_V4) {
		s = &t->v4;
		k.hi = 0;
		k.lo = rule_be32(ip->b);
	} else if (ip->family == ADDR_V6) {
		s = &t->v6;
		k.hi = rule_be64(ip->b);
		k.lo = rule_be64(ip->b + 8);
	} else
		return false;
	/* The last span starting at or below k must contain it. */
	hi = s->nscope;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rule_u128_cmp(&s->scope[mid].lo, &k) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && rule_u128_cmp(&k, &s->scope[lo - 1].hi) <= 0;
}

size_t
rule_set_scope_memory(const struct rule_set *s)
{
	return s->nscope * sizeof(*s->scope);
}

static bool
rule_conf_valid(const struct conf_rule *cr)
{
	uint8_t f = cr->src.ip.family;

	if (f != ADDR_V4 && f != ADDR_V6)
		return false;
	if (cr->dst.ip.family != f)
		return false;
	if (cr->src.len > addr_family_bits(f) ||
	    cr->dst.len > addr_family_bits(f))
		return false;
	return cr->action != CONF_ACTION_REDIRECT || cr->router.family == f;
}

static int
rule_table_add(struct rule_table *t, const struct conf_rule *cr,
    size_t index)
{
	struct rule_set *s = cr->src.ip.family == ADDR_V4 ? &t->v4 : &t->v6;
	struct rule *r = &s->v[s->n];

	rule_compile_one(r, cr);
	r->index = (uint32_t)index;
	if (cr->action == CONF_ACTION_REDIRECT &&
	    rule_router_index(t, &cr->router, &r->router) != 0)
		return -1;
	s->n++;
	return 0;
}

int
rule_table_compile(struct rule_table *t, const struct conf_iface *ci)
{
	size_t i, n = ci->nrules > 0 ? ci->nrules : 1;

	memset(t, 0, sizeof(*t));
	t->v4.v = calloc(n, sizeof(*t->v4.v));
	t->v6.v = calloc(n, sizeof(*t->v6.v));
	if (t->v4.v == NULL || t->v6.v == NULL)
		goto fail;
	t->v4.family = ADDR_V4;
	t->v6.family = ADDR_V6;
	for (i = 0; i < ci->nrules; i++) {
		/* The parser refuses mixed families; never match them. */
		if (!rule_conf_valid(&ci->rules[i]))
			continue;
		if (rule_table_add(t, &ci->rules[i], i) != 0)
			goto fail;
	}
	if (rule_set_index(&t->v4) != 0 || rule_set_index(&t->v6) != 0 ||
	    rule_set_scope(&t->v4) != 0 || rule_set_scope(&t->v6) != 0)
		goto fail;
	return 0;
fail:
	rule_table_free(t);
	return -1;
}

void
rule_table_free(struct rule_table *t)
{
	rule_set_free_index(&t->v4);
	rule_set_free_index(&t->v6);
	free(t->v4.scope);
	free(t->v6.scope);
	free(t->v4.v);
	free(t->v6.v);
	free(t->routers);
	memset(t, 0, sizeof(*t));
}

static const struct rule_set *
rule_set_of(const struct rule_table *t, const struct addr_ip *src,
    const struct addr_ip *dst)
{
	if (src->family != dst->family)
		return NULL;
	if (src->family == ADDR_V4)
		return &t->v4;
	if (src->family == ADDR_V6)
		return &t->v6;
	return NULL;
}

static const struct rule *
rule_scan(const struct rule_set *s, const struct rule_key *sk,
    const struct rule_key *dk)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct rule *r = &s->v[i];

		if (rule_key_in(sk, &r->src, &r->srcmask) &&
		    rule_key_in(dk, &r->dst, &r->dstmask))
			return r;
	}
	return NULL;
}

static const struct rule *
rule_scan_ips(const struct rule_set *s, const struct addr_ip *src,
    const struct addr_ip *dst)
{
	struct rule_key sk, dk;

	rule_key_from_ip(&sk, src);
	rule_key_from_ip(&dk, dst);
	return rule_scan(s, &sk, &dk);
}

const struct rule *
rule_match(const struct rule_table *t, const struct addr_ip *src,
    const struct addr_ip *dst)
{
	const struct rule_set *s = rule_set_of(t, src, dst);

	if (s == NULL)
		return NULL;
	if (s->chunks == NULL)
		return rule_scan_ips(s, src, dst);
	if (s->family == ADDR_V4)
		return rule_search4(s, rule_be32(src->b), rule_be32(dst->b));
	return rule_search6(s, src->b, dst->b);
}

const struct rule *
rule_match_linear(const struct rule_table *t, const struct addr_ip *src,
    const struct addr_ip *dst)
{
	const struct rule_set *s = rule_set_of(t, src, dst);

	return s != NULL ? rule_scan_ips(s, src, dst) : NULL;
}

const struct addr_ip *
rule_router(const struct rule_table *t, const struct rule *r)
{
	if (r->router == RULE_NO_ROUTER || r->router >= t->nrouters)
		return NULL;
	return &t->routers[r->router];
}
