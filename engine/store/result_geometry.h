/* result_geometry.h: the numbers of a result file that do not depend on
 * how its frames move (result_file.h): HDF5 chunks that suit the pattern
 * the data are written in and the one they are read in next (about 1 MiB,
 * Savu's Feature 3), and the slabs of dim-0 rows through which frames
 * along dim 1 are transposed to and from the file's [d0][frame][d2]. */
#ifndef SAVU_RESULT_GEOMETRY_H
#define SAVU_RESULT_GEOMETRY_H

#include <stddef.h>
#include <hdf5.h>
#include "dataset.h"

/* Chunks and transposing slabs hold about this many floats (1 MiB). */
#define RESULT_TARGET_FLOATS ((hsize_t)1 << 18)

/* About 1 MiB chunks of the 3 spatial dims. Written and read along the same
 * dim s: whole frames (the other two dims, the last one first) when they
 * fit, and as many frames as fill the rest. Written along sw and read along
 * sr: the third dim whole and the budget left split evenly between sw and sr,
 * so both a block of written frames and one of read frames cover whole
 * chunks (Savu's compromise, savu-engine.md §1.7). */
void result_choose_chunks(const hsize_t dims[3], int sw, int sr, hsize_t chunk[3]);

/* The same for a dataset of n dims written in pattern w and read in r
 * (any dims, any patterns): the dims that are core in both whole (the last
 * first) up to the budget, then the dims one pattern cuts and the other
 * keeps sharing what is left evenly, then the dims both cut. */
void result_choose_chunks_nd(int n, const hsize_t *dims, const struct pattern_dims *w,
                             const struct pattern_dims *r, hsize_t *chunk);

/* Dim-0 rows moved per call for frames along dim 1: whole chunks along dim
 * 0, about RESULT_TARGET_FLOATS per frame. The same on every rank (the
 * writes through HDF5 are collective, so every rank must make as many
 * calls). */
hsize_t result_choose_slab(const hsize_t dims[3], const hsize_t chunk[3]);

/* Floats of one frame along dim (0 or 1) of the spatial dims. */
size_t result_frame_floats(const hsize_t dims[3], int dim);

/* A scratch slab of `slab` rows for n frames along dim 1, or NULL (n = 0,
 * or no memory). */
float *result_slab_new(const hsize_t dims[3], hsize_t slab, hsize_t n);

/* Between a block's n frames along dim 1, frame [d0][d2], and a slab of
 * rows of the file [rows][n][d2] starting at dim-0 row a0: pack (block to
 * slab) and unpack (slab to block). */
void result_slab_pack(const hsize_t dims[3], const float *frames, hsize_t n, hsize_t a0,
                      hsize_t rows, float *slab);
void result_slab_unpack(const hsize_t dims[3], const float *slab, hsize_t n, hsize_t a0,
                        hsize_t rows, float *frames);

#endif
