/* block_claims_check.c: run under mpirun by block-claims.test.
 * Every rank takes blocks (block_claims.h) until none is left, rank 1
 * slowly (1 ms a block) and the others at once; rank 0 gathers what each
 * took and checks that every block of every rank was taken exactly once,
 * that the fast ranks took some of rank 1's, that each rank's own blocks
 * were taken in order, and that after a stop nothing more is taken.
 * Prints one line; exit 0 when all holds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mpi.h>
#include "block_claims.h"

#define BLOCKS 200

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, ranks;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    block_claims *c = block_claims_new(MPI_COMM_WORLD, BLOCKS);
    if (!c) {
        if (rank == 0)
            printf("SKIP: no shared counters (ranks not on one node?)\n");
        MPI_Finalize();
        return 77;
    }
    long *mine = calloc(2 * (size_t)BLOCKS * ranks, sizeof *mine), n = 0;
    for (;;) {
        int owner;
        long b = block_claims_take(c, rank, &owner);
        if (b < 0)
            break;
        mine[2 * n] = owner;
        mine[2 * n + 1] = b;
        n++;
        if (rank == 1)
            nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    long taken = block_claims_taken(c);
    block_claims_stop(c);
    int dummy;
    int after_stop = block_claims_take(c, rank, &dummy) >= 0;
    long *counts = rank == 0 ? calloc((size_t)ranks, sizeof *counts) : NULL;
    MPI_Gather(&n, 1, MPI_LONG, counts, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    int *sizes = NULL, *displs = NULL;
    long *all = NULL;
    if (rank == 0) {
        sizes = calloc((size_t)ranks, sizeof *sizes);
        displs = calloc((size_t)ranks, sizeof *displs);
        all = calloc(2 * (size_t)BLOCKS * ranks, sizeof *all);
        for (int r = 0, at = 0; r < ranks; at += sizes[r], r++) {
            sizes[r] = (int)(2 * counts[r]);
            displs[r] = at;
        }
    }
    MPI_Gatherv(mine, (int)(2 * n), MPI_LONG, all, sizes, displs, MPI_LONG, 0, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &after_stop, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    int failures = 0;
    if (rank == 0) {
        int *seen = calloc((size_t)BLOCKS * ranks, sizeof *seen);
        long of_slow_by_others = 0;
        for (int r = 0; r < ranks; r++) {
            long last_own = -1;
            for (long i = 0; i < counts[r]; i++) {
                long owner = all[displs[r] + 2 * i], b = all[displs[r] + 2 * i + 1];
                seen[owner * BLOCKS + b]++;
                of_slow_by_others += owner == 1 && r != 1;
                if (owner == r && b <= last_own) {
                    printf("FAIL: rank %d took its own block %ld after %ld\n", r, b, last_own);
                    failures++;
                }
                if (owner == r)
                    last_own = b;
            }
        }
        for (long k = 0; k < (long)BLOCKS * ranks; k++)
            if (seen[k] != 1) {
                printf("FAIL: block %ld of rank %ld taken %d times\n", k % BLOCKS, k / BLOCKS,
                       seen[k]);
                failures++;
            }
        if (ranks > 1 && of_slow_by_others == 0) {
            printf("FAIL: no block of the slow rank 1 was taken by another rank\n");
            failures++;
        }
        if (taken != (long)BLOCKS * ranks) {
            printf("FAIL: %ld blocks counted as taken, not %ld\n", taken, (long)BLOCKS * ranks);
            failures++;
        }
        if (after_stop) {
            printf("FAIL: a block was taken after the stop\n");
            failures++;
        }
        if (!failures)
            printf("PASS: %d ranks took %d blocks each exactly once; %ld of the slow rank's by "
                   "others\n", ranks, BLOCKS, of_slow_by_others);
        free(seen);
    }
    MPI_Bcast(&failures, 1, MPI_INT, 0, MPI_COMM_WORLD);
    block_claims_free(c);
    free(mine);
    free(counts);
    free(sizes);
    free(displs);
    free(all);
    MPI_Finalize();
    return failures ? 1 : 0;
}
