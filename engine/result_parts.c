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

/* "<path without .h5>.r<rank>.h5"; with `relative`, its last component. */
static char *part_name(const char *path, int rank, bool relative)
{
    const char *from = relative && strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(from);
    if (n > 3 && strcmp(from + n - 3, ".h5") == 0)
        n -= 3;
    size_t size = n + 32;
    char *name = malloc(size);
    if (name)
        snprintf(name, size, "%.*s.r%d.h5", (int)n, from, rank);
    return name;
}

/* The dims of rank q's file: dims with `dim` cut to its frames. */
static struct frame_range part_dims(int ndims, const hsize_t *dims, int dim, int q, int ranks,
                                    hsize_t *out)
{
    struct frame_range r = frame_range_of((long)dims[dim], q, ranks);
    for (int d = 0; d < ndims; d++)
        out[d] = dims[d];
    out[dim] = (hsize_t)r.count;
    return r;
}

/* This rank's file: a contiguous /data, allocated now, never filled. */
static int create_file(const char *name, int ndims, const hsize_t *dims, hid_t type)
{
    hid_t file = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t space = H5Screate_simple(ndims, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t data = -1;
    if (file >= 0 && space >= 0 && dcpl >= 0 && H5Pset_layout(dcpl, H5D_CONTIGUOUS) >= 0 &&
        H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) >= 0 &&
        H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) >= 0)
        data = H5Dcreate2(file, "data", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = savu_h5_close(data >= 0 ? 0 : -1, data);
    rc = savu_h5_close(rc, dcpl);
    rc = savu_h5_close(rc, space);
    return savu_h5_close(rc, file);
}

int result_parts_create(struct result_parts *p, MPI_Comm comm, const char *path, int ndims,
                        const hsize_t *dims, int dim, hid_t type, savu_error *err)
{
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &p->ranks);
    p->dim = dim;
    hsize_t mine[H5S_MAX_RANK];
    struct frame_range r = part_dims(ndims, dims, dim, rank, p->ranks, mine);
    p->own_first = r.first;
    p->own_count = r.count;
    p->own = p->own_tmp = NULL;
    if (r.count == 0)
        return 0;
    p->own = part_name(path, rank, false);
    size_t n = p->own ? strlen(p->own) + sizeof ".part" : 0;
    if (p->own && (p->own_tmp = malloc(n)))
        snprintf(p->own_tmp, n, "%s.part", p->own);
    if (!p->own_tmp)
        return savu_error_set(err, "out of memory");
    if (create_file(p->own_tmp, ndims, mine, type) != 0) {
        unlink(p->own_tmp);
        return savu_error_set(err, "cannot create %s", p->own_tmp);
    }
    return 0;
}

hid_t result_parts_dcpl(const struct result_parts *p, const char *path, int ndims,
                        const hsize_t *dims)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int rc = dcpl >= 0 ? 0 : -1;
    for (int q = 0; q < p->ranks && rc == 0; q++) {
        hsize_t src_dims[H5S_MAX_RANK], start[H5S_MAX_RANK] = { 0 };
        struct frame_range r = part_dims(ndims, dims, p->dim, q, p->ranks, src_dims);
        if (r.count == 0)
            continue;
        start[p->dim] = (hsize_t)r.first;
        char *name = part_name(path, q, true);
        hid_t vspace = H5Screate_simple(ndims, dims, NULL);
        hid_t src = H5Screate_simple(ndims, src_dims, NULL);
        if (!name || vspace < 0 || src < 0 ||
            H5Sselect_hyperslab(vspace, H5S_SELECT_SET, start, NULL, src_dims, NULL) < 0 ||
            H5Pset_virtual(dcpl, vspace, name, "/data", src) < 0)
            rc = -1;
        free(name);
        rc = savu_h5_close(rc, vspace);
        rc = savu_h5_close(rc, src);
    }
    if (rc != 0 && dcpl >= 0) {
        H5Pclose(dcpl);
        dcpl = -1;
    }
    return dcpl;
}

int result_parts_commit(struct result_parts *p)
{
    if (!p->own_tmp)
        return 0;
    return rename(p->own_tmp, p->own) == 0 ? 0 : errno;
}

void result_parts_remove(struct result_parts *p)
{
    if (p->own_tmp)
        unlink(p->own_tmp);
    if (p->own)
        unlink(p->own);
    result_parts_free(p);
}

void result_parts_free(struct result_parts *p)
{
    free(p->own);
    free(p->own_tmp);
    p->own = p->own_tmp = NULL;
}
