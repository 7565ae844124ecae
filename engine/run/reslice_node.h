/* reslice_node.h: the part of an in-memory reslice between ranks of one
 * node, done without MPI messages: each rank reads the rows it needs
 * straight from the other ranks' slabs with process_vm_readv(2) (Linux's
 * cross-memory attach), on its own threads, one call per run of rows that
 * lie together in the source. Through MPI's shared memory the same bytes
 * go through one copy loop per pair of ranks, several times slower for
 * tens of GiB (measured on two H200 ranks: 14 s for 2 x 32 GiB).
 *
 * Used only where every rank can read its node's other ranks (the kernel
 * allows it between processes of one user unless ptrace is restricted);
 * reslice_memory.c falls back to MPI for every pair otherwise. */
#ifndef SAVU_RESLICE_NODE_H
#define SAVU_RESLICE_NODE_H

#include <stdbool.h>
#include <stdint.h>
#include <mpi.h>
#include "slab.h"

struct savu_thread_pool;

/* What each rank tells the others. */
struct reslice_peer {
    int64_t pid;
    int64_t address;   /* of its source slab's data */
    int64_t node;      /* the world rank of its node's first rank */
};

/* Collective: every rank's peer entry into peers[ranks]; true when every
 * rank could read a test word from each other rank of its node that holds
 * frames (then same-node pairs move directly), the same answer on every
 * rank. */
bool reslice_node_peers(MPI_Comm comm, const struct slab *from, struct reslice_peer *peers);

/* The reslice geometry (see reslice_memory.h): variants, frames along the
 * source's slice dim (all ranks), along the other dim, floats per row. */
struct reslice_geometry {
    long variants, n_a, n_b, n_last;
};

/* Reads into `to` (this rank's range of n_b) the rows held by every rank q
 * of this node (q's source range along a: frame_range_of(n_a, q, ranks)),
 * on the pool's threads. 0, or an errno value. The sources must stay
 * unchanged until every rank has returned (the caller's barrier). */
int reslice_node_read(const struct reslice_geometry *g, const struct reslice_peer *peers,
                      int rank, int ranks, struct savu_thread_pool *pool, struct slab *to);

#endif
