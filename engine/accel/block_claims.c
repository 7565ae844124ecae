/* block_claims.c: per-rank block counters in node-shared memory (see
 * block_claims.h). */
#include <stdint.h>
#include <stdlib.h>
#include "block_claims.h"

struct block_claims {
    MPI_Comm node;
    MPI_Win win;
    int ranks;
    long n_blocks;
    int64_t *next; /* [ranks] blocks taken of each rank, then the stop flag */
};

static bool all_on_one_node(MPI_Comm comm, MPI_Comm *node)
{
    int ranks, node_ranks = 0, same;
    MPI_Comm_size(comm, &ranks);
    if (MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, node) != MPI_SUCCESS)
        *node = MPI_COMM_NULL;
    if (*node != MPI_COMM_NULL)
        MPI_Comm_size(*node, &node_ranks);
    int mine = node_ranks == ranks;
    MPI_Allreduce(&mine, &same, 1, MPI_INT, MPI_LAND, comm);
    if (!same && *node != MPI_COMM_NULL)
        MPI_Comm_free(node);
    return same;
}

block_claims *block_claims_new(MPI_Comm comm, long n_blocks)
{
    MPI_Comm node;
    if (!all_on_one_node(comm, &node))
        return NULL;
    block_claims *c = calloc(1, sizeof *c);
    int rank, ok = c != NULL;
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_LAND, node);
    if (!ok) {
        MPI_Comm_free(&node);
        free(c);
        return NULL;
    }
    MPI_Comm_rank(node, &rank);
    MPI_Comm_size(node, &c->ranks);
    /* A library without shared windows: no handing out, rather than an abort. */
    MPI_Comm_set_errhandler(node, MPI_ERRORS_RETURN);
    c->node = node;
    c->n_blocks = n_blocks;
    MPI_Aint bytes = rank == 0 ? (MPI_Aint)sizeof(int64_t) * (c->ranks + 1) : 0;
    int64_t *mine = NULL;
    ok = MPI_Win_allocate_shared(bytes, sizeof(int64_t), MPI_INFO_NULL, node, &mine, &c->win) ==
         MPI_SUCCESS;
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_LAND, node);
    if (!ok) {
        MPI_Comm_free(&node);
        free(c);
        return NULL;
    }
    MPI_Aint size;
    int unit;
    MPI_Win_shared_query(c->win, 0, &size, &unit, &c->next);
    MPI_Win_lock_all(MPI_MODE_NOCHECK, c->win);
    if (rank == 0)
        for (int r = 0; r <= c->ranks; r++)
            __atomic_store_n(&c->next[r], 0, __ATOMIC_SEQ_CST);
    MPI_Win_sync(c->win);
    MPI_Barrier(node);
    MPI_Win_sync(c->win);
    return c;
}

bool block_claims_stopped(const block_claims *c)
{
    return __atomic_load_n(&c->next[c->ranks], __ATOMIC_SEQ_CST) != 0;
}

void block_claims_stop(block_claims *c)
{
    __atomic_store_n(&c->next[c->ranks], 1, __ATOMIC_SEQ_CST);
}

/* The next block of `owner` (0 .. n_blocks - 1), or -1 when all are taken
 * or taking was stopped. */
static long take_of(block_claims *c, int owner)
{
    if (block_claims_stopped(c) || __atomic_load_n(&c->next[owner], __ATOMIC_SEQ_CST) >= c->n_blocks)
        return -1;
    int64_t b = __atomic_fetch_add(&c->next[owner], 1, __ATOMIC_SEQ_CST);
    return b < c->n_blocks ? (long)b : -1;
}

long block_claims_take(block_claims *c, int me, int *owner)
{
    *owner = me;
    long b = take_of(c, me);
    while (b < 0 && !block_claims_stopped(c)) {
        int most = -1;
        int64_t most_left = 0;
        for (int r = 0; r < c->ranks; r++) {
            int64_t left = c->n_blocks - __atomic_load_n(&c->next[r], __ATOMIC_SEQ_CST);
            if (left > most_left)
                most = r, most_left = left;
        }
        if (most < 0)
            return -1;
        *owner = most;
        b = take_of(c, most);
    }
    return b;
}

long block_claims_taken(const block_claims *c)
{
    long sum = 0;
    for (int r = 0; r < c->ranks; r++) {
        int64_t n = __atomic_load_n(&c->next[r], __ATOMIC_SEQ_CST);
        sum += n < c->n_blocks ? (long)n : c->n_blocks;
    }
    return sum;
}

void block_claims_free(block_claims *c)
{
    if (!c)
        return;
    MPI_Win_unlock_all(c->win);
    MPI_Win_free(&c->win);
    MPI_Comm_free(&c->node);
    free(c);
}
