/* block_padding.h: neighbouring frames for plugins that need them
 * (savu_plugin.pad_frames, Savu's pad_multi_frames). A block of frames
 * [first, first + n) of a section is computed by each stage over a wider
 * span, so that the stages after it find their neighbours: a stage whose
 * later stages need L frames each side outputs [first - L, first + n + L),
 * clamped to the data; its own input is that span widened by its own pad,
 * where frames beyond the ends of the data repeat the first or last frame
 * (Savu's `edge` mode). Blocks are [variant][frame][core] as dataset.h. */
#ifndef SAVU_BLOCK_PADDING_H
#define SAVU_BLOCK_PADDING_H

#include <stddef.h>

struct frame_span {
    long first, count;
};

/* [first - later, first + n + later) clamped to [0, total). */
struct frame_span span_with_padding(long first, long n, long later, long total);

/* dst gets, for every variant, the frames want.first - pad ...
 * want.first + want.count + pad - 1, each taken from src (which holds the
 * frames of `have`, variant v at src + v * src_stride) at its index clamped
 * to [0, total). dst's variants are (want.count + 2 * pad) frames apart. */
void assemble_padded(const float *src, size_t src_stride, struct frame_span have, float *dst,
                     struct frame_span want, long pad, long total, long variants, long frame_size);

#endif
