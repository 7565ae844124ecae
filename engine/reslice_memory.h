/* reslice_memory.h: turning a dataset's frames from one slice dimension to
 * the other (projections <-> sinograms, volumes <-> their other cut) across
 * the MPI ranks in memory, by one MPI all-to-all. Dims 0 and 1 swap roles;
 * dim 2, the last, stays innermost. Derived datatypes carry each piece from
 * where it lies to where it belongs, so nothing is packed or unpacked and
 * the memory needed is the two slabs. One rank transposes locally, on
 * `threads` threads. */
#ifndef SAVU_RESLICE_MEMORY_H
#define SAVU_RESLICE_MEMORY_H

#include <mpi.h>
#include "error.h"
#include "slab.h"

/* from: this rank's frames along dim a, [variant][fa][fb][n_last] with fb
 * running over all n_b frames of the other dim (from->frame_size = n_b *
 * n_last); n_a: the frames along a of all ranks together. Collective. On
 * success `to` holds this rank's range of the n_b frames (frame_range_of),
 * [variant][fb][fa][n_last] with fa over all n_a; from is left as it is. */
int reslice_memory(MPI_Comm comm, const struct slab *from, long n_a, long n_last, int threads,
                   struct slab *to, savu_error *err);

#endif
