/*
 * Host routes over rtnetlink (Linux).  Every route carries rtm_protocol
 * ROUTE_PROTO_PARPD; deletions name that protocol too, so the kernel
 * never matches a route some other program or the operator installed.
 * Messages are built and read with memcpy at explicit offsets.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "route.h"

#define RTNL_BUF 16384
/* Leftovers collected from one dump before they are looked at. */
#define RTNL_FLUSH_MIN 256
/* The longest request: netlink header, rtmsg, RTA_DST, RTA_OIF. */
#define RTNL_REQ_MAX (NLMSG_SPACE(sizeof(struct rtmsg)) + RTA_SPACE(16) + \
	RTA_SPACE(4))
/*
 * Requests to one sendto.  The kernel answers each failure with an
 * error message carrying the request (about 100 bytes, under 1.3 kB of
 * receive buffer each): 128 of them fit the 425,984 bytes a socket gets
 * by default (rmem_max 212,992, doubled), so none is dropped.
 */
#define RTNL_BATCH 128

struct rtnl {
	int fd;
	uint32_t seq;
	uint32_t pid;
	uint8_t buf[RTNL_BUF];
	uint8_t out[RTNL_BATCH * RTNL_REQ_MAX];
};

static void *
rtnl_open(const char *state, char *err, size_t errlen)
{
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	/* The kernel answers at once; never hang the daemon on a lost ack. */
	struct timeval tv = { 2, 0 };
	struct rtnl *r;
	int rcvbuf = 1 << 20;

	(void)state;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (r->fd < 0)
		goto fail;
	(void)setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf));
	(void)setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(r->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(r->fd, (struct sockaddr *)&sa, &salen) < 0)
		goto fail;
	r->pid = sa.nl_pid;
	r->seq = 1;
	return r;
fail:
	if (err != NULL && errlen > 0)
		strncpy(err, strerror(errno), errlen - 1);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	return NULL;
}

static void
rtnl_close(void *h)
{
	struct rtnl *r = h;

	close(r->fd);
	free(r);
}

static size_t
rtnl_put_attr(uint8_t *b, size_t len, uint16_t type, const void *data,
    uint16_t dlen)
{
	struct rtattr rta;

	rta.rta_type = type;
	rta.rta_len = (unsigned short)RTA_LENGTH(dlen);
	memcpy(b + len, &rta, sizeof(rta));
	memcpy(b + len + RTA_LENGTH(0), data, dlen);
	return len + RTA_SPACE(dlen);
}

/* A route request for ip via ifindex into b (RTNL_REQ_MAX); its length. */
static size_t
rtnl_build(uint8_t *b, uint16_t type, uint16_t flags, uint32_t seq,
    const struct addr_ip *ip, unsigned ifindex)
{
	struct nlmsghdr nh;
	struct rtmsg rtm;
	uint32_t oif = ifindex;
	uint16_t alen = ip->family == ADDR_V4 ? 4 : 16;
	size_t len;

	memset(b, 0, RTNL_REQ_MAX);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = ip->family == ADDR_V4 ? AF_INET : AF_INET6;
	rtm.rtm_dst_len = (unsigned char)(alen * 8);
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = ROUTE_PROTO_PARPD;
	/* A directly reachable host; IPv6 routes carry no scope. */
	rtm.rtm_scope = ip->family == ADDR_V4 ? RT_SCOPE_LINK :
	    RT_SCOPE_UNIVERSE;
	rtm.rtm_type = RTN_UNICAST;
	len = NLMSG_HDRLEN;
	memcpy(b + len, &rtm, sizeof(rtm));
	len += NLMSG_ALIGN(sizeof(rtm));
	len = rtnl_put_attr(b, len, RTA_DST, ip->b, alen);
	len = rtnl_put_attr(b, len, RTA_OIF, &oif, sizeof(oif));

	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = (uint32_t)len;
	nh.nlmsg_type = type;
	nh.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	nh.nlmsg_seq = seq;
	memcpy(b, &nh, sizeof(nh));
	return len;
}

static int
rtnl_send(struct rtnl *r, const void *msg, size_t len)
{
	struct sockaddr_nl sa;
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do
		n = sendto(r->fd, msg, len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
	while (n < 0 && errno == EINTR);
	return n < 0 ? errno : 0;
}

/*
 * One message of parpd's (type, sequence number, bytes): RTNL_MORE to
 * read on, else the answer is complete and this is its outcome (0 or an
 * errno value).
 */
#define RTNL_MORE (-1)
typedef int rtnl_answer_fn(void *arg, const struct nlmsghdr *nh,
    const uint8_t *msg);

/*
 * Receive until fn says the answer is complete.  lossy: answers dropped
 * for want of buffer (ENOBUFS) do not stop the reading.  The outcome, or
 * the errno value that stopped the reading.
 */
static int
rtnl_read(struct rtnl *r, bool lossy, rtnl_answer_fn *fn, void *arg)
{
	struct nlmsghdr nh;
	size_t off;
	ssize_t n;
	int rc;

	for (;;) {
		do
			n = recv(r->fd, r->buf, sizeof(r->buf), 0);
		while (n < 0 && (errno == EINTR || (lossy &&
		    errno == ENOBUFS)));
		if (n < 0)
			return errno;
		for (off = 0; off + NLMSG_HDRLEN <= (size_t)n;
		    off += NLMSG_ALIGN(nh.nlmsg_len)) {
			memcpy(&nh, r->buf + off, sizeof(nh));
			if (nh.nlmsg_len < NLMSG_HDRLEN ||
			    off + nh.nlmsg_len > (size_t)n)
				return EPROTO;
			if (nh.nlmsg_pid != r->pid)
				continue;
			if ((rc = fn(arg, &nh, r->buf + off)) != RTNL_MORE)
				return rc;
		}
	}
}

/* The errno value of an NLMSG_ERROR message (0: an acknowledgement). */
static int
rtnl_error(const struct nlmsghdr *nh, const uint8_t *msg)
{
	int32_t e;

	if (nh->nlmsg_len < NLMSG_HDRLEN + sizeof(e))
		return EPROTO;
	memcpy(&e, msg + NLMSG_HDRLEN, sizeof(e));
	return -e;
}

/* For a dump, every message but the end goes to fn. */
typedef void rtnl_msg_fn(void *arg, const uint8_t *msg, size_t len);

struct rtnl_wait {
	uint32_t seq;
	rtnl_msg_fn *fn;
	void *arg;
};

static int
rtnl_wait_msg(void *arg, const struct nlmsghdr *nh, const uint8_t *msg)
{
	struct rtnl_wait *w = arg;

	if (nh->nlmsg_seq != w->seq)
		return RTNL_MORE;
	if (nh->nlmsg_type == NLMSG_DONE)
		return 0;
	if (nh->nlmsg_type == NLMSG_ERROR)
		return rtnl_error(nh, msg);
	if (w->fn != NULL)
		w->fn(w->arg, msg, nh->nlmsg_len);
	return RTNL_MORE;
}

/* Receive until request seq is answered or its dump ends: 0 or errno. */
static int
rtnl_recv(struct rtnl *r, uint32_t seq, rtnl_msg_fn *fn, void *arg)
{
	struct rtnl_wait w = { seq, fn, arg };

	return rtnl_read(r, false, rtnl_wait_msg, &w);
}

/*
 * A batch of requests numbered first..last, of which only failures and
 * the last one are answered: the kernel carries out a sendto's messages
 * in order and answers in order, so the last one's answer means all are
 * done.  A failure's error goes to its request (req[seq - first]); seen
 * is the highest number answered.  Answers dropped for want of buffer
 * (not expected at this size, see RTNL_BATCH) leave their requests
 * counted as done.
 */
struct rtnl_batch_wait {
	uint32_t first, last, seen;
	struct route_request *req;
};

static int
rtnl_batch_msg(void *arg, const struct nlmsghdr *nh, const uint8_t *msg)
{
	struct rtnl_batch_wait *w = arg;

	if (nh->nlmsg_type != NLMSG_ERROR || nh->nlmsg_seq < w->first ||
	    nh->nlmsg_seq > w->last)
		return RTNL_MORE;	/* an earlier batch's */
	w->req[nh->nlmsg_seq - w->first].result = rtnl_error(nh, msg);
	w->seen = nh->nlmsg_seq;
	return nh->nlmsg_seq == w->last ? 0 : RTNL_MORE;
}

/* At most RTNL_BATCH requests in one sendto. */
static void
rtnl_batch_send(struct rtnl *r, struct route_request *req, size_t n)
{
	char name[IF_NAMESIZE] = "";
	unsigned idx = 0;
	struct rtnl_batch_wait w;
	uint32_t first;
	size_t i, len = 0, at = 0, last = n;
	uint16_t flags;
	int e;

	/* Numbers stay increasing within a batch (0 is never used). */
	if (r->seq > UINT32_MAX - RTNL_BATCH - 1)
		r->seq = 0;
	first = r->seq + 1;
	for (i = 0; i < n; i++) {
		req[i].result = 0;
		if (req[i].ip->family != ADDR_V4 &&
		    req[i].ip->family != ADDR_V6) {
			req[i].result = EAFNOSUPPORT;
			continue;
		}
		/* A batch is mostly of one interface: asked once. */
		if (strncmp(name, req[i].ifname, sizeof(name)) != 0) {
			strncpy(name, req[i].ifname, sizeof(name) - 1);
			idx = if_nametoindex(name);
		}
		if (idx == 0) {
			req[i].result = ENODEV;
			continue;
		}
		/* EXCL: never replace a route someone else installed. */
		flags = req[i].add ? NLM_F_CREATE | NLM_F_EXCL : 0;
		at = len;
		last = i;
		len += rtnl_build(r->out + len, req[i].add ? RTM_NEWROUTE :
		    RTM_DELROUTE, flags, first + (uint32_t)i, req[i].ip, idx);
	}
	r->seq = first + (uint32_t)n - 1;
	if (len == 0)
		return;
	/* Only the last one is acknowledged when it succeeds. */
	memcpy(&flags, r->out + at + offsetof(struct nlmsghdr, nlmsg_flags),
	    sizeof(flags));
	flags |= NLM_F_ACK;
	memcpy(r->out + at + offsetof(struct nlmsghdr, nlmsg_flags), &flags,
	    sizeof(flags));
	w.first = first;
	w.last = first + (uint32_t)last;
	w.seen = 0;
	w.req = req;
	if ((e = rtnl_send(r, r->out, len)) == 0 &&
	    (e = rtnl_read(r, true, rtnl_batch_msg, &w)) == 0)
		return;
	/* Not known to be done: those after the last answer failed. */
	for (i = w.seen >= first ? w.seen - first + 1 : 0; i <= last; i++)
		if (req[i].result == 0)
			req[i].result = e;
}

static void
rtnl_batch(void *h, struct route_request *req, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += RTNL_BATCH)
		rtnl_batch_send(h, req + i, n - i < RTNL_BATCH ? n - i :
		    RTNL_BATCH);
}

static int
rtnl_one(void *h, const struct addr_ip *ip, const char *ifname, bool add)
{
	struct route_request req = { ip, ifname, add, 0 };

	rtnl_batch_send(h, &req, 1);
	return req.result;
}

static int
rtnl_add(void *h, const struct addr_ip *ip, const char *ifname)
{
	return rtnl_one(h, ip, ifname, true);
}

static int
rtnl_del(void *h, const struct addr_ip *ip, const char *ifname)
{
	return rtnl_one(h, ip, ifname, false);
}

/*
 * All of a dump is collected: the routes kept stay in the kernel, so a
 * dump taken again would list them again.
 */
struct rtnl_flush {
	unsigned ifindex;
	struct addr_ip *found;
	size_t n;
	size_t cap;
	bool nomem;
};

static void
rtnl_flush_msg(void *arg, const uint8_t *msg, size_t len)
{
	struct rtnl_flush *f = arg;
	struct nlmsghdr nh;
	struct rtmsg rtm;
	struct rtattr rta;
	struct addr_ip ip;
	uint32_t table, oif = 0;
	size_t off, alen;
	bool have_dst = false;

	memcpy(&nh, msg, sizeof(nh));
	if (nh.nlmsg_type != RTM_NEWROUTE ||
	    len < NLMSG_HDRLEN + sizeof(rtm))
		return;
	memcpy(&rtm, msg + NLMSG_HDRLEN, sizeof(rtm));
	if (rtm.rtm_protocol != ROUTE_PROTO_PARPD ||
	    (rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6))
		return;
	alen = rtm.rtm_family == AF_INET ? 4 : 16;
	if (rtm.rtm_dst_len != alen * 8)
		return;
	table = rtm.rtm_table;
	memset(&ip, 0, sizeof(ip));
	for (off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(rtm));
	    off + sizeof(rta) <= len; off += RTA_ALIGN(rta.rta_len)) {
		memcpy(&rta, msg + off, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || off + rta.rta_len > len)
			return;
		if (rta.rta_type == RTA_DST &&
		    rta.rta_len == RTA_LENGTH(alen)) {
			if (alen == 4)
				addr_ip_set4(&ip, msg + off + RTA_LENGTH(0));
			else
				addr_ip_set6(&ip, msg + off + RTA_LENGTH(0));
			have_dst = true;
		} else if (rta.rta_type == RTA_OIF &&
		    rta.rta_len == RTA_LENGTH(4))
			memcpy(&oif, msg + off + RTA_LENGTH(0), 4);
		else if (rta.rta_type == RTA_TABLE &&
		    rta.rta_len == RTA_LENGTH(4))
			memcpy(&table, msg + off + RTA_LENGTH(0), 4);
	}
	if (!have_dst || oif != f->ifindex || table != RT_TABLE_MAIN)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap == 0 ? RTNL_FLUSH_MIN : f->cap * 2;
		struct addr_ip *v = cap > SIZE_MAX / sizeof(*v) ? NULL :
		    realloc(f->found, cap * sizeof(*v));

		if (v == NULL) {
			f->nomem = true;
			return;
		}
		f->found = v;
		f->cap = cap;
	}
	f->found[f->n++] = ip;
}

static int
rtnl_dump(struct rtnl *r, unsigned char family, struct rtnl_flush *f)
{
	uint8_t b[NLMSG_SPACE(sizeof(struct rtmsg))];
	struct nlmsghdr nh;
	struct rtmsg rtm;
	int e;

	memset(b, 0, sizeof(b));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = family;
	memcpy(b + NLMSG_HDRLEN, &rtm, sizeof(rtm));
	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = sizeof(b);
	nh.nlmsg_type = RTM_GETROUTE;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh.nlmsg_seq = ++r->seq;
	memcpy(b, &nh, sizeof(nh));
	if ((e = rtnl_send(r, b, sizeof(b))) != 0)
		return e;
	return rtnl_recv(r, r->seq, rtnl_flush_msg, f);
}

static int
rtnl_flush(void *h, const char *ifname, route_keep_fn *keep,
    route_flush_fn *fn, void *arg)
{
	static const unsigned char families[] = { AF_INET, AF_INET6 };
	struct route_request req[RTNL_BATCH];
	struct rtnl *r = h;
	struct rtnl_flush *f;
	size_t i, j, k, m;
	int e, removed = 0;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -ENOMEM;
	if ((f->ifindex = if_nametoindex(ifname)) == 0) {
		/* No interface, no routes on it. */
		free(f);
		return 0;
	}
	for (k = 0; k < sizeof(families); k++) {
		/* Dump, then delete: a dump cannot be interleaved. */
		f->n = 0;
		if ((e = rtnl_dump(r, families[k], f)) != 0 ||
		    (f->nomem && (e = ENOMEM) != 0)) {
			free(f->found);
			free(f);
			return -e;
		}
		for (i = m = 0; i < f->n; i++) {
			/* Kept: an earlier run's host still there. */
			if (keep == NULL || !keep(arg, &f->found[i], ifname))
				req[m++] = (struct route_request){
				    &f->found[i], ifname, false, 0 };
			if (m < RTNL_BATCH && i + 1 < f->n)
				continue;
			rtnl_batch_send(r, req, m);
			for (j = 0; j < m; j++) {
				if (req[j].result != 0)
					continue;
				removed++;
				if (fn != NULL)
					fn(arg, req[j].ip, ifname);
			}
			m = 0;
		}
	}
	free(f->found);
	free(f);
	return removed;
}

/* ---- the kernel's neighbour table ---- */

/* Entries whose link-layer address the kernel holds as true. */
#define RTNL_NUD_VALID (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | \
	NUD_PERMANENT)

struct rtnl_neigh {
	struct addr_mac mac;
	bool found;
};

static void
rtnl_neigh_msg(void *arg, const uint8_t *msg, size_t len)
{
	struct rtnl_neigh *x = arg;
	struct nlmsghdr nh;
	struct ndmsg ndm;
	struct rtattr rta;
	size_t off;

	memcpy(&nh, msg, sizeof(nh));
	if (nh.nlmsg_type != RTM_NEWNEIGH ||
	    len < NLMSG_HDRLEN + sizeof(ndm))
		return;
	memcpy(&ndm, msg + NLMSG_HDRLEN, sizeof(ndm));
	if (!(ndm.ndm_state & RTNL_NUD_VALID))
		return;
	for (off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ndm));
	    off + sizeof(rta) <= len; off += RTA_ALIGN(rta.rta_len)) {
		memcpy(&rta, msg + off, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || off + rta.rta_len > len)
			return;
		if (rta.rta_type == NDA_LLADDR &&
		    rta.rta_len == RTA_LENGTH(6)) {
			memcpy(x->mac.b, msg + off + RTA_LENGTH(0), 6);
			x->found = true;
		}
	}
}

/*
 * One entry by address (RTM_GETNEIGH without a dump, Linux 5.0 and
 * later; older kernels refuse it and nothing is found).
 */
static int
rtnl_neighbour(void *h, const struct addr_ip *ip, const char *ifname,
    struct addr_mac *mac)
{
	struct rtnl *r = h;
	uint8_t b[NLMSG_SPACE(sizeof(struct ndmsg)) + RTA_SPACE(16)];
	struct rtnl_neigh x;
	struct nlmsghdr nh;
	struct ndmsg ndm;
	struct rtattr rta;
	uint16_t alen = ip->family == ADDR_V4 ? 4 : 16;
	size_t len;
	unsigned idx;
	int e;

	if (ip->family != ADDR_V4 && ip->family != ADDR_V6)
		return EAFNOSUPPORT;
	if ((idx = if_nametoindex(ifname)) == 0)
		return ENODEV;
	memset(b, 0, sizeof(b));
	memset(&ndm, 0, sizeof(ndm));
	ndm.ndm_family = ip->family == ADDR_V4 ? AF_INET : AF_INET6;
	ndm.ndm_ifindex = (int)idx;
	memcpy(b + NLMSG_HDRLEN, &ndm, sizeof(ndm));
	len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ndm));
	rta.rta_type = NDA_DST;
	rta.rta_len = (unsigned short)RTA_LENGTH(alen);
	memcpy(b + len, &rta, sizeof(rta));
	memcpy(b + len + RTA_LENGTH(0), ip->b, alen);
	len += RTA_SPACE(alen);
	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = (uint32_t)len;
	nh.nlmsg_type = RTM_GETNEIGH;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh.nlmsg_seq = ++r->seq;
	memcpy(b, &nh, sizeof(nh));
	if ((e = rtnl_send(r, b, len)) != 0)
		return e;
	memset(&x, 0, sizeof(x));
	if ((e = rtnl_recv(r, r->seq, rtnl_neigh_msg, &x)) != 0)
		return e;
	if (!x.found)
		return ENOENT;
	*mac = x.mac;
	return 0;
}

const struct route_ops route_netlink_ops = {
	.name = "rtnetlink",
	.open = rtnl_open,
	.close = rtnl_close,
	.add = rtnl_add,
	.del = rtnl_del,
	.batch = rtnl_batch,
	.flush = rtnl_flush,
	.neighbour = rtnl_neighbour,
};
