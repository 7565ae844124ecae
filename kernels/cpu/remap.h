/* remap.h: resampling of frames at source points fixed once, by linear
 * interpolation in both directions (scipy.ndimage.map_coordinates with
 * order=1, and skimage's bilinear warp: the same weights). The points are
 * (row, column) coordinates in the input frame, one per output pixel, set
 * by the caller (a distortion model, a rotation); the plan holds, per
 * point, the offset of its top-left neighbour and its two weights (the
 * distances past it, as float32: within 6e-8 pixel), so that a frame costs four reads and a few multiplies per
 * pixel (points whose neighbours are not the usual square, at and past the
 * edges, are redone from a short list of their own). Products and sums are
 * in double, each value rounded to float once, in scipy's order (value x
 * row weight x column weight, summed over the four neighbours row by row),
 * so that results match map_coordinates to the last bit. Plan once
 * (create), apply to any number of frames from any number of threads. */
#ifndef SAVU_REMAP_H
#define SAVU_REMAP_H

#include "error.h"

/* What a neighbour outside the frame reads. */
enum savu_remap_edge {
    /* The points lie within [0, rows - 1] x [0, cols - 1] (the caller
     * clipped them, as discorpy does); the neighbour past the last row or
     * column has weight 0 and reads the last one (scipy's 'reflect'). */
    SAVU_REMAP_INSIDE,
    /* skimage's 'reflect' (numpy.pad's and scipy's 'mirror'): the frame
     * mirrored about its first and last pixels, which are not repeated. */
    SAVU_REMAP_MIRROR,
};

typedef struct savu_remap savu_remap;

/* A plan for frames of in_rows x in_cols (fewer than 2^31 pixels) sampled
 * at n_points points, each set once with savu_remap_set before the first
 * apply. NULL with err set on bad arguments or no memory. */
savu_remap *savu_remap_create(long in_rows, long in_cols, long n_points,
                              enum savu_remap_edge edge, savu_error *err);
/* Point p (0 <= p < n_points) is (y, x): finite, within 2^30 pixels of the
 * frame. 0, or -1 with err set (no memory). */
int savu_remap_set(savu_remap *m, long p, double y, double x, savu_error *err);
/* One frame: out[p] = the input interpolated at point p, for every point.
 * in and out must not overlap. */
void savu_remap_apply(const savu_remap *m, const float *in, float *out);
void savu_remap_destroy(savu_remap *m);

#endif
