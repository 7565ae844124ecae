/* section_balance.h: the last section's blocks taken by the ranks of one
 * node as they go (block_claims.h), see section_balance.c. The section
 * worker (engine/run/) says what the loop needs of it in a struct
 * balance_section: the ranks, its blocks, and calls back to compute a
 * block and to agree with the other ranks; nothing here knows the worker
 * itself. */
#ifndef SAVU_SECTION_BALANCE_H
#define SAVU_SECTION_BALANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <mpi.h>
#include "block_io.h"
#include "error.h"
#include "progress.h"

/* A block one rank takes: its owner's frames [first, first + n). */
struct taken_block {
    int owner;
    long first, n;
};

/* A section as the balanced block loop sees it. */
struct balance_section {
    MPI_Comm comm;
    int rank, ranks;
    long n_blocks;            /* blocks of each rank */
    bool slab_input;          /* the input is the ranks' slabs in memory: a
                               * rank's own blocks need no read */
    const char *kill_path;    /* the run stops when this file appears */
    bool *killed;             /* ... set once the run stops for it */
    size_t number, of;        /* section `number` (1-based) of `of`, for the log */
    void *ctx;                /* the section's, for the calls below */
    /* Frames [*first, *first + return) of rank owner's block b. */
    long (*block)(void *ctx, int owner, long b, long *first);
    /* Computes block [first, first + n) from input slot `slot` into result
     * slot `slot`. 0, or -1 with err. */
    int (*compute)(void *ctx, long first, long n, int slot, savu_error *err);
    /* Collective: every rank's verdict on rc (0 or -1): 0, -1 with err, 1
     * for the kill signal, the same on every rank. */
    int (*agree)(void *ctx, int rc, savu_error *err);
};

struct section_balance {
    struct balance_section sec;     /* as given to section_balance_begin */
    struct block_claims *claims;    /* the shared counters; NULL: not handed out */
    struct taken_block first_taken; /* this rank's first block (valid: n > 0) */
    bool fetched[2];                /* per slot: the input was read into the
                                     * slot's buffer, not a view of the own slab */
};

/* Collective, once the blocks are known: the shared counters. False (and
 * b->claims NULL on every rank) when the ranks are not on one node. */
bool section_balance_begin(struct section_balance *b, const struct balance_section *sec);

/* Takes this rank's first block and starts reading its input on the I/O
 * thread, if it needs reading (before the GPU chains pin its buffer).
 * Whether it started a read. */
bool section_balance_start(struct section_balance *b, block_io *io);

/* The block loop (in place of the one in step): 0, -1 with err, 1 for the
 * kill signal, the same on every rank (they meet at the end). `loop`: the
 * first block's read and the waits at either end (block_io.h). */
int section_balance_run(struct section_balance *b, block_io *io, struct block_loop *loop,
                        progress *p, savu_error *err);

/* Collective: frees the counters (on the main thread, every rank). */
void section_balance_end(struct section_balance *b);

#endif
