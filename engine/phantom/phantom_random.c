/* phantom_random.c: keyed SplitMix64 streams and Poisson sampling (see
 * phantom_random.h). */
#include "phantom_random.h"
#include <math.h>

/* SplitMix64's output function: a bijective 64-bit mix. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ULL

void savu_random_start(savu_random *r, uint64_t seed, uint64_t purpose, uint64_t frame,
                       uint64_t pixel)
{
    uint64_t h = mix64(seed + GOLDEN_GAMMA);
    h = mix64(h ^ (purpose * 0xd1b54a32d192ed03ULL));
    h = mix64(h ^ (frame * 0xaef17502108ef2d9ULL));
    h = mix64(h ^ (pixel * 0xf58a8c3b0f4b0a5dULL));
    r->state = h;
}

static uint64_t next64(savu_random *r)
{
    r->state += GOLDEN_GAMMA;
    return mix64(r->state);
}

double savu_random_uniform(savu_random *r)
{
    return (double)(next64(r) >> 11) * 0x1.0p-53;
}

/* Inversion: walk the cumulative distribution from 0. For mean < 10. */
static double poisson_small(savu_random *r, double mean)
{
    double u = savu_random_uniform(r);
    double p = exp(-mean), cumulative = p;
    double k = 0;
    while (u > cumulative && k < 1000) {
        k += 1;
        p *= mean / k;
        cumulative += p;
    }
    return k;
}

/* W. Hörmann, "The transformed rejection method for generating Poisson
 * random variables", Insurance: Mathematics and Economics 12 (1993). */
static double poisson_ptrs(savu_random *r, double mean)
{
    double slam = sqrt(mean), loglam = log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    double v_r = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = savu_random_uniform(r) - 0.5;
        double v = savu_random_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= v_r)
            return k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        int sign;
        double log_k_factorial = lgamma_r(k + 1, &sign);
        if (log(v) + log(inv_alpha) - log(a / (us * us) + b) <=
            -mean + k * loglam - log_k_factorial)
            return k;
    }
}

double savu_random_poisson(savu_random *r, double mean)
{
    if (!(mean > 0))
        return 0;
    return mean < 10 ? poisson_small(r, mean) : poisson_ptrs(r, mean);
}
