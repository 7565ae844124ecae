/* result_backend_parts.c: a result never read back, written into memory
 * as stripe files of each rank's own frames (result_parts.h), joined by
 * the result file's virtual dataset `data` (result_backend.h). Each rank
 * writes its frames raw into its files with pwrite(2); a rank that cannot
 * leaves the result unwritable (HDF5 cannot write a virtual dataset of
 * parts): its writes and result_file_finish then fail. */
#include "result_backend.h"
#include "mpi_agree.h"
#include "nexus_hdf5.h"
#include "cpu/thread_pool.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static const struct result_backend parts_unwritable;

/* Collective: this rank's stripe files (one per I/O thread, the fewest any
 * rank has), created under their .part names. */
static int parts_prepare(result_file *rf, savu_error *why)
{
    hid_t type = result_h5file_stored_type(rf);
    int stripes = rf->raw.pool ? savu_thread_pool_size(rf->raw.pool) : 1;
    int rc = result_parts_create(&rf->parts, rf->comm, rf->path, rf->ndims, rf->dims,
                                 rf->write_dim, type, stripes, why);
    savu_h5_close(0, type);
    return mpi_agree(rf->comm, rc, why);
}

static hid_t parts_dcpl(const result_file *rf)
{
    return result_parts_dcpl(&rf->parts, rf->path, rf->ndims, rf->dims);
}

/* result_backend_raw_open_layout of each of this rank's stripe files;
 * stripes without frames have nothing to open. */
static int open_own_parts(result_file *rf)
{
    int n = rf->parts.stripes, usable = 1;
    if (!(rf->raw.stripes = calloc((size_t)n, sizeof *rf->raw.stripes)))
        return 0;
    rf->raw.n_stripes = n;
    for (int s = 0; s < n; s++)
        rf->raw.stripes[s].fd = -1;
    for (int s = 0; s < n && usable; s++) {
        const char *name = rf->parts.own_tmp[s];
        if (!name)
            continue;
        hid_t file = H5Fopen(name, H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t data = file >= 0 ? H5Dopen2(file, "data", H5P_DEFAULT) : -1;
        usable = result_backend_raw_open_layout(rf, data, name, &rf->raw.stripes[s]);
        savu_h5_close(0, data);
        savu_h5_close(0, file);
    }
    return usable;
}

/* Collective: the stripes raw when every rank can open its own, else
 * unwritable. */
static const struct result_backend *parts_open(result_file *rf)
{
    int usable = open_own_parts(rf), everywhere = 0;
    MPI_Allreduce(&usable, &everywhere, 1, MPI_INT, MPI_MIN, rf->comm);
    if (everywhere == 1)
        return &result_backend_parts;
    result_raw_free(&rf->raw);
    rf->failed = true;
    savu_error_set(&rf->failure, "cannot write %s: a rank cannot write its part raw", rf->path);
    return &parts_unwritable;
}

/* -1 with why when frames [first, first + n) are not all this rank's. */
static int check_own(const result_file *rf, long first, hsize_t n, savu_error *why)
{
    long from = rf->parts.own_first, to = from + rf->parts.own_count;
    if (n && (first < from || first + (long)n > to))
        return savu_error_set(why, "frames %ld..%ld are not this rank's (%ld..%ld)", first,
                              first + (long)n - 1, from, to - 1);
    return 0;
}

static int parts_write(result_file *rf, long first, hsize_t n, const float *block,
                       savu_error *why)
{
    if (check_own(rf, first, n, why) != 0)
        return -1;
    return result_backend_raw_write(rf, first - rf->parts.own_first, n, block, why);
}

static int unwritable_write(result_file *rf, long first, hsize_t n, const float *block,
                            savu_error *why)
{
    (void)block;
    if (check_own(rf, first, n, why) != 0)
        return -1;
    return savu_error_set(why, "a rank cannot write its part raw");
}

static int parts_reopen(result_file *rf)
{
    for (int s = 0; s < rf->raw.n_stripes; s++)
        if (rf->parts.own_tmp[s] &&
            (rf->raw.stripes[s].fd = open(rf->parts.own_tmp[s], O_RDWR | O_CLOEXEC)) < 0)
            return errno;
    return 0;
}

/* Collective: the stripe files under their names (before the result file:
 * it marks completion). */
static int parts_commit(result_file *rf, savu_error *msg)
{
    int moved = result_parts_commit(&rf->parts);
    if (moved != 0)
        savu_error_set(msg, "cannot write %s: %s", rf->path, strerror(moved));
    return mpi_agree(rf->comm, moved ? -1 : 0, msg);
}

static void parts_discard(result_file *rf)
{
    result_parts_remove(&rf->parts);
}

const struct result_backend result_backend_parts = {
    .name = "stripes",
    .moves_raw = true,
    .writes_any_frames = false,
    .prepare = parts_prepare,
    .dcpl = parts_dcpl,
    .open = parts_open,
    .write = parts_write,
    .read = result_backend_raw_read,
    .close = result_backend_raw_close,
    .reopen = parts_reopen,
    .commit = parts_commit,
    .discard = parts_discard,
};

/* The stripes when a rank could not open its files: nothing moves raw. */
static const struct result_backend parts_unwritable = {
    .name = "stripes (unwritable)",
    .moves_raw = false,
    .writes_any_frames = false,
    .prepare = parts_prepare,
    .dcpl = parts_dcpl,
    .open = parts_open,
    .write = unwritable_write,
    .read = result_backend_hdf5_read,
    .close = result_backend_close_nothing,
    .reopen = result_backend_reopen_nothing,
    .commit = parts_commit,
    .discard = parts_discard,
};
