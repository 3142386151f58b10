/*
 * Rule matcher: compiled prefixes as masked 64-bit words, and a
 * tuple-space index over them (see rule.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rule.h"

#define RULE_SLOT_EMPTY UINT32_MAX
/* Below this many rules, or with too many groups, a scan is as fast. */
#define RULE_INDEX_MIN_RULES 8
#define RULE_INDEX_RULES_PER_GROUP 4

/* The rules of one (SRC length, DST length) pair. */
struct rule_group {
	struct rule_key srcmask;
	struct rule_key dstmask;
	unsigned srclen;
	unsigned dstlen;
	uint32_t first;	  /* smallest rule index in the group */
	uint32_t *slots;  /* open addressing: rule index or EMPTY */
	uint32_t mask;	  /* number of slots - 1 */
};

void
rule_key_from_ip(struct rule_key *k, const struct addr_ip *ip)
{
	unsigned n = ip->family == ADDR_V4 ? 4 : 16, i;

	k->w[0] = k->w[1] = 0;
	for (i = 0; i < n; i++)
		k->w[i / 8] |= (uint64_t)ip->b[i] << (56 - 8 * (i % 8));
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
rule_key_equal(const struct rule_key *a, const struct rule_key *b)
{
	return ((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1])) == 0;
}

static bool
rule_key_in(const struct rule_key *k, const struct rule_key *net,
    const struct rule_key *mask)
{
	return (((k->w[0] & mask->w[0]) ^ net->w[0]) |
	    ((k->w[1] & mask->w[1]) ^ net->w[1])) == 0;
}

static uint32_t
rule_hash(const struct rule_key *s, const struct rule_key *d)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	unsigned i;

	for (i = 0; i < 2; i++) {
		h = (h ^ s->w[i]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
		h = (h ^ d->w[i]) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ (h >> 32));
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

static unsigned
rule_mask_len(const struct rule_key *m)
{
	return (unsigned)(__builtin_popcountll(m->w[0]) +
	    __builtin_popcountll(m->w[1]));
}

static struct rule_group *
rule_group_find(struct rule_set *s, unsigned srclen, unsigned dstlen)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (s->groups[i].srclen == srclen &&
		    s->groups[i].dstlen == dstlen)
			return &s->groups[i];
	return NULL;
}

static void
rule_group_insert(struct rule_group *g, const struct rule_set *s,
    uint32_t idx)
{
	const struct rule *r = &s->v[idx];
	uint32_t i = rule_hash(&r->src, &r->dst) & g->mask;

	for (;; i = (i + 1) & g->mask) {
		const struct rule *o;

		if (g->slots[i] == RULE_SLOT_EMPTY) {
			g->slots[i] = idx;
			return;
		}
		o = &s->v[g->slots[i]];
		/* A later rule with the same prefixes is shadowed. */
		if (rule_key_equal(&o->src, &r->src) &&
		    rule_key_equal(&o->dst, &r->dst))
			return;
	}
}

/* Collects the groups in the order of their first rule. */
static int
rule_set_groups(struct rule_set *s)
{
	size_t i;

	s->groups = calloc(s->n, sizeof(*s->groups));
	if (s->groups == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		unsigned sl = rule_mask_len(&s->v[i].srcmask);
		unsigned dl = rule_mask_len(&s->v[i].dstmask);
		struct rule_group *g = rule_group_find(s, sl, dl);

		if (g != NULL)
			continue;
		g = &s->groups[s->ngroups++];
		g->srclen = sl;
		g->dstlen = dl;
		g->srcmask = s->v[i].srcmask;
		g->dstmask = s->v[i].dstmask;
		g->first = (uint32_t)i;
	}
	return 0;
}

static int
rule_group_fill(struct rule_set *s, struct rule_group *g)
{
	size_t members = 0, i, size = 4;

	for (i = g->first; i < s->n; i++)
		if (rule_key_equal(&s->v[i].srcmask, &g->srcmask) &&
		    rule_key_equal(&s->v[i].dstmask, &g->dstmask))
			members++;
	while (size < 2 * members)
		size *= 2;
	g->slots = malloc(size * sizeof(*g->slots));
	if (g->slots == NULL)
		return -1;
	memset(g->slots, 0xff, size * sizeof(*g->slots));
	g->mask = (uint32_t)(size - 1);
	for (i = g->first; i < s->n; i++)
		if (rule_key_equal(&s->v[i].srcmask, &g->srcmask) &&
		    rule_key_equal(&s->v[i].dstmask, &g->dstmask))
			rule_group_insert(g, s, (uint32_t)i);
	return 0;
}

static void
rule_set_free_index(struct rule_set *s)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		free(s->groups[i].slots);
	free(s->groups);
	s->groups = NULL;
	s->ngroups = 0;
}

static int
rule_set_index(struct rule_set *s)
{
	size_t i;

	if (s->n < RULE_INDEX_MIN_RULES)
		return 0;
	if (rule_set_groups(s) != 0)
		return -1;
	if (s->ngroups * RULE_INDEX_RULES_PER_GROUP > s->n) {
		rule_set_free_index(s);
		return 0;
	}
	for (i = 0; i < s->ngroups; i++) {
		if (rule_group_fill(s, &s->groups[i]) != 0) {
			rule_set_free_index(s);
			return -1;
		}
	}
	return 0;
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
rule_table_add(struct rule_table *t, const struct conf_rule *cr)
{
	struct rule_set *s = cr->src.ip.family == ADDR_V4 ? &t->v4 : &t->v6;
	struct rule *r = &s->v[s->n];

	rule_compile_one(r, cr);
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
	for (i = 0; i < ci->nrules; i++) {
		/* The parser refuses mixed families; never match them. */
		if (!rule_conf_valid(&ci->rules[i]))
			continue;
		if (rule_table_add(t, &ci->rules[i]) != 0)
			goto fail;
	}
	if (rule_set_index(&t->v4) != 0 || rule_set_index(&t->v6) != 0)
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

static uint32_t
rule_group_lookup(const struct rule_set *s, const struct rule_group *g,
    const struct rule_key *sk, const struct rule_key *dk)
{
	struct rule_key ms, md;
	uint32_t i;

	rule_key_and(&ms, sk, &g->srcmask);
	rule_key_and(&md, dk, &g->dstmask);
	for (i = rule_hash(&ms, &md) & g->mask;; i = (i + 1) & g->mask) {
		const struct rule *r;

		if (g->slots[i] == RULE_SLOT_EMPTY)
			return RULE_SLOT_EMPTY;
		r = &s->v[g->slots[i]];
		if (rule_key_equal(&r->src, &ms) &&
		    rule_key_equal(&r->dst, &md))
			return g->slots[i];
	}
}

static const struct rule *
rule_search(const struct rule_set *s, const struct rule_key *sk,
    const struct rule_key *dk)
{
	uint32_t best = RULE_SLOT_EMPTY;
	size_t i;

	for (i = 0; i < s->ngroups; i++) {
		const struct rule_group *g = &s->groups[i];
		uint32_t hit;

		/* Groups are ordered by first rule: none later can win. */
		if (best != RULE_SLOT_EMPTY && g->first > best)
			break;
		hit = rule_group_lookup(s, g, sk, dk);
		if (hit < best)
			best = hit;
	}
	return best == RULE_SLOT_EMPTY ? NULL : &s->v[best];
}

const struct rule *
rule_match(const struct rule_table *t, const struct addr_ip *src,
    const struct addr_ip *dst)
{
	const struct rule_set *s = rule_set_of(t, src, dst);
	struct rule_key sk, dk;

	if (s == NULL)
		return NULL;
	rule_key_from_ip(&sk, src);
	rule_key_from_ip(&dk, dst);
	if (s->groups == NULL)
		return rule_scan(s, &sk, &dk);
	return rule_search(s, &sk, &dk);
}

const struct rule *
rule_match_linear(const struct rule_table *t, const struct addr_ip *src,
    const struct addr_ip *dst)
{
	const struct rule_set *s = rule_set_of(t, src, dst);
	struct rule_key sk, dk;

	if (s == NULL)
		return NULL;
	rule_key_from_ip(&sk, src);
	rule_key_from_ip(&dk, dst);
	return rule_scan(s, &sk, &dk);
}

const struct addr_ip *
rule_router(const struct rule_table *t, const struct rule *r)
{
	if (r->router == RULE_NO_ROUTER || r->router >= t->nrouters)
		return NULL;
	return &t->routers[r->router];
}
