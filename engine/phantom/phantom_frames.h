/* phantom_frames.h: making a sequence of items — the frames of a scan, the
 * scored slices of a volume — with a pool of threads, and handing them in
 * order to one consumer on the calling thread (which writes frames to the
 * file, or adds up scores). Workers fill a ring of 2 x threads buffers; a
 * worker takes the next item only when its buffer has been consumed, so
 * memory stays at a few items however long the sequence. */
#ifndef SAVU_PHANTOM_FRAMES_H
#define SAVU_PHANTOM_FRAMES_H

#include <stddef.h>
#include "error.h"

/* Fills `out` (item_bytes) with item `item`; called on worker threads, at
 * the same time for different items. `worker` (0..threads-1) names the
 * thread, for per-thread scratch. Returns 0, or -1 with err set. */
typedef int (*savu_frame_make_fn)(void *ctx, int item, int worker, void *out, savu_error *err);

/* Takes item `item`; called on the calling thread for items 0, 1, ... in
 * order. Returns 0, or -1 with err set to stop the run. */
typedef int (*savu_frame_take_fn)(void *ctx, int item, const void *data, savu_error *err);

/* Makes items 0..count-1 on `threads` threads (>= 1; fewer when there are
 * fewer items) and takes them in order. Errors: the first failing make's or
 * the consumer's, "out of memory for N buffers of B bytes", "cannot start a
 * thread: <reason>". */
int savu_frames_run(int count, size_t item_bytes, int threads, savu_frame_make_fn make,
                    savu_frame_take_fn take, void *ctx, savu_error *err);

/* One thread per online CPU (at least 1, at most 1024). */
int savu_frames_default_threads(void);

#endif
