/* slab.c: a rank's slab of frames (see slab.h). */
#include <stdlib.h>
#include "big_alloc.h"
#include "slab.h"

int slab_alloc(struct slab *s, long variants, struct frame_range range, long frame_size)
{
    size_t n = (size_t)variants * (size_t)range.count * (size_t)frame_size;
    s->data = big_alloc(sizeof(float) * n);
    s->variants = variants;
    s->frame_size = frame_size;
    s->range = range;
    return s->data ? 0 : -1;
}

void slab_free(struct slab *s)
{
    free(s->data);
    s->data = NULL;
}

double slab_bytes(long variants, long frames, long frame_size)
{
    return 4.0 * variants * frames * frame_size;
}
