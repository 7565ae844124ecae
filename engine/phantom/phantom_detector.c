/* phantom_detector.c: counts from line integrals (see phantom_detector.h). */
#include "phantom_detector.h"
#include <math.h>
#include <stdlib.h>
#include "phantom_random.h"

int savu_detector_init(savu_detector *d, const savu_phantom_params *p, savu_error *err)
{
    *d = (savu_detector){
        .width = p->width,
        .rows = p->rows,
        .flat_level = p->flat_level,
        .dark_level = p->dark_level,
        .noise = p->noise,
        .seed = p->seed,
        .zingers = p->zingers,
        .gain = NULL,
    };
    if (p->rings <= 0)
        return 0;
    size_t pixels = (size_t)p->width * p->rows;
    d->gain = malloc(pixels * sizeof *d->gain);
    if (!d->gain)
        return savu_error_set(err, "out of memory for the detector gains (%zu pixels)", pixels);
    for (size_t i = 0; i < pixels; i++) {
        savu_random r;
        savu_random_start(&r, p->seed, SAVU_RANDOM_GAIN, 0, i);
        d->gain[i] = (float)(1.0 + p->rings * (2.0 * savu_random_uniform(&r) - 1.0));
    }
    return 0;
}

void savu_detector_free(savu_detector *d)
{
    free(d->gain);
    d->gain = NULL;
}

double savu_detector_gain(const savu_detector *d, int u, int v)
{
    return d->gain ? d->gain[(size_t)v * d->width + u] : 1.0;
}

static double expected_counts(const savu_detector *d, int key, int u, int v,
                              const double *line_integrals)
{
    switch (key) {
    case SAVU_KEY_DARK:
        return d->dark_level;
    case SAVU_KEY_FLAT:
        return d->flat_level;
    default:
        return d->dark_level + (d->flat_level - d->dark_level) * savu_detector_gain(d, u, v) *
                                   exp(-line_integrals[u]);
    }
}

static uint16_t to_counts(double counts)
{
    if (!(counts > 0))
        return 0;
    if (counts >= SAVU_DETECTOR_SATURATED)
        return SAVU_DETECTOR_SATURATED;
    return (uint16_t)(counts + 0.5); /* round half up; counts > 0 */
}

static bool is_zinger(const savu_detector *d, int frame, uint64_t pixel)
{
    savu_random r;
    savu_random_start(&r, d->seed, SAVU_RANDOM_ZINGER, (uint64_t)frame, pixel);
    return savu_random_uniform(&r) < d->zingers;
}

void savu_detector_row(const savu_detector *d, int frame, int key, int v,
                       const double *line_integrals, uint16_t *out)
{
    for (int u = 0; u < d->width; u++) {
        uint64_t pixel = (uint64_t)v * d->width + u;
        double counts = expected_counts(d, key, u, v, line_integrals);
        if (d->noise) {
            savu_random r;
            savu_random_start(&r, d->seed, SAVU_RANDOM_NOISE, (uint64_t)frame, pixel);
            counts = savu_random_poisson(&r, counts);
        }
        out[u] = to_counts(counts);
        if (key == SAVU_KEY_PROJECTION && d->zingers > 0 && is_zinger(d, frame, pixel))
            out[u] = SAVU_DETECTOR_SATURATED;
    }
}
