/* block_claims.h: a section's blocks handed out as the ranks ask for them,
 * so that a rank whose cores run slower (a busy neighbour, a slower node
 * of the same kind) does not set the section's time. Every rank's blocks
 * keep their schedule (block_schedule.h); each rank has a counter of its
 * blocks taken so far, in memory that every rank of the node shares
 * (MPI_Win_allocate_shared), moved with atomic adds. A rank takes its own
 * blocks first, in order, then the next block of whichever rank has the
 * most left; a block is taken exactly once. A flag in the same memory
 * stops every rank's taking after an error or the kill signal. Only for
 * ranks that are all on one node (else NULL). */
#ifndef SAVU_BLOCK_CLAIMS_H
#define SAVU_BLOCK_CLAIMS_H

#include <stdbool.h>
#include <mpi.h>

typedef struct block_claims block_claims;

/* Collective: counters for the comm's ranks, each with n_blocks blocks
 * (some possibly empty: taking skips nothing, the caller does). NULL on
 * every rank when the ranks are not all on one node or the memory cannot
 * be had. */
block_claims *block_claims_new(MPI_Comm comm, long n_blocks);

/* The next block for rank `me`: its own while any are left, else another
 * rank's (*owner says whose); -1 when none is left anywhere or taking was
 * stopped. */
long block_claims_take(block_claims *c, int me, int *owner);

/* Blocks taken so far over all ranks (for progress). */
long block_claims_taken(const block_claims *c);

/* Stops every rank's taking (after this call, take returns -1). */
void block_claims_stop(block_claims *c);
bool block_claims_stopped(const block_claims *c);

/* Collective. NULL is fine. */
void block_claims_free(block_claims *c);

#endif
