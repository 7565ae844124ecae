/* phantom_frames.h: making a sequence of frames with a pool of threads and
 * handing them, in order, to one consumer on the calling thread (which
 * writes them to the file). Workers fill a ring of 2 x threads frame
 * buffers; a worker takes the next frame only when its buffer has been
 * consumed, so memory stays at a few frames however long the scan. */
#ifndef SAVU_PHANTOM_FRAMES_H
#define SAVU_PHANTOM_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Fills `out` (frame_values values) with frame `frame`; called on worker
 * threads, at the same time for different frames. Returns 0 or -1. */
typedef int (*savu_frame_make_fn)(void *ctx, int frame, uint16_t *out);

/* Takes frame `frame`; called on the calling thread for frames 0, 1, ...
 * in order. Returns 0, or -1 with err set to stop the run. */
typedef int (*savu_frame_take_fn)(void *ctx, int frame, const uint16_t *data, savu_error *err);

/* Makes frames 0..count-1 on `threads` threads (>= 1) and takes them in
 * order. Errors: the consumer's, "out of memory for N frame buffers",
 * "cannot start a thread: <reason>", "could not make frame N: out of
 * memory". */
int savu_frames_run(int count, size_t frame_values, int threads, savu_frame_make_fn make,
                    savu_frame_take_fn take, void *ctx, savu_error *err);

/* One thread per online CPU (at least 1). */
int savu_frames_default_threads(void);

#endif
