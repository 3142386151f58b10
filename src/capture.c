/*
 * The capture front end and the libpcap back end.  See capture.h.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sendmmsg */
#endif
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#if defined(__linux__)
#include <linux/if_packet.h>
#endif

#include "capture.h"

struct capture {
	const struct capture_ops *ops;
	void *h;
	unsigned ntx;			/* frames queued in tx */
	struct iovec txv[CAPTURE_TXBATCH];
	uint8_t tx[CAPTURE_TXBATCH][CAPTURE_TXFRAME];
};

struct capture_pcap {
	pcap_t *p;
	int fd;
	uint64_t truncated;
};

struct capture_ctx {
	capture_frame_fn *fn;
	void *arg;
	struct capture_pcap *c;
};

static void
capture_set_err(char *err, size_t errlen, const char *what,
    const char *detail)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", what, detail);
}

/*
 * Neighbor Solicitations go to solicited-node multicast groups
 * (RFC 4861 7.2.2) that no local address joined, and Ethernet
 * controllers drop multicast nobody asked for.  On Linux the packet
 * socket can hold an all-multicast membership, which the kernel drops
 * when the socket closes.  The BSDs have no such membership for user
 * space; there the capture runs in promiscuous mode instead (the kernel
 * filter still passes ARP and NS/NA only).
 */
static int
capture_all_multicast(struct capture_pcap *c, const char *ifname, char *err,
    size_t errlen)
{
#if defined(__linux__)
	struct packet_mreq mr;
	unsigned idx;

	if ((idx = if_nametoindex(ifname)) == 0) {
		capture_set_err(err, errlen, "if_nametoindex",
		    strerror(errno));
		return -1;
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)idx;
	mr.mr_type = PACKET_MR_ALLMULTI;
	if (setsockopt(pcap_fileno(c->p), SOL_PACKET, PACKET_ADD_MEMBERSHIP,
	    &mr, sizeof(mr)) < 0) {
		capture_set_err(err, errlen, "PACKET_ADD_MEMBERSHIP",
		    strerror(errno));
		return -1;
	}
#else
	(void)c;
	(void)ifname;
	(void)err;
	(void)errlen;
#endif
	return 0;
}

static void *
capture_pcap_open(const char *where, const char *ifname, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct capture_pcap *c;
	int rc;

	(void)where;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		capture_set_err(err, errlen, "capture", strerror(errno));
		return NULL;
	}
	ebuf[0] = '\0';
	if ((c->p = pcap_create(ifname, ebuf)) == NULL) {
		capture_set_err(err, errlen, "pcap_create", ebuf);
		free(c);
		return NULL;
	}
	if (pcap_set_snaplen(c->p, CAPTURE_SNAPLEN) != 0 ||
	    pcap_set_immediate_mode(c->p, 1) != 0 ||
	    pcap_set_buffer_size(c->p, CAPTURE_BUFSIZE) != 0 ||
#if defined(__linux__)
	    pcap_set_promisc(c->p, 0) != 0
#else
	    pcap_set_promisc(c->p, 1) != 0
#endif
	    ) {
		capture_set_err(err, errlen, "pcap_set", pcap_geterr(c->p));
		goto fail;
	}
	rc = pcap_activate(c->p);
	if (rc < 0) {
		capture_set_err(err, errlen, "pcap_activate",
		    rc == PCAP_ERROR ? pcap_geterr(c->p) : pcap_statustostr(rc));
		goto fail;
	}
	/* Warnings (rc > 0) such as PCAP_WARNING_PROMISC_NOTSUP are fine. */
	if (pcap_datalink(c->p) != DLT_EN10MB) {
		capture_set_err(err, errlen, "pcap_datalink",
		    "not an Ethernet interface");
		goto fail;
	}
	if (pcap_compile(c->p, &prog, CAPTURE_FILTER, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		capture_set_err(err, errlen, "pcap_compile", pcap_geterr(c->p));
		goto fail;
	}
	rc = pcap_setfilter(c->p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		capture_set_err(err, errlen, "pcap_setfilter",
		    pcap_geterr(c->p));
		goto fail;
	}
	/* Our own answers are not input; where unsupported the core
	 * recognises them by the interface's MAC (rx_own). */
	(void)pcap_setdirection(c->p, PCAP_D_IN);
	if (pcap_setnonblock(c->p, 1, ebuf) != 0) {
		capture_set_err(err, errlen, "pcap_setnonblock", ebuf);
		goto fail;
	}
	if ((c->fd = pcap_get_selectable_fd(c->p)) < 0) {
		capture_set_err(err, errlen, "pcap_get_selectable_fd",
		    "no pollable descriptor");
		goto fail;
	}
	if (capture_all_multicast(c, ifname, err, errlen) < 0)
		goto fail;
	return c;
fail:
	pcap_close(c->p);
	free(c);
	return NULL;
}

static void
capture_pcap_close(void *h)
{
	struct capture_pcap *c = h;

	pcap_close(c->p);
	free(c);
}

static int
capture_pcap_fd(const void *h)
{
	const struct capture_pcap *c = h;

	return c->fd;
}

static void
capture_callback(u_char *user, const struct pcap_pkthdr *h,
    const u_char *bytes)
{
	struct capture_ctx ctx;

	memcpy(&ctx, user, sizeof(ctx));
	if (h->caplen < h->len)
		ctx.c->truncated++;
	ctx.fn(ctx.arg, bytes, h->caplen);
}

static int
capture_pcap_drain(void *h, capture_frame_fn *fn, void *arg, char *err,
    size_t errlen)
{
	struct capture_pcap *c = h;
	struct capture_ctx ctx = { fn, arg, c };
	int n, total = 0, round;

	for (round = 0; round < CAPTURE_DRAIN_ROUNDS; round++) {
		n = pcap_dispatch(c->p, -1, capture_callback, (u_char *)&ctx);
		if (n < 0) {
			capture_set_err(err, errlen, "pcap_dispatch",
			    n == PCAP_ERROR ? pcap_geterr(c->p) :
			    pcap_statustostr(n));
			return -1;
		}
		if (n == 0)
			break;
		total += n;
	}
	return total;
}

static int
capture_pcap_inject(void *h, const uint8_t *frame, size_t len, char *err,
    size_t errlen)
{
	struct capture_pcap *c = h;
	int n;

	n = pcap_inject(c->p, frame, len);
	if (n < 0) {
		capture_set_err(err, errlen, "pcap_inject", pcap_geterr(c->p));
		return -1;
	}
	if ((size_t)n != len) {
		capture_set_err(err, errlen, "pcap_inject", "short write");
		return -1;
	}
	return 0;
}

#if defined(__linux__)
/* The capture's socket is bound to its interface: no address needed. */
static int
capture_pcap_send_batch(void *h, struct iovec *v, unsigned n, char *err,
    size_t errlen)
{
	struct capture_pcap *c = h;
	struct mmsghdr mm[CAPTURE_TXBATCH];
	unsigned i;
	int r;

	if (n > CAPTURE_TXBATCH)
		n = CAPTURE_TXBATCH;
	memset(mm, 0, sizeof(mm[0]) * n);
	for (i = 0; i < n; i++) {
		mm[i].msg_hdr.msg_iov = &v[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	r = sendmmsg(pcap_fileno(c->p), mm, n, 0);
	if (r < 0)
		capture_set_err(err, errlen, "sendmmsg", strerror(errno));
	return r;
}
#define CAPTURE_PCAP_SEND_BATCH capture_pcap_send_batch
#else
#define CAPTURE_PCAP_SEND_BATCH NULL
#endif

static struct capture_stats
capture_pcap_stats(void *h)
{
	struct capture_pcap *c = h;
	struct capture_stats cs = { false, 0, 0, c->truncated };
	struct pcap_stat st;

	memset(&st, 0, sizeof(st));
	if (pcap_stats(c->p, &st) == 0) {
		cs.ok = true;
		cs.received = st.ps_recv;
		cs.dropped = (uint64_t)st.ps_drop + st.ps_ifdrop;
	}
	return cs;
}

const struct capture_ops capture_pcap_ops = {
	"libpcap",
	capture_pcap_open,
	capture_pcap_close,
	capture_pcap_fd,
	capture_pcap_drain,
	capture_pcap_inject,
	CAPTURE_PCAP_SEND_BATCH,
	capture_pcap_stats,
};

const struct capture_ops *
capture_default_ops(void)
{
	return &capture_pcap_ops;
}

/* ---- front end ---- */

struct capture *
capture_open(const struct capture_ops *ops, const char *where,
    const char *ifname, char *err, size_t errlen)
{
	struct capture *c;

	if (ops == NULL)
		ops = capture_default_ops();
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		capture_set_err(err, errlen, "capture", strerror(errno));
		return NULL;
	}
	c->ops = ops;
	if ((c->h = ops->open(where, ifname, err, errlen)) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	c->ops->close(c->h);
	free(c);
}

int
capture_fd(const struct capture *c)
{
	return c->ops->fd(c->h);
}

int
capture_drain(struct capture *c, capture_frame_fn *fn, void *arg, char *err,
    size_t errlen)
{
	return c->ops->drain(c->h, fn, arg, err, errlen);
}

bool
capture_queue(struct capture *c, const uint8_t *frame, size_t len)
{
	if (c->ntx == CAPTURE_TXBATCH || len > CAPTURE_TXFRAME)
		return false;
	memcpy(c->tx[c->ntx], frame, len);
	c->txv[c->ntx].iov_base = c->tx[c->ntx];
	c->txv[c->ntx].iov_len = len;
	c->ntx++;
	return true;
}

unsigned
capture_queued(const struct capture *c)
{
	return c->ntx;
}

unsigned
capture_flush(struct capture *c, unsigned *failed, char *err, size_t errlen)
{
	char other[CAPTURE_ERRLEN];
	unsigned i = 0, sent = 0;
	int k;

	*failed = 0;
	while (i < c->ntx) {
		/* The first failure's reason is the one reported. */
		char *why = *failed == 0 ? err : other;
		size_t whylen = *failed == 0 ? errlen : sizeof(other);

		if (c->ops->send_batch != NULL)
			k = c->ops->send_batch(c->h, c->txv + i, c->ntx - i,
			    why, whylen);
		else
			k = c->ops->inject(c->h, c->tx[i], c->txv[i].iov_len,
			    why, whylen) == 0 ? 1 : -1;
		if (k > 0) {
			sent += (unsigned)k;
			i += (unsigned)k;
		} else {	/* frame i refused: count it, go on after it */
			if (k == 0)
				snprintf(why, whylen, "send: nothing sent");
			(*failed)++;
			i++;
		}
	}
	c->ntx = 0;
	return sent;
}

struct capture_stats
capture_stats(struct capture *c)
{
	return c->ops->stats(c->h);
}
