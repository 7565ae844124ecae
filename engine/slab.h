/* slab.h: how the frames of a section are shared among MPI ranks — each rank
 * owns one contiguous range, the ranges in rank order and as even as can be
 * (sizes differ by at most one frame) — and a rank's frames held in memory
 * as a slab [variant][frame][core] (dataset.h's block layout over its whole
 * range). */
#ifndef SAVU_SLAB_H
#define SAVU_SLAB_H

#include <stddef.h>

struct frame_range {
    long first, count;
};

/* Rank `rank` of `ranks`: its range of `total` frames. */
struct frame_range frame_range_of(long total, int rank, int ranks);

/* The largest range any rank gets. */
long frame_range_max(long total, int ranks);

/* A rank's frames of a dataset in memory. */
struct slab {
    float *data;           /* [variants][range.count][frame_size] */
    long variants;
    long frame_size;       /* floats per frame */
    struct frame_range range;
};

/* Allocates the slab (data uninitialised); -1 when out of memory. */
int slab_alloc(struct slab *s, long variants, struct frame_range range, long frame_size);
void slab_free(struct slab *s);
/* Bytes of a slab of these sizes. */
double slab_bytes(long variants, long frames, long frame_size);

#endif
