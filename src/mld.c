/*
 * Solicited-node groups joined with IPV6_JOIN_GROUP on UDP sockets.  A
 * socket holds a bounded number of memberships (the kernel charges each
 * to the socket's option memory, net.core.optmem_max), so groups are
 * spread over sockets of MLD_PER_SOCKET each.  See mld.h.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "mld.h"

#define MLD_PER_SOCKET 128

struct mld_member {
	unsigned ifindex;
	uint8_t group[16];
	uint8_t rank;  /* 0: a static pair's or a router's, 1: learned */
	unsigned sock; /* index into socks */
};

struct mld_sock {
	int fd;
	unsigned used;
};

/*
 * want holds the first MLD_GROUPS_MAX groups seen so far, in the cut's
 * order (mld_cmp_cut), and what came since: when full it is sorted and
 * cut back, so it never grows with the cache (at a million learned
 * hosts it was two arrays of a million).
 */
#define MLD_WANT_CAP (2 * MLD_GROUPS_MAX)

/*
 * The groups of one interface wanted past the cut, a bit each, so that
 * mld_not_joined counts groups, not addresses (a link-local and a global
 * address of a host share one).  2^24 bits in leaves allocated on
 * demand: memory follows the groups' spread, at most 2 MB.
 */
#define MLD_LEAF_BITS 4096
#define MLD_LEAVES ((1u << 24) / MLD_LEAF_BITS)

struct mld_past {
	unsigned ifindex;
	uint8_t *leaf[MLD_LEAVES];
};

struct mld {
	struct mld_member *have; /* sorted by (ifindex, group) */
	size_t nhave, caphave;
	struct mld_member *want; /* built between begin and commit */
	size_t nwant, capwant;
	bool cut;		 /* want was cut back: groups past last dropped */
	struct mld_member last;	 /* the greatest group kept */
	struct mld_past **past;	 /* one per interface with groups past it */
	size_t npast;
	uint64_t not_joined;	 /* groups past the cut, each once */
	struct mld_sock *socks;
	size_t nsocks;
	struct mld_counters cnt;
};

void
mld_group(const struct addr_ip *ip, uint8_t group[16])
{
	static const uint8_t prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0x01, 0xff };

	memcpy(group, prefix, sizeof(prefix));
	memcpy(group + 13, ip->b + 13, 3);
}

struct mld *
mld_new(void)
{
	return calloc(1, sizeof(struct mld));
}

static int
mld_cmp(const void *a, const void *b)
{
	const struct mld_member *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return memcmp(x->group, y->group, sizeof(x->group));
}

/* The cut's order: static pairs and routers first, then by group. */
static int
mld_cmp_cut(const void *a, const void *b)
{
	const struct mld_member *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return mld_cmp(a, b);
}

/* By group, then rank: of a group wanted twice the better rank first. */
static int
mld_cmp_ranked(const void *a, const void *b)
{
	const struct mld_member *x = a, *y = b;
	int c = mld_cmp(a, b);

	return c != 0 ? c : (int)x->rank - (int)y->rank;
}

static int
mld_setsockopt(int fd, int opt, const struct mld_member *g)
{
	struct ipv6_mreq mr;

	memset(&mr, 0, sizeof(mr));
	memcpy(&mr.ipv6mr_multiaddr, g->group, sizeof(g->group));
	mr.ipv6mr_interface = g->ifindex;
	return setsockopt(fd, IPPROTO_IPV6, opt, &mr, sizeof(mr));
}

/* A socket with room for one more membership; -1 on failure. */
static int
mld_sock_with_room(struct mld *m, unsigned *at)
{
	struct mld_sock *v;
	size_t i;
	int fd;

	for (i = 0; i < m->nsocks; i++)
		if (m->socks[i].fd >= 0 && m->socks[i].used < MLD_PER_SOCKET) {
			*at = (unsigned)i;
			return 0;
		}
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	v = realloc(m->socks, (m->nsocks + 1) * sizeof(*v));
	if (v == NULL) {
		close(fd);
		return -1;
	}
	m->socks = v;
	m->socks[m->nsocks].fd = fd;
	m->socks[m->nsocks].used = 0;
	*at = (unsigned)m->nsocks++;
	return 0;
}

static bool
mld_join(struct mld *m, struct mld_member *g)
{
	if (mld_sock_with_room(m, &g->sock) != 0 ||
	    mld_setsockopt(m->socks[g->sock].fd, IPV6_JOIN_GROUP, g) != 0) {
		m->cnt.join_errors++;
		log_limited(LOG_KIND_MLD, LOG_WARNING, "joining a "
		    "solicited-node group on interface %u: %s", g->ifindex,
		    strerror(errno));
		return false;
	}
	m->socks[g->sock].used++;
	m->cnt.joins++;
	return true;
}

/* A leave that fails (the interface is gone) is no membership either. */
static void
mld_leave(struct mld *m, const struct mld_member *g)
{
	struct mld_sock *s = &m->socks[g->sock];

	(void)mld_setsockopt(s->fd, IPV6_LEAVE_GROUP, g);
	s->used--;
	m->cnt.leaves++;
}

/* Counts g, past the cut, unless it was counted already. */
static void
mld_past_add(struct mld *m, const struct mld_member *g)
{
	struct mld_past *p = NULL, **v;
	uint32_t bit = (uint32_t)g->group[13] << 16 |
	    (uint32_t)g->group[14] << 8 | g->group[15];
	uint8_t **leaf;
	size_t i;

	for (i = 0; i < m->npast && p == NULL; i++)
		if (m->past[i]->ifindex == g->ifindex)
			p = m->past[i];
	if (p == NULL) {
		v = realloc(m->past, (m->npast + 1) * sizeof(*v));
		if (v == NULL || (p = calloc(1, sizeof(*p))) == NULL) {
			if (v != NULL)
				m->past = v;
			m->not_joined++; /* without memory perhaps twice */
			return;
		}
		m->past = v;
		m->past[m->npast++] = p;
		p->ifindex = g->ifindex;
	}
	leaf = &p->leaf[bit / MLD_LEAF_BITS];
	if (*leaf == NULL && (*leaf = calloc(1, MLD_LEAF_BITS / 8)) == NULL) {
		m->not_joined++;
		return;
	}
	bit %= MLD_LEAF_BITS;
	if (((*leaf)[bit / 8] & (1u << bit % 8)) == 0) {
		(*leaf)[bit / 8] |= (uint8_t)(1u << bit % 8);
		m->not_joined++;
	}
}

/* g is joined after all: no longer counted past the cut. */
static void
mld_past_forget(struct mld *m, const struct mld_member *g)
{
	uint32_t bit = (uint32_t)g->group[13] << 16 |
	    (uint32_t)g->group[14] << 8 | g->group[15];
	uint8_t *leaf;
	size_t i;

	for (i = 0; i < m->npast; i++) {
		if (m->past[i]->ifindex != g->ifindex)
			continue;
		leaf = m->past[i]->leaf[bit / MLD_LEAF_BITS];
		bit %= MLD_LEAF_BITS;
		if (leaf != NULL && (leaf[bit / 8] & (1u << bit % 8)) != 0) {
			leaf[bit / 8] &= (uint8_t)~(1u << bit % 8);
			m->not_joined--;
		}
		return;
	}
}

static void
mld_past_clear(struct mld *m)
{
	size_t i, j;

	for (i = 0; i < m->npast; i++) {
		for (j = 0; j < MLD_LEAVES; j++)
			free(m->past[i]->leaf[j]);
		free(m->past[i]);
	}
	free(m->past);
	m->past = NULL;
	m->npast = 0;
	m->not_joined = 0;
}

/*
 * Sorts want by group, drops duplicates (keeping a group's better rank)
 * and cuts it back to the first MLD_GROUPS_MAX groups in the cut's order.
 * The cut only ever lowers the last member kept, so a group once past it
 * stays past it until the commit.
 */
static void
mld_want_cut(struct mld *m)
{
	size_t k = 0, n;

	if (m->nwant > 1)
		qsort(m->want, m->nwant, sizeof(*m->want), mld_cmp_ranked);
	for (n = 0; n < m->nwant; n++)	/* unique */
		if (k == 0 || mld_cmp(&m->want[k - 1], &m->want[n]) != 0)
			m->want[k++] = m->want[n];
	if (k >= MLD_GROUPS_MAX) {
		qsort(m->want, k, sizeof(*m->want), mld_cmp_cut);
		for (n = MLD_GROUPS_MAX; n < k; n++)
			mld_past_add(m, &m->want[n]);
		k = MLD_GROUPS_MAX;
		m->last = m->want[k - 1];
		m->cut = true;
		qsort(m->want, k, sizeof(*m->want), mld_cmp);
	}
	m->nwant = k;
}

void
mld_begin(struct mld *m)
{
	mld_past_clear(m);
	m->nwant = 0;
	m->cut = false;
}

void
mld_want(struct mld *m, unsigned ifindex, const struct addr_ip *ip,
    bool preferred)
{
	struct mld_member g, *v;

	if (ip->family != ADDR_V6 || ifindex == 0)
		return;
	memset(&g, 0, sizeof(g));
	g.ifindex = ifindex;
	mld_group(ip, g.group);
	g.rank = preferred ? 0 : 1;
	if (m->nwant == MLD_WANT_CAP)
		mld_want_cut(m);
	if (m->cut && mld_cmp_cut(&g, &m->last) > 0) {
		mld_past_add(m, &g);
		return;
	}
	if (m->nwant == m->capwant) {
		size_t cap = m->capwant > 0 ? m->capwant * 2 : 64;

		if (cap > MLD_WANT_CAP)
			cap = MLD_WANT_CAP;
		if ((v = realloc(m->want, cap * sizeof(*v))) == NULL)
			return; /* joined at the next commit with memory */
		m->want = v;
		m->capwant = cap;
	}
	m->want[m->nwant++] = g;
}

/*
 * Both lists sorted: one pass joins what only want has and leaves what
 * only have has.  want becomes have (members it could not join dropped,
 * to be tried at the next commit).
 */
void
mld_commit(struct mld *m)
{
	size_t i = 0, j = 0, k = 0, n, cap;
	struct mld_member *swap;
	int c;

	mld_want_cut(m);
	/*
	 * Beyond MLD_GROUPS_MAX (mld.h: why 512) the groups past it, in
	 * the cut's order (static pairs and routers first, then by group: a
	 * stable choice), are counted, not joined: their NS reach parpd
	 * where the switch floods.  A group counted past the cut as a
	 * learned address's and kept as a static pair's is joined.
	 */
	for (n = 0; n < m->nwant; n++)
		mld_past_forget(m, &m->want[n]);
	m->cnt.not_joined = m->not_joined;
	mld_past_clear(m);
	while (i < m->nhave || j < m->nwant) {
		c = i == m->nhave ? 1 : j == m->nwant ? -1 :
		    mld_cmp(&m->have[i], &m->want[j]);
		if (c < 0) {
			mld_leave(m, &m->have[i++]);
		} else if (c == 0) {
			m->want[k++] = m->have[i++];
			j++;
		} else {
			m->want[k] = m->want[j++];
			if (mld_join(m, &m->want[k]))
				k++;
		}
	}
	swap = m->have;
	m->have = m->want;
	m->want = swap;
	cap = m->caphave;
	m->caphave = m->capwant;
	m->capwant = cap;
	m->nhave = k;
	m->nwant = 0;
	m->cnt.joined = m->nhave;
}

const struct mld_counters *
mld_counters(const struct mld *m)
{
	return &m->cnt;
}

void
mld_free(struct mld *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nhave; i++)
		mld_leave(m, &m->have[i]);
	for (i = 0; i < m->nsocks; i++)
		if (m->socks[i].fd >= 0)
			close(m->socks[i].fd);
	mld_past_clear(m);
	free(m->socks);
	free(m->have);
	free(m->want);
	free(m);
}
