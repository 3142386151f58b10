/*
 * Capture and injection on one interface: ARP and ICMPv6 Neighbor
 * Solicitations/Advertisements coming in, answers going out.  The system
 * side is a table of functions (struct capture_ops), like routes: libpcap
 * in production (capture_pcap_ops), a pipe of hex lines in the daemon's
 * tests (capture_file_ops, see capture_file.c).
 */
#ifndef PARPD_CAPTURE_H
#define PARPD_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iovec;

/*
 * Bytes kept of each frame: a whole standard Ethernet frame with one
 * VLAN tag (1518 + 4).  An NS may carry any options (RFC 4861 4.3, 4.6:
 * "MUST silently ignore" unknown ones) and a cut one is refused by the
 * codec (payload past the end), but no Neighbor Discovery message needs
 * a jumbo frame.  The length matters: libpcap's ring on Linux gives
 * every frame a slot of this size, and a 64 KB snapshot left room for
 * about 60 frames in the buffer below (tests/integration/t_burst.sh).
 * Frames still cut (caplen < len) are counted as truncated.
 */
#define CAPTURE_SNAPLEN 1522
/*
 * Kernel buffer: absorbs a burst (a flood of invented senders, each
 * costing a route) while the loop is busy; about 5000 frames (slots of
 * CAPTURE_SNAPLEN and the ring's headers), 25 ms at 200,000 frames/s.
 */
#define CAPTURE_BUFSIZE (8 * 1024 * 1024)
/*
 * Frames sent while a drain runs are queued and sent together, one
 * system call for up to CAPTURE_TXBATCH (sendmmsg on Linux): at 200,000
 * answers a second the system calls were most of parpd's own time.
 * Every frame the core builds fits a slot (CODEC_FRAME_MAX is 86;
 * daemon.c asserts it).
 */
#define CAPTURE_TXBATCH 64
#define CAPTURE_TXFRAME 128
/* Frames are read in rounds of pcap_dispatch(); bound one wake-up. */
#define CAPTURE_DRAIN_ROUNDS 64

/*
 * The kernel filter: ARP, and IPv6 whose next header is ICMPv6 (58) with
 * type NS (135) or NA (136).  Extension headers are not followed; the
 * codec refuses them too.
 */
#define CAPTURE_FILTER \
	"arp or (ip6 and ip6[6] == 58 and (ip6[40] == 135 or ip6[40] == 136))"

/* Room for the reasons capture_* report (PCAP_ERRBUF_SIZE and more). */
#define CAPTURE_ERRLEN 512

struct capture;

typedef void capture_frame_fn(void *arg, const uint8_t *frame, size_t len);

/*
 * Kernel statistics since open: frames the kernel filter passed, and
 * frames dropped for lack of buffer space.  ok is false if the platform
 * cannot tell.
 */
struct capture_stats {
	bool ok;
	uint64_t received;
	uint64_t dropped;
	uint64_t truncated;	/* handed over shorter than on the wire */
};

/* A back end; each function has the contract of its capture_* wrapper. */
struct capture_ops {
	const char *name;
	/* where: back-end specific (the file back end's directory). */
	void *(*open)(const char *where, const char *ifname, char *err,
	    size_t errlen);
	void (*close)(void *h);
	int (*fd)(const void *h);
	int (*drain)(void *h, capture_frame_fn *fn, void *arg, char *err,
	    size_t errlen);
	int (*inject)(void *h, const uint8_t *frame, size_t len, char *err,
	    size_t errlen);
	/*
	 * Optional: send v[0..n-1] in one go.  The number sent from the
	 * front (the first unsent one failed), or -1 with the reason when
	 * the first failed.  NULL: the front end injects one by one.
	 */
	int (*send_batch)(void *h, struct iovec *v, unsigned n, char *err,
	    size_t errlen);
	struct capture_stats (*stats)(void *h);
};

extern const struct capture_ops capture_pcap_ops;
extern const struct capture_ops capture_file_ops;

/* libpcap. */
const struct capture_ops *capture_default_ops(void);

/*
 * Open, configure and activate a capture on ifname through ops (NULL:
 * the default).  NULL on failure, with the reason in err.
 */
struct capture *capture_open(const struct capture_ops *ops,
    const char *where, const char *ifname, char *err, size_t errlen);
void capture_close(struct capture *c);

/* The descriptor to poll for input. */
int capture_fd(const struct capture *c);

/*
 * Hand every pending frame to fn (at most CAPTURE_DRAIN_ROUNDS
 * dispatches).  Returns the number of frames, or -1 with the reason in
 * err: the capture is then unusable (interface gone or down).
 */
int capture_drain(struct capture *c, capture_frame_fn *fn, void *arg,
    char *err, size_t errlen);

/*
 * Queue a copy of one frame (at most CAPTURE_TXFRAME bytes) for
 * capture_flush().  False when the queue is full (flush first) or the
 * frame too long.
 */
bool capture_queue(struct capture *c, const uint8_t *frame, size_t len);
/* Frames queued and not yet sent. */
unsigned capture_queued(const struct capture *c);
/*
 * Send the queued frames and empty the queue.  Returns how many were
 * sent; *failed is how many were refused, the first one's reason in err.
 */
unsigned capture_flush(struct capture *c, unsigned *failed, char *err,
    size_t errlen);

struct capture_stats capture_stats(struct capture *c);

#endif
