/* phantom_random.h: reproducible random numbers for savu_phantom. A stream
 * is keyed by (seed, purpose, frame, pixel), so every pixel draws the same
 * numbers whichever thread computes it and in whatever order: the file is
 * the same for any thread count. Uniforms come from SplitMix64; Poisson
 * counts by inversion for small means and Hörmann's transformed rejection
 * (PTRS, 1993) for means of 10 and above. */
#ifndef SAVU_PHANTOM_RANDOM_H
#define SAVU_PHANTOM_RANDOM_H

#include <stdint.h>

typedef struct savu_random {
    uint64_t state;
} savu_random;

/* What a stream is for, so that different uses never share numbers. */
enum { SAVU_RANDOM_NOISE = 1, SAVU_RANDOM_GAIN = 2, SAVU_RANDOM_ZINGER = 3 };

void savu_random_start(savu_random *r, uint64_t seed, uint64_t purpose, uint64_t frame,
                       uint64_t pixel);

/* Uniform in [0, 1), 53 random bits. */
double savu_random_uniform(savu_random *r);

/* A Poisson-distributed count with this mean (>= 0). */
double savu_random_poisson(savu_random *r, double mean);

#endif
