/* bin_reduce.h: one output frame of DownsampleFilter: bins of bin x bin
 * pixels of `depth` input frames (1, or bin for VOLUME_XZ) reduced to their
 * mean, median, min or max as skimage.measure.block_reduce does with
 * numpy's functions, after flipping the frames upside down and/or left to
 * right; values past an edge or in a missing frame count as zeros
 * (block_reduce's cval). With levels (255 or 65535) each value is first
 * clipped to [lo, hi] and scaled to [0, 1], and the result is the integer
 * part of levels times the reduced value (numpy's uint8/uint16 of it). */
#ifndef SAVU_BIN_REDUCE_H
#define SAVU_BIN_REDUCE_H

#include <stdbool.h>

enum savu_bin_mode { SAVU_BIN_MEAN, SAVU_BIN_MEDIAN, SAVU_BIN_MIN, SAVU_BIN_MAX };

struct savu_bin {
    long bin, rows, cols, out_rows, out_cols;
    long depth;              /* frames binned together: 1, or bin (VOLUME_XZ) */
    long frames;             /* VOLUME_XZ: input frames (slices) */
    enum savu_bin_mode mode;
    bool flip_ud, flip_lr;
    double levels, lo, hi;   /* num_bit 8 or 16: 255 or 65535 and [min, max]; else 0 */
    float *scratch;          /* depth x bin x bin values per worker */
};

/* One output frame [out_rows][out_cols] from in [depth][rows][cols], the
 * first `valid` frames data; worker names the thread's scratch. */
void savu_bin_group(const struct savu_bin *ds, const float *in, float *out, int worker,
                    long valid);

#endif
