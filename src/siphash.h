/*
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012): a keyed 64-bit hash, so that table collisions cannot be chosen
 * by whoever sends the frames.  SipHash-2-4 is the paper's PRF;
 * SipHash-1-3 is the reduced-round variant for hash tables (Rust's std
 * and OCaml use it), whose outputs an attacker never sees.
 */
#ifndef PARPD_SIPHASH_H
#define PARPD_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k0;
	uint64_t k1;
};

/* The 128-bit key as 16 bytes, little-endian halves as in the paper. */
void siphash_key_from_bytes(struct siphash_key *key, const uint8_t b[16]);
/* A key derived from a 64-bit seed (splitmix64 expansion). */
void siphash_key_from_seed(struct siphash_key *key, uint64_t seed);

uint64_t siphash24(const struct siphash_key *key, const void *data,
    size_t len);
uint64_t siphash13(const struct siphash_key *key, const void *data,
    size_t len);

#endif
