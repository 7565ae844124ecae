/* result_parts.h: a result written by several ranks into memory (tmpfs) as
 * one file per rank, joined by an HDF5 virtual dataset. The kernel gives
 * one file its pages one caller at a time (about 6 GB/s, whatever the
 * threads), while separate files fill side by side (measured: 2, 4, 8
 * files 10, 24, 40 GB/s); so where ranks write one result into /dev/shm,
 * each rank writes its own frames into <name>.r<rank>.h5 (dataset /data,
 * contiguous) and the result file's `data` is a virtual dataset mapping
 * each rank's frames to its file, by a name relative to the result file:
 * HDF5 and h5py read it as one dataset, from any folder. Used for untuned
 * results that are never read back by the engine. */
#ifndef SAVU_RESULT_PARTS_H
#define SAVU_RESULT_PARTS_H

#include <stdbool.h>
#include <hdf5.h>
#include <mpi.h>
#include "error.h"

struct result_parts {
    int ranks, dim;             /* the ranks, and the dim they split */
    char *own, *own_tmp;        /* this rank's file: its name, and its name
                                 * while running (<own>.part); NULL: no frames */
    long own_first, own_count;  /* this rank's frames along dim */
};

/* Whether every rank's file of the result at `path` lies on a
 * memory-backed filesystem (collective). */
bool result_parts_wanted(MPI_Comm comm, const char *path);

/* Collective: names each rank's file, and creates this rank's (under its
 * .part name) with a contiguous dataset /data of `type`, its frames along
 * dim of dims[0..ndims). 0, or -1 with err set (on this rank). */
int result_parts_create(struct result_parts *p, MPI_Comm comm, const char *path, int ndims,
                        const hsize_t *dims, int dim, hid_t type, savu_error *err);

/* A dataset creation list mapping every rank's frames to its file (close
 * it), or -1. */
hid_t result_parts_dcpl(const struct result_parts *p, const char *path, int ndims,
                        const hsize_t *dims);

/* Renames this rank's file to its final name (after every rank closed its
 * writes); 0 or an errno value. */
int result_parts_commit(struct result_parts *p);

/* Removes this rank's file, under either name, and frees the names. */
void result_parts_remove(struct result_parts *p);
void result_parts_free(struct result_parts *p);

#endif
