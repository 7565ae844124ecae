/* phantom_detector.h: how savu_phantom turns line integrals into uint16
 * detector counts. A frame's expected counts are
 *     dark:       dark_level
 *     flat:       flat_level                         (no gain errors)
 *     projection: dark_level + (flat_level - dark_level) * gain(u, v) * exp(-p)
 * rounded (no noise) or drawn from a Poisson distribution of that mean
 * (--noise: the dark current and the beam are both counting noise), clipped
 * to 0..65535. gain(u, v) is 1, or uniform in [1 - rings, 1 + rings] per
 * detector pixel (--rings): errors that flat-field correction cannot remove,
 * so they make ring artefacts. Zingers set a random fraction of projection
 * pixels to 65535. Every random number is keyed by (seed, frame, pixel). */
#ifndef SAVU_PHANTOM_DETECTOR_H
#define SAVU_PHANTOM_DETECTOR_H

#include <stdint.h>
#include "error.h"
#include "phantom_params.h"

#define SAVU_DETECTOR_SATURATED 65535

typedef struct savu_detector {
    int width, rows;
    double flat_level, dark_level;
    bool noise;
    uint64_t seed;
    double zingers;
    float *gain; /* rows * width, or NULL when there are no gain errors */
} savu_detector;

/* Error: "out of memory for the detector gains (N pixels)". */
int savu_detector_init(savu_detector *d, const savu_phantom_params *p, savu_error *err);
void savu_detector_free(savu_detector *d);

/* Gain of pixel u on row v (1 without --rings). */
double savu_detector_gain(const savu_detector *d, int u, int v);

/* Counts of row v of frame `frame` (its index in the file) with image key
 * `key`; line_integrals (width values) is read for projections only. */
void savu_detector_row(const savu_detector *d, int frame, int key, int v,
                       const double *line_integrals, uint16_t *out);

#endif
