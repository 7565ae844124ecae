/* fbp.h: filtered backprojection of parallel-beam sinograms on the CPU — the
 * filter of fbp_filter.h followed by the backprojector of backproject.h, both
 * run on one thread pool that the plan creates once.
 *
 * Geometry as in geometry.h. The result is the attenuation per pixel: for a
 * uniform disc of attenuation 1 per pixel whose projections are the chord
 * lengths in pixels, the reconstruction is 1 inside the disc.
 *
 * Plan / execute / destroy as in FFTW: the plan holds the angles, the filter,
 * the mask and the threads; execute may be called any number of times, from
 * one thread at a time. The result does not depend on the number of threads
 * (bit for bit). */
#ifndef SAVU_FBP_H
#define SAVU_FBP_H

#include "error.h"

typedef struct savu_fbp_plan savu_fbp_plan;

/* A plan for sinograms of n_angles rows of `width` detector pixels at
 * angles_deg (degrees), with filter `filter` (see fbp_filter.h), circular mask
 * `ratio` (see backproject.h; <= 0 for none) and n_threads threads (>= 1).
 * NULL with err set on bad arguments. */
savu_fbp_plan *savu_fbp_create(int width, int n_angles, const double *angles_deg,
                               const char *filter, double ratio, int n_threads, savu_error *err);

/* Reconstructs n_slices slices: sinograms is [slice][angle][detector x]
 * (n_slices x n_angles x width, left unchanged), cor[slice] the centre of
 * rotation of each slice in detector pixels (savu_default_cor(width) for the
 * middle), out [slice][ix][iz] (n_slices x width x width). 0, or -1 with err
 * set. */
int savu_fbp_execute(savu_fbp_plan *plan, const float *sinograms, int n_slices, const double *cor,
                     float *out, savu_error *err);

void savu_fbp_destroy(savu_fbp_plan *plan);

#endif
