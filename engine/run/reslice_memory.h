/* reslice_memory.h: turning a dataset's frames from one slice dimension to
 * the other (projections <-> sinograms, volumes <-> their other cut) across
 * the MPI ranks in memory, by one MPI all-to-all. Dims 0 and 1 swap roles;
 * dim 2, the last, stays innermost. Derived datatypes carry each piece from
 * where it lies to where it belongs, so nothing is packed or unpacked and
 * the memory needed is the two slabs. One rank transposes locally, on
 * `threads` threads; the ranks of a node read each other's rows directly
 * where they can (reslice_node.h). */
#ifndef SAVU_RESLICE_MEMORY_H
#define SAVU_RESLICE_MEMORY_H

#include <mpi.h>
#include "error.h"
#include "slab.h"

/* from: this rank's frames along dim a, [variant][fa][fb][n_last] with fb
 * running over all n_b frames of the other dim (from->frame_size = n_b *
 * n_last); n_a: the frames along a of all ranks together. Collective. On
 * success `to` holds this rank's range of the n_b frames (frame_range_of),
 * [variant][fb][fa][n_last] with fa over all n_a; from is left as it is.
 * *how says the route: "transposed on one rank", "direct reads within the
 * node" (within each node when there are several; MPI between them) or
 * "MPI all-to-all" (also when SAVU_RESLICE_MPI=1 is set). */
int reslice_memory(MPI_Comm comm, const struct slab *from, long n_a, long n_last, int threads,
                   struct slab *to, const char **how, savu_error *err);

#endif
