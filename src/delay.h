/*
 * Delay windows for rules marked `delay`: per (interface, requester,
 * target) the time the current window opened and how many requests fell
 * into it.  Bounded: when full, the window opened longest ago is dropped.
 * Windows expire lazily, when the same triple asks again.
 */
#ifndef PARPD_DELAY_H
#define PARPD_DELAY_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "siphash.h"

struct delay;

struct delay *delay_new(uint32_t tablesize, uint32_t limit,
    const struct siphash_key *key);
void delay_free(struct delay *d);
void delay_clear(struct delay *d);

/*
 * Counts one request at now: a request at most window_ms after its
 * window's opening adds one (inclusive: a requester retrying every second
 * makes 4 within `delay 4*3'), a later one opens a new window with count
 * 1.  Returns the count including this request, or 0 on allocation
 * failure.
 */
uint32_t delay_count(struct delay *d, unsigned iface,
    const struct addr_ip *requester, const struct addr_ip *target,
    uint64_t now, uint64_t window_ms);

/*
 * What delay_count would return at now, without counting: 1 for a
 * triple with no open window.  For explaining, not deciding.
 */
uint32_t delay_peek(const struct delay *d, unsigned iface,
    const struct addr_ip *requester, const struct addr_ip *target,
    uint64_t now, uint64_t window_ms);

size_t delay_windows(const struct delay *d);
/* Bytes allocated now. */
size_t delay_memory(const struct delay *d);

#endif
