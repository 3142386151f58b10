/*
 * Host routes: the backend-independent part.  See route.h.
 *
 * The front end keeps the set of routes parpd installed itself
 * (route_set.c) and the queue of changes the core asked for.  The core
 * only says which routes it wants; whether one is parpd's is known here.
 *
 * A batch is the longest run of queued changes of which no two touch the
 * same route (address and interface): the marks a change is decided by
 * (is it parpd's route?) are then those left by every change before it,
 * exactly as if each had been carried out alone.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"
#include "route_priv.h"

/* A queued change: the interfaces are interned numbers. */
struct route_queued {
	struct addr_ip ip;
	uint8_t what;	/* enum route_change */
	uint16_t from;	/* a move's */
	uint16_t to;
};

/* Past this, an emptied queue gives its memory back. */
#define ROUTE_QUEUE_KEEP (4 * ROUTE_BATCH_MAX)

struct route_backend {
	const struct route_ops *ops;
	void *h;
	struct route_counters c;
	struct route_set set;
	route_done_fn *done;
	void *done_arg;
	struct route_queued *q;	/* changes q[head..n) wait */
	size_t head, n, cap;
};

const struct route_ops *
route_default_ops(void)
{
	return &PARPD_ROUTE_OPS; /* configure --with-route-backend */
}

struct route_backend *
route_backend_open(const struct route_ops *ops, const char *state, char *err,
    size_t errlen)
{
	struct route_backend *rb;

	if ((rb = calloc(1, sizeof(*rb))) == NULL)
		return NULL;
	rb->ops = ops;
	route_set_init(&rb->set);
	/* A queue of one batch at least, so that a change is never lost. */
	rb->cap = ROUTE_BATCH_MAX;
	if ((rb->q = calloc(rb->cap, sizeof(*rb->q))) == NULL ||
	    (rb->h = ops->open(state, err, errlen)) == NULL) {
		free(rb->q);
		free(rb);
		return NULL;
	}
	return rb;
}

void
route_backend_close(struct route_backend *rb)
{
	if (rb == NULL)
		return;
	rb->ops->close(rb->h);
	route_set_free(&rb->set);
	free(rb->q);
	free(rb);
}

const char *
route_backend_name(const struct route_backend *rb)
{
	return rb->ops->name;
}

const struct route_counters *
route_backend_counters(const struct route_backend *rb)
{
	return &rb->c;
}

void
route_backend_report(struct route_backend *rb, route_done_fn *fn, void *arg)
{
	rb->done = fn;
	rb->done_arg = arg;
}

bool
route_backend_owns(const struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	int ifx = route_set_ifx(&rb->set, ifname);

	return ifx >= 0 && route_set_get(&rb->set, ip, (unsigned)ifx) ==
	    ROUTE_MARK_OWN;
}

size_t
route_backend_owned(const struct route_backend *rb)
{
	return rb->set.nown;
}

/* ---- carrying changes out ---- */

static void
route_run(struct route_backend *rb, struct route_request *req, size_t n)
{
	size_t i;

	if (rb->ops->batch != NULL) {
		rb->ops->batch(rb->h, req, n);
		return;
	}
	for (i = 0; i < n; i++)
		req[i].result = req[i].add ?
		    rb->ops->add(rb->h, req[i].ip, req[i].ifname) :
		    rb->ops->del(rb->h, req[i].ip, req[i].ifname);
}

/* A delete's result saying the route was gone already. */
static bool
route_was_gone(int e)
{
	/* The kernel drops routes with their interface. */
	return e == ESRCH || e == ENOENT || e == ENODEV || e == ENXIO;
}

/* What an add's result e means; mark: the route's mark before it. */
static int
route_added(struct route_backend *rb, const struct addr_ip *ip, unsigned ifx,
    uint8_t mark, int e)
{
	if (e == 0) {
		if (!route_set_put(&rb->set, ip, ifx, ROUTE_MARK_OWN)) {
			/* Unrecorded, it would never be removed. */
			(void)rb->ops->del(rb->h, ip,
			    route_set_ifname(&rb->set, ifx));
			rb->c.errors++;
			return ENOMEM;
		}
		rb->c.added++;
		return 0;
	}
	if (e != EEXIST) {
		rb->c.errors++;
		return e;
	}
	/* Already there: parpd's own (added again), or someone else's. */
	if (mark == ROUTE_MARK_OWN) {
		rb->c.benign++;
		return 0;
	}
	rb->c.exists++;
	if (mark == ROUTE_MARK_FOREIGN)
		return 0;
	/* Without memory it is only said again next time. */
	(void)route_set_put(&rb->set, ip, ifx, ROUTE_MARK_FOREIGN);
	return EEXIST;
}

/*
 * What a delete's result e means; mark: the route's mark before it.  A
 * route that was not parpd's was not asked for (sent false): forgotten,
 * nothing touched.
 */
static int
route_deleted(struct route_backend *rb, const struct addr_ip *ip,
    unsigned ifx, uint8_t mark, bool sent, int e)
{
	if (!sent) {
		if (mark != 0)
			route_set_drop(&rb->set, ip, ifx);
		return 0;
	}
	if (e == 0) {
		route_set_drop(&rb->set, ip, ifx);
		rb->c.deleted++;
		return 0;
	}
	if (route_was_gone(e)) {
		route_set_drop(&rb->set, ip, ifx);
		rb->c.benign++;
		return 0;
	}
	/* Still recorded: removed at exit, or taken as parpd's if re-added. */
	rb->c.errors++;
	return e;
}

/* The routes (address, interface) a batch touches so far. */
struct route_touched {
	uint64_t bloom[4];	/* a cheap first test: 256 bits */
	/* At most two (a move's) for each change. */
	const struct addr_ip *ip[2 * ROUTE_BATCH_MAX];
	uint16_t ifx[2 * ROUTE_BATCH_MAX];
	size_t n;
};

static unsigned
route_touched_bit(const struct addr_ip *ip, unsigned ifx)
{
	return (unsigned)(ip->b[15] ^ ip->b[14] ^ ip->b[13] ^ ifx) & 255u;
}

static bool
route_touched_has(const struct route_touched *t, const struct addr_ip *ip,
    unsigned ifx)
{
	unsigned bit = route_touched_bit(ip, ifx);
	size_t i;

	if (!(t->bloom[bit / 64] & (UINT64_C(1) << (bit % 64))))
		return false;
	for (i = 0; i < t->n; i++)
		if (t->ifx[i] == ifx && addr_ip_equal(t->ip[i], ip))
			return true;
	return false;
}

static void
route_touched_add(struct route_touched *t, const struct addr_ip *ip,
    unsigned ifx)
{
	unsigned bit = route_touched_bit(ip, ifx);

	t->bloom[bit / 64] |= UINT64_C(1) << (bit % 64);
	t->ip[t->n] = ip;
	t->ifx[t->n++] = (uint16_t)ifx;
}

/* A change of the batch: the marks it was decided by, its requests. */
struct route_step {
	uint8_t mark_from, mark_to;
	int16_t del, add;	/* index of its request, or -1 */
};

static void
route_request_put(struct route_backend *rb, struct route_request *req,
    size_t *nreq, int16_t *at, const struct addr_ip *ip, unsigned ifx,
    bool add)
{
	*at = (int16_t)*nreq;
	req[*nreq].ip = ip;
	req[*nreq].ifname = route_set_ifname(&rb->set, ifx);
	req[*nreq].add = add;
	req[*nreq].result = 0;
	(*nreq)++;
}

/* Decide change c by the marks now; false if it does not fit the batch. */
static bool
route_step_plan(struct route_backend *rb, const struct route_queued *c,
    struct route_step *st, struct route_request *req, size_t *nreq,
    struct route_touched *t)
{
	bool move = c->what == ROUTE_CHANGE_MOVE;

	if (*nreq + (move ? 2u : 1u) > ROUTE_BATCH_MAX ||
	    route_touched_has(t, &c->ip, c->to) ||
	    (move && route_touched_has(t, &c->ip, c->from)))
		return false;
	route_touched_add(t, &c->ip, c->to);
	st->del = st->add = -1;
	st->mark_to = route_set_get(&rb->set, &c->ip, c->to);
	st->mark_from = move ? route_set_get(&rb->set, &c->ip, c->from) : 0;
	switch (c->what) {
	case ROUTE_CHANGE_ADD:
		route_request_put(rb, req, nreq, &st->add, &c->ip, c->to,
		    true);
		break;
	case ROUTE_CHANGE_DEL:
		/* Never parpd's: not asked for. */
		if (st->mark_to == ROUTE_MARK_OWN)
			route_request_put(rb, req, nreq, &st->del, &c->ip,
			    c->to, false);
		break;
	default:
		route_touched_add(t, &c->ip, c->from);
		if (st->mark_from == ROUTE_MARK_OWN)
			route_request_put(rb, req, nreq, &st->del, &c->ip,
			    c->from, false);
		route_request_put(rb, req, nreq, &st->add, &c->ip, c->to,
		    true);
		break;
	}
	return true;
}

/* Apply the results of change c's requests; its outcome. */
static int
route_step_done(struct route_backend *rb, const struct route_queued *c,
    const struct route_step *st, const struct route_request *req)
{
	int e1, e2;

	switch (c->what) {
	case ROUTE_CHANGE_ADD:
		return route_added(rb, &c->ip, c->to, st->mark_to,
		    req[st->add].result);
	case ROUTE_CHANGE_DEL:
		return route_deleted(rb, &c->ip, c->to, st->mark_to,
		    st->del >= 0, st->del >= 0 ? req[st->del].result : 0);
	default:
		e1 = route_deleted(rb, &c->ip, c->from, st->mark_from,
		    st->del >= 0, st->del >= 0 ? req[st->del].result : 0);
		e2 = route_added(rb, &c->ip, c->to, st->mark_to,
		    req[st->add].result);
		if (st->mark_from == ROUTE_MARK_OWN && e1 == 0 && e2 == 0 &&
		    route_set_get(&rb->set, &c->ip, c->to) == ROUTE_MARK_OWN)
			rb->c.moved++;
		return e1 != 0 ? e1 : e2;
	}
}

/* fn must not queue changes: the batch's requests point into the queue. */
static void
route_say(struct route_backend *rb, const struct route_queued *c, int e)
{
	if (rb->done == NULL)
		return;
	rb->done(rb->done_arg, (enum route_change)c->what, &c->ip,
	    c->what == ROUTE_CHANGE_MOVE ? route_set_ifname(&rb->set,
	    c->from) : NULL, route_set_ifname(&rb->set, c->to), e);
}

/* Carry out the batch that starts at q[0] (of n changes); how many. */
static size_t
route_batch(struct route_backend *rb, const struct route_queued *q, size_t n)
{
	struct route_request req[ROUTE_BATCH_MAX];
	struct route_step st[ROUTE_BATCH_MAX];
	struct route_touched t;
	size_t i, k, nreq = 0;

	t.n = 0;
	memset(t.bloom, 0, sizeof(t.bloom));
	for (k = 0; k < n && k < ROUTE_BATCH_MAX; k++)
		if (!route_step_plan(rb, &q[k], &st[k], req, &nreq, &t))
			break;
	if (nreq > 0)
		route_run(rb, req, nreq);
	for (i = 0; i < k; i++)
		route_say(rb, &q[i], route_step_done(rb, &q[i], &st[i], req));
	return k;
}

size_t
route_pending(const struct route_backend *rb)
{
	return rb->n - rb->head;
}

size_t
route_commit(struct route_backend *rb)
{
	size_t k;
	struct route_queued *v;

	if (rb->head == rb->n)
		return 0;
	k = route_batch(rb, rb->q + rb->head, rb->n - rb->head);
	rb->head += k;
	if (rb->head == rb->n) {
		rb->head = rb->n = 0;
		/* After a storm, back to one batch's worth. */
		if (rb->cap > ROUTE_QUEUE_KEEP && (v = realloc(rb->q,
		    ROUTE_BATCH_MAX * sizeof(*v))) != NULL) {
			rb->q = v;
			rb->cap = ROUTE_BATCH_MAX;
		}
	}
	return k;
}

/* Room at the end of the queue; false without memory. */
static bool
route_queue_room(struct route_backend *rb)
{
	struct route_queued *v;
	size_t cap;

	if (rb->n < rb->cap)
		return true;
	if (rb->head > 0) {
		memmove(rb->q, rb->q + rb->head,
		    (rb->n - rb->head) * sizeof(*rb->q));
		rb->n -= rb->head;
		rb->head = 0;
		return true;
	}
	cap = rb->cap * 2;
	if (cap > SIZE_MAX / sizeof(*v) ||
	    (v = realloc(rb->q, cap * sizeof(*v))) == NULL)
		return false;
	rb->q = v;
	rb->cap = cap;
	return true;
}

void
route_host_change(struct route_backend *rb, enum route_change what,
    const struct addr_ip *ip, const char *from, const char *to)
{
	struct route_queued c;
	int ito, ifrom = 0;

	memset(&c, 0, sizeof(c));
	c.ip = *ip;
	c.what = (uint8_t)what;
	ito = route_set_ifx_add(&rb->set, to);
	if (what == ROUTE_CHANGE_MOVE)
		ifrom = route_set_ifx_add(&rb->set, from);
	if (ito < 0 || ifrom < 0) {
		/* No memory for a new name: nothing is recorded on it. */
		rb->c.errors++;
		if (rb->done != NULL)
			rb->done(rb->done_arg, what, ip, from, to, ENOMEM);
		return;
	}
	c.to = (uint16_t)ito;
	c.from = (uint16_t)ifrom;
	if (!route_queue_room(rb)) {
		/* Carry out everything queued: the queue is empty then. */
		while (route_commit(rb) > 0)
			;
	}
	rb->q[rb->n++] = c;
}

/* ---- exit, leftovers ---- */

int
route_remove_all(struct route_backend *rb)
{
	struct route_request req[ROUTE_BATCH_MAX];
	struct addr_ip ip[ROUTE_BATCH_MAX];
	unsigned ifx;
	size_t pos = 0, i, n;
	int removed = 0;

	while (route_commit(rb) > 0)
		;
	for (;;) {
		for (n = 0; n < ROUTE_BATCH_MAX && route_set_walk(&rb->set,
		    &pos, ROUTE_MARK_OWN, &ip[n], &ifx); n++) {
			req[n].ip = &ip[n];
			req[n].ifname = route_set_ifname(&rb->set, ifx);
			req[n].add = false;
			req[n].result = 0;
		}
		if (n == 0)
			break;
		route_run(rb, req, n);
		for (i = 0; i < n; i++) {
			int e = req[i].result;

			if (e == 0)
				rb->c.deleted++;
			else if (route_was_gone(e))
				rb->c.benign++;
			else {
				rb->c.errors++;
				continue;
			}
			removed++;
		}
	}
	/* Those that failed too: nothing more is tried at exit. */
	route_set_drop_all(&rb->set, ROUTE_MARK_OWN);
	return removed;
}

struct route_flush_ctx {
	struct route_backend *rb;
	route_keep_fn *keep;
	route_flush_fn *fn;
	void *arg;
};

/* A leftover the caller keeps is recorded as parpd's own. */
static bool
route_kept(void *arg, const struct addr_ip *ip, const char *ifname)
{
	struct route_flush_ctx *x = arg;
	int ifx;

	if (x->keep == NULL || !x->keep(x->arg, ip, ifname))
		return false;
	/* Unrecorded, it would never be removed: not kept. */
	if ((ifx = route_set_ifx_add(&x->rb->set, ifname)) < 0 ||
	    !route_set_put(&x->rb->set, ip, (unsigned)ifx, ROUTE_MARK_OWN))
		return false;
	x->rb->c.kept++;
	return true;
}

static void
route_flushed(void *arg, const struct addr_ip *ip, const char *ifname)
{
	struct route_flush_ctx *x = arg;
	int ifx = route_set_ifx(&x->rb->set, ifname);

	if (ifx >= 0)
		route_set_drop(&x->rb->set, ip, (unsigned)ifx);
	if (x->fn != NULL)
		x->fn(x->arg, ip, ifname);
}

int
route_flush(struct route_backend *rb, const char *ifname, route_keep_fn *keep,
    route_flush_fn *fn, void *arg)
{
	struct route_flush_ctx x = { rb, keep, fn, arg };
	int n;

	/* What was asked for before comes first. */
	while (route_commit(rb) > 0)
		;
	n = rb->ops->flush(rb->h, ifname, route_kept, route_flushed, &x);

	if (n > 0)
		rb->c.flushed += (uint64_t)n;
	else if (n < 0)
		rb->c.errors++;
	return n;
}

int
route_neighbour(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname, struct addr_mac *mac)
{
	if (rb->ops->neighbour == NULL)
		return ENOTSUP;
	return rb->ops->neighbour(rb->h, ip, ifname, mac);
}
