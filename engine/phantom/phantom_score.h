/* phantom_score.h: how close a reconstruction is to the phantom. The
 * reconstructed volume (width, rows, width) — attenuation per pixel, as
 * geometry.h — is compared, slice by slice, with the point-sampled phantom
 * times its scale, over the voxels inside the field-of-view disc (the disc
 * about the rotation axis that every projection sees: radius
 * min(cor, width - 1 - cor) pixels), on every row. Reported in phantom
 * units (divided by the scale):
 *   RMSE  root of the mean squared difference;
 *   PSNR  20 log10(range / RMSE), range = max - min of the sampled phantom in
 *         the disc (1 for the modified Shepp–Logan); infinite when RMSE is 0;
 *   SSIM  mean over the disc's voxels of the structural similarity of each
 *         slice (Wang et al. 2004): Gaussian window of 11 x 11, sigma 1.5,
 *         K1 0.01, K2 0.03, dynamic range = range. Window statistics use
 *         only voxels inside the disc (weights renormalised), so values
 *         outside the field of view never count. */
#ifndef SAVU_PHANTOM_SCORE_H
#define SAVU_PHANTOM_SCORE_H

#include <stdbool.h>
#include "error.h"
#include "phantom_model.h"

typedef struct savu_scores {
    double rmse, psnr, ssim;
    long long voxels; /* voxels scored */
    double range;     /* phantom units */
} savu_scores;

/* Radius of the field-of-view disc in pixels. */
double savu_score_fov_radius(const savu_phantom *ph);

/* Whether voxel (ix, *, iz) of a slice lies in the disc. */
bool savu_score_in_fov(const savu_phantom *ph, int ix, int iz);

/* Accumulates the metrics slice by slice, in slice order, so that the
 * result does not depend on the number of threads. */
typedef struct savu_score {
    const savu_phantom *ph;
    double range;   /* attenuation units */
    double sum_sq;  /* attenuation units squared */
    double ssim_sum;
    long long voxels;
    unsigned char *mask; /* width * width: in the disc */
    int threads;         /* workers with scratch */
    double *scratch;     /* threads * SAVU_SCORE_PLANES * width * width */
} savu_score;

/* Planes of width x width doubles each worker needs. */
#define SAVU_SCORE_PLANES 9

/* Sets up for phantom ph with scratch for `threads` workers (fewer when
 * their scratch would pass 2 GiB), finding the range over the sampled
 * volume on them. Errors: "out of memory scoring slices of W x W", "the
 * field of view is empty (centre of rotation at pixel C)". */
int savu_score_init(savu_score *s, const savu_phantom *ph, int threads, savu_error *err);

/* Adds slice v: recon[ix * width + iz] in attenuation units. */
void savu_score_add_slice(savu_score *s, int v, const double *recon);

/* The metrics of the slices added so far. */
void savu_score_result(const savu_score *s, savu_scores *out);

void savu_score_free(savu_score *s);

/* Reads slice v of the reconstruction into out (width * width). Called
 * from worker threads, one call at a time. */
typedef int (*savu_slice_read_fn)(void *ctx, int v, double *out, savu_error *err);

/* Scores a whole volume, all rows, read slice by slice and scored on
 * `threads` threads. */
int savu_score_volume(const savu_phantom *ph, savu_slice_read_fn read, void *ctx, int threads,
                      savu_scores *out, savu_error *err);

#endif
