/* preview_slices.h: the three central orthogonal slices of the final
 * volume, taken from its blocks as they are computed (frames along dim 0
 * or dim 1, variant 0 of a tuned result) and gathered on rank 0 for the
 * preview PNG (png_preview.h), so that no slice is read back from the
 * result file. */
#ifndef SAVU_PREVIEW_SLICES_H
#define SAVU_PREVIEW_SLICES_H

#include <mpi.h>
#include "error.h"

typedef struct preview_slices preview_slices;

/* For a volume of shape dims whose frames run along slice_dim (0 or 1).
 * NULL when out of memory. */
preview_slices *preview_slices_new(const long dims[3], int slice_dim);

/* The frames of each rank will not be one range (block_claims.h): the
 * slices are then summed over the ranks (each frame is added on one rank
 * only, the rest of every slice is zero) instead of gathered by range.
 * Every rank must say so, or none. */
void preview_slices_scatter(preview_slices *p);

/* Takes what the slices need of frames [first, first + n), laid out
 * [n][frame] (the frame: the other two dims in order). */
void preview_slices_add(preview_slices *p, long first, long n, const float *frames);

/* Collective: gathers the slices on rank 0, which writes png_path on
 * `threads` threads. 0, or -1 with err (on rank 0). */
int preview_slices_write(preview_slices *p, MPI_Comm comm, const char *png_path, int threads,
                         savu_error *err);

void preview_slices_free(preview_slices *p);

#endif
