/* result_parts.c: a result as one file per rank joined by a virtual
 * dataset (see result_parts.h). */
#include "result_parts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "atomic_file.h"
#include "frame_range.h"
#include "nexus_hdf5.h"
#include "result_raw.h"

bool result_parts_wanted(MPI_Comm comm, const char *path)
{
    char *dir = savu_path_folder(path);
    struct statfs fs;
    int mine = dir && statfs(dir, &fs) == 0 && result_raw_memory_backed(&fs);
    free(dir);
    int all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, comm);
    return all == 1;
}

/* "<path without .h5>.r<rank>.<stripe>.h5"; with `relative`, its last
 * component. */
static char *part_name(const char *path, int rank, int stripe, bool relative)
{
    const char *from = relative && strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(from);
    if (n > 3 && strcmp(from + n - 3, ".h5") == 0)
        n -= 3;
    size_t size = n + 48;
    char *name = malloc(size);
    if (name)
        snprintf(name, size, "%.*s.r%d.%d.h5", (int)n, from, rank, stripe);
    return name;
}

long result_parts_stripe_frames(long count, int stripes, int s)
{
    return count > s ? (count - s + stripes - 1) / stripes : 0;
}

/* dims with `dim` cut to `frames`. */
static void cut_dims(int ndims, const hsize_t *dims, int dim, long frames, hsize_t *out)
{
    for (int d = 0; d < ndims; d++)
        out[d] = dims[d];
    out[dim] = (hsize_t)frames;
}

/* A stripe file: a contiguous /data, allocated now, never filled. 0, or -1
 * with the reason on HDF5's error stack (the file is made last: any HDF5
 * call after a failure would clear it). */
static int create_file(const char *name, int ndims, const hsize_t *dims, hid_t type)
{
    hid_t space = H5Screate_simple(ndims, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t file = -1, data = -1;
    if (space >= 0 && dcpl >= 0 && H5Pset_layout(dcpl, H5D_CONTIGUOUS) >= 0 &&
        H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) >= 0 &&
        H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) >= 0 &&
        (file = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) >= 0)
        data = H5Dcreate2(file, "data", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = savu_h5_close(data >= 0 ? 0 : -1, data);
    rc = savu_h5_close(rc, dcpl);
    rc = savu_h5_close(rc, space);
    return savu_h5_close(rc, file);
}

int result_parts_create(struct result_parts *p, MPI_Comm comm, const char *path, int ndims,
                        const hsize_t *dims, int dim, hid_t type, int stripes, savu_error *err)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &p->ranks);
    p->stripes = stripes > 0 ? stripes : 1;
    MPI_Allreduce(MPI_IN_PLACE, &p->stripes, 1, MPI_INT, MPI_MIN, comm);
    p->dim = dim;
    p->own = p->own_tmp = NULL;
    if (type < 0)
        return savu_error_set(err, "no data type");
    struct frame_range r = frame_range_of((long)dims[dim], rank, p->ranks);
    p->own_first = r.first;
    p->own_count = r.count;
    p->own = calloc((size_t)p->stripes, sizeof *p->own);
    p->own_tmp = calloc((size_t)p->stripes, sizeof *p->own_tmp);
    if (!p->own || !p->own_tmp)
        return savu_error_set(err, "out of memory");
    for (int s = 0; s < p->stripes; s++) {
        long frames = result_parts_stripe_frames(r.count, p->stripes, s);
        if (frames == 0)
            continue;
        p->own[s] = part_name(path, rank, s, false);
        size_t n = p->own[s] ? strlen(p->own[s]) + sizeof ".part" : 0;
        if (p->own[s] && (p->own_tmp[s] = malloc(n)))
            snprintf(p->own_tmp[s], n, "%s.part", p->own[s]);
        if (!p->own_tmp[s])
            return savu_error_set(err, "out of memory");
        hsize_t mine[H5S_MAX_RANK];
        cut_dims(ndims, dims, dim, frames, mine);
        if (create_file(p->own_tmp[s], ndims, mine, type) != 0) {
            char why[sizeof err->msg / 2];
            savu_h5_reason(why, sizeof why);
            unlink(p->own_tmp[s]);
            savu_error_set(err, "%s: %s", p->own_tmp[s], why); /* the caller says "cannot create" */
            savu_h5_error_one_line(err);
            return -1;
        }
    }
    return 0;
}

/* Maps stripe s of rank q (its every stripes-th frame, from its s-th) to
 * its file. 0, or -1. */
static int map_stripe(const struct result_parts *p, hid_t dcpl, const char *path, int ndims,
                      const hsize_t *dims, int q, int s)
{
    struct frame_range r = frame_range_of((long)dims[p->dim], q, p->ranks);
    long frames = result_parts_stripe_frames(r.count, p->stripes, s);
    if (frames == 0)
        return 0;
    hsize_t src_dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = { 0 }, stride[H5S_MAX_RANK];
    cut_dims(ndims, dims, p->dim, frames, src_dims);
    for (int d = 0; d < ndims; d++)
        stride[d] = 1;
    start[p->dim] = (hsize_t)(r.first + s);
    stride[p->dim] = (hsize_t)p->stripes;
    char *name = part_name(path, q, s, true);
    hid_t vspace = H5Screate_simple(ndims, dims, NULL);
    hid_t src = H5Screate_simple(ndims, src_dims, NULL);
    int rc = name && vspace >= 0 && src >= 0 &&
                     H5Sselect_hyperslab(vspace, H5S_SELECT_SET, start, stride, src_dims, NULL) >= 0 &&
                     H5Pset_virtual(dcpl, vspace, name, "/data", src) >= 0
                 ? 0
                 : -1;
    free(name);
    rc = savu_h5_close(rc, vspace);
    return savu_h5_close(rc, src);
}

hid_t result_parts_dcpl(const struct result_parts *p, const char *path, int ndims,
                        const hsize_t *dims)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int rc = dcpl >= 0 ? 0 : -1;
    for (int q = 0; q < p->ranks && rc == 0; q++)
        for (int s = 0; s < p->stripes && rc == 0; s++)
            rc = map_stripe(p, dcpl, path, ndims, dims, q, s);
    if (rc != 0 && dcpl >= 0) {
        H5Pclose(dcpl);
        dcpl = -1;
    }
    return dcpl;
}

int result_parts_commit(struct result_parts *p)
{
    for (int s = 0; p->own && p->own_tmp && s < p->stripes; s++)
        if (p->own_tmp[s] && rename(p->own_tmp[s], p->own[s]) != 0)
            return errno;
    return 0;
}

void result_parts_remove(struct result_parts *p)
{
    for (int s = 0; p->own && p->own_tmp && s < p->stripes; s++) {
        if (p->own_tmp[s])
            unlink(p->own_tmp[s]);
        if (p->own[s])
            unlink(p->own[s]);
    }
    result_parts_free(p);
}

void result_parts_free(struct result_parts *p)
{
    for (int s = 0; p->own && p->own_tmp && s < p->stripes; s++) {
        free(p->own[s]);
        free(p->own_tmp[s]);
    }
    free(p->own);
    free(p->own_tmp);
    p->own = p->own_tmp = NULL;
}
