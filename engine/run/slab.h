/* slab.h: a rank's frames (its frame_range.h share of a section) held in
 * memory as a slab [variant][frame][core] (dataset.h's block layout over
 * its whole range). */
#ifndef SAVU_SLAB_H
#define SAVU_SLAB_H

#include <stddef.h>
#include "frame_range.h"

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
