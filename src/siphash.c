/*
 * SipHash, written from the description in the paper: four 64-bit words
 * of state, 8-byte little-endian message words each absorbed with c
 * SipRounds, the length in the top byte of the last word, then 0xff
 * folded into v2 and d finalisation rounds.  SipHash-c-d for (2, 4) and
 * (1, 3).
 */
#include "config.h"

#include "siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sipstate {
	uint64_t v0, v1, v2, v3;
};

static inline void
siphash_round(struct sipstate *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL(s->v2, 32);
}

/* Whole words: one load on little-endian machines after optimisation. */
static inline uint64_t
siphash_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
}

static uint64_t
siphash_load64(const uint8_t *p, size_t n)
{
	uint64_t w = 0;
	size_t i;

	for (i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

void
siphash_key_from_bytes(struct siphash_key *key, const uint8_t b[16])
{
	key->k0 = siphash_le64(b);
	key->k1 = siphash_le64(b + 8);
}

static uint64_t
siphash_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
siphash_key_from_seed(struct siphash_key *key, uint64_t seed)
{
	key->k0 = siphash_splitmix64(&seed);
	key->k1 = siphash_splitmix64(&seed);
}

static inline uint64_t
siphash_cd(const struct siphash_key *key, const void *data, size_t len,
    unsigned c, unsigned d)
{
	const uint8_t *p = data;
	struct sipstate s;
	size_t off;
	uint64_t m;
	unsigned i;

	/* "somepseudorandomlygeneratedbytes", as in the paper. */
	s.v0 = key->k0 ^ 0x736f6d6570736575ULL;
	s.v1 = key->k1 ^ 0x646f72616e646f6dULL;
	s.v2 = key->k0 ^ 0x6c7967656e657261ULL;
	s.v3 = key->k1 ^ 0x7465646279746573ULL;
	for (off = 0;; off += 8) {
		if (off + 8 <= len)
			m = siphash_le64(p + off);
		else
			m = siphash_load64(p + off, len - off) |
			    ((uint64_t)(len & 0xff) << 56);
		s.v3 ^= m;
		for (i = 0; i < c; i++)
			siphash_round(&s);
		s.v0 ^= m;
		if (off + 8 > len)
			break;
	}
	s.v2 ^= 0xff;
	for (i = 0; i < d; i++)
		siphash_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t
siphash24(const struct siphash_key *key, const void *data, size_t len)
{
	return siphash_cd(key, data, len, 2, 4);
}

uint64_t
siphash13(const struct siphash_key *key, const void *data, size_t len)
{
	return siphash_cd(key, data, len, 1, 3);
}
