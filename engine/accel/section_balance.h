/* section_balance.h: the last section's blocks taken by the ranks of one
 * node as they go (block_claims.h), see section_balance.c. */
#ifndef SAVU_SECTION_BALANCE_H
#define SAVU_SECTION_BALANCE_H

#include <stdbool.h>
#include "block_io.h"
#include "error.h"
#include "progress.h"

struct section_work;

/* Collective: whether the section may hand its blocks out: several ranks,
 * no --balance off, the last section, no stage that needs neighbouring
 * frames, and every result file written raw into one file (any rank may
 * write any frame with no collective call). The same on every rank. */
bool section_balance_wanted(const struct section_work *w);

/* Collective, once the blocks are known: the shared counters (and, for a
 * slab input, every rank's slab address) in w->claims, left NULL on every
 * rank when the ranks are not on one node or cannot read each other's
 * memory. When set, the preview sums the ranks' slices
 * (preview_slices_scatter). */
void section_balance_begin(struct section_work *w);

/* Takes this rank's first block and starts reading its input on the I/O
 * thread, if it needs reading (before the GPU chains pin its buffer). */
void section_balance_start(struct section_work *w, block_io *io);

/* The block loop (in place of the one in step): 0, -1 with err, 1 for the
 * kill signal, the same on every rank (they meet at the end). */
int section_balance_run(struct section_work *w, block_io *io, progress *p, savu_error *err);

/* The I/O thread's read of frames [first, first + n) of another rank's
 * slab into input buffer `slot`. */
int section_balance_read_slab(struct section_work *w, long first, long n, int slot,
                              savu_error *err);

/* Collective: frees the counters (on the main thread, every rank). */
void section_balance_end(struct section_work *w);

#endif
