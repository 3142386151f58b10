/*
 * Host routes: the backend-independent part.  See route.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "route.h"

struct route_backend {
	const struct route_ops *ops;
	void *h;
	struct route_counters c;
};

const struct route_ops *
route_default_ops(void)
{
#if defined(__linux__)
	return &route_netlink_ops;
#else
	return &route_dnet_ops;
#endif
}

struct route_backend *
route_backend_open(const struct route_ops *ops, const char *state, char *err,
    size_t errlen)
{
	struct route_backend *rb;

	if ((rb = calloc(1, sizeof(*rb))) == NULL)
		return NULL;
	rb->ops = ops;
	if ((rb->h = ops->open(state, err, errlen)) == NULL) {
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

int
route_host_add(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	int e = rb->ops->add(rb->h, ip, ifname);

	if (e == 0) {
		rb->c.added++;
		return 0;
	}
	if (e == EEXIST) {
		rb->c.benign++;
		return 0;
	}
	rb->c.errors++;
	return e;
}

int
route_host_del(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	int e = rb->ops->del(rb->h, ip, ifname);

	if (e == 0) {
		rb->c.deleted++;
		return 0;
	}
	/* Already gone: the kernel drops routes with their interface. */
	if (e == ESRCH || e == ENOENT || e == ENODEV || e == ENXIO) {
		rb->c.benign++;
		return 0;
	}
	rb->c.errors++;
	return e;
}

int
route_host_move(struct route_backend *rb, const struct addr_ip *ip,
    const char *from, const char *to)
{
	int e1, e2;

	e1 = route_host_del(rb, ip, from);
	e2 = route_host_add(rb, ip, to);
	if (e1 == 0 && e2 == 0)
		rb->c.moved++;
	return e1 != 0 ? e1 : e2;
}

int
route_flush(struct route_backend *rb, const char *ifname, route_flush_fn *fn,
    void *arg)
{
	int n = rb->ops->flush(rb->h, ifname, fn, arg);

	if (n > 0)
		rb->c.flushed += (uint64_t)n;
	else if (n < 0)
		rb->c.errors++;
	return n;
}
