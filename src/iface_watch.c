/*
 * Interface change notices.  See iface_watch.h.  Messages are read with
 * memcpy at explicit offsets, as in route_netlink.c.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "iface_watch.h"

#if defined(__linux__)

#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* Larger than any one notice (a link's, with all its attributes). */
#define IFACE_WATCH_BUF 32768

struct iface_watch {
	int fd;
	uint8_t buf[IFACE_WATCH_BUF];
};

struct iface_watch *
iface_watch_open(void)
{
	struct sockaddr_nl sa;
	struct iface_watch *w;
	int e;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE);
	if (w->fd < 0) {
		e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		iface_watch_close(w);
		errno = e;
		return NULL;
	}
	return w;
}

void
iface_watch_close(struct iface_watch *w)
{
	if (w == NULL)
		return;
	close(w->fd);
	free(w);
}

int
iface_watch_fd(const struct iface_watch *w)
{
	return w->fd;
}

/* The IFLA_IFNAME of the link notice at msg (len bytes) into name. */
static const char *
iface_watch_ifname(const uint8_t *msg, size_t len, char *name, size_t size)
{
	struct rtattr rta;
	size_t off, n;

	for (off = NLMSG_SPACE(sizeof(struct ifinfomsg));
	    off + RTA_LENGTH(0) <= len; off += RTA_ALIGN(rta.rta_len)) {
		memcpy(&rta, msg + off, sizeof(rta));
		if (rta.rta_len < RTA_LENGTH(0) || off + rta.rta_len > len)
			break;
		if (rta.rta_type != IFLA_IFNAME)
			continue;
		n = rta.rta_len - RTA_LENGTH(0);
		if (n >= size)
			n = size - 1;
		memcpy(name, msg + off + RTA_LENGTH(0), n);
		name[n] = '\0';
		return name;
	}
	return NULL;
}

static void
iface_watch_parse(const uint8_t *buf, size_t len, iface_watch_fn *fn,
    void *arg)
{
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct ifaddrmsg ifa;
	char name[IF_NAMESIZE];
	size_t off;

	for (off = 0; off + NLMSG_HDRLEN <= len;
	    off += NLMSG_ALIGN(nh.nlmsg_len)) {
		memcpy(&nh, buf + off, sizeof(nh));
		if (nh.nlmsg_len < NLMSG_HDRLEN || off + nh.nlmsg_len > len)
			return;
		switch (nh.nlmsg_type) {
		case RTM_NEWLINK:
		case RTM_DELLINK:
			if (nh.nlmsg_len < NLMSG_LENGTH(sizeof(ifi)))
				break;
			memcpy(&ifi, buf + off + NLMSG_HDRLEN, sizeof(ifi));
			fn(arg, (unsigned)ifi.ifi_index, iface_watch_ifname(
			    buf + off, nh.nlmsg_len, name, sizeof(name)));
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			if (nh.nlmsg_len < NLMSG_LENGTH(sizeof(ifa)))
				break;
			memcpy(&ifa, buf + off + NLMSG_HDRLEN, sizeof(ifa));
			fn(arg, ifa.ifa_index, NULL);
			break;
		default:
			break;
		}
	}
}

void
iface_watch_drain(struct iface_watch *w, iface_watch_fn *fn, void *arg)
{
	struct sockaddr_nl from;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	for (;;) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = w->buf;
		iov.iov_len = sizeof(w->buf);
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(w->fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		/* The socket's buffer overflowed: notices were dropped. */
		if (n < 0 && errno == ENOBUFS) {
			fn(arg, 0, NULL);
			continue;
		}
		if (n < 0)
			return; /* EAGAIN: all read */
		/* Only the kernel's: any local process can write to us. */
		if (mh.msg_namelen < sizeof(from) || from.nl_pid != 0)
			continue;
		if ((mh.msg_flags & MSG_TRUNC) != 0) {
			fn(arg, 0, NULL);
			continue;
		}
		iface_watch_parse(w->buf, (size_t)n, fn, arg);
	}
}

#else /* no notices: the rescan alone */

struct iface_watch *
iface_watch_open(void)
{
	errno = ENOTSUP;
	return NULL;
}

void
iface_watch_close(struct iface_watch *w)
{
	(void)w;
}

int
iface_watch_fd(const struct iface_watch *w)
{
	(void)w;
	return -1;
}

void
iface_watch_drain(struct iface_watch *w, iface_watch_fn *fn, void *arg)
{
	(void)w;
	(void)fn;
	(void)arg;
}

#endif
