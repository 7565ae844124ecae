/* block_padding.c: the spans and edge-repeated neighbours of padded blocks
 * (see block_padding.h). */
#include <string.h>
#include "block_padding.h"

struct frame_span span_with_padding(long first, long n, long later, long total)
{
    long start = first - later < 0 ? 0 : first - later;
    long end = first + n + later > total ? total : first + n + later;
    return (struct frame_span){start, end - start};
}

void assemble_padded(const float *src, size_t src_stride, struct frame_span have, float *dst,
                     struct frame_span want, long pad, long total, long variants, long frame_size)
{
    const long frames = want.count + 2 * pad;
    const size_t bytes = sizeof(float) * (size_t)frame_size;
    for (long v = 0; v < variants; v++)
        for (long i = 0; i < frames; i++) {
            long f = want.first - pad + i;
            f = f < 0 ? 0 : f >= total ? total - 1 : f;
            memcpy(dst + ((size_t)v * frames + i) * frame_size,
                   src + v * src_stride + (size_t)(f - have.first) * frame_size, bytes);
        }
}
