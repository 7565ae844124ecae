/* result_parts.h: a result written into memory (tmpfs) as several files,
 * joined by an HDF5 virtual dataset. The kernel gives one file its pages
 * one caller at a time, and pages allocated through a mapping are zeroed
 * first, while pwrite(2) into separate files runs side by side and fills
 * whole pages without zeroing them (bench_tmpfs, 32 GiB on the 16-core GPU
 * host from a 2-GiB source: one mapped file 4.0 - 4.9 GB/s whatever the
 * threads; one file per thread, mapped 8.6 GB/s, pwrite 29.6 GB/s). So
 * where a result goes into /dev/shm, each rank writes its frames with
 * pwrite(2) into S stripe files <name>.r<rank>.<s>.h5 (S: its I/O
 * threads; dataset /data, contiguous): the rank's frame i lies in stripe
 * i % S as its frame i / S, so that neighbouring frames, which the I/O
 * threads write side by side, lie in different files. The result file's
 * `data` is a virtual dataset mapping each stripe's frames (every S-th
 * frame of its rank's) to its file, by a name relative to the result
 * file: HDF5 and h5py read it as one dataset, from any folder. Used for
 * untuned results that are never read back by the engine. */
#ifndef SAVU_RESULT_PARTS_H
#define SAVU_RESULT_PARTS_H

#include <stdbool.h>
#include <hdf5.h>
#include <mpi.h>
#include "error.h"

struct result_parts {
    int ranks, dim;             /* the ranks, and the dim they split */
    int stripes;                /* files per rank (the same on every rank) */
    char **own, **own_tmp;      /* this rank's stripe files: their names, and
                                 * their names while running (<own>.part);
                                 * NULL entries: stripes without frames */
    long own_first, own_count;  /* this rank's frames along dim */
};

/* Whether every rank's file of the result at `path` lies on a
 * memory-backed filesystem (collective). */
bool result_parts_wanted(MPI_Comm comm, const char *path);

/* Collective: the stripes per rank (the fewest any rank asks, at least 1;
 * `stripes`: the rank's I/O threads), the names of this rank's files, and
 * the files, created under their .part names, each with a contiguous
 * dataset /data of `type` (-1: an error, after the collective part), its
 * frames along dim of dims[0..ndims). 0, or -1 with err set (on this
 * rank). */
int result_parts_create(struct result_parts *p, MPI_Comm comm, const char *path, int ndims,
                        const hsize_t *dims, int dim, hid_t type, int stripes, savu_error *err);

/* The frames of stripe s of a rank's `count` frames. */
long result_parts_stripe_frames(long count, int stripes, int s);

/* A dataset creation list mapping every rank's stripes to their files
 * (close it), or -1. */
hid_t result_parts_dcpl(const struct result_parts *p, const char *path, int ndims,
                        const hsize_t *dims);

/* Renames this rank's files to their final names (after every rank closed
 * its writes); 0 or an errno value. */
int result_parts_commit(struct result_parts *p);

/* Removes this rank's files, under either name, and frees the names. */
void result_parts_remove(struct result_parts *p);
void result_parts_free(struct result_parts *p);

#endif
