/* result_backend_raw.c: a result's frames moved straight between the
 * blocks and the file's data on the I/O threads (result_raw.h), every rank
 * through its own descriptor, no MPI-IO (result_backend.h). An untuned
 * dataset is laid out contiguous (HDF5 tells its place at once, where
 * asking for each chunk's place takes time that grows with the square of
 * the number of chunks in HDF5 1.10); a tuned one keeps its chunks, whose
 * places are asked for when there are few enough. When any rank cannot
 * know the places or open the file, every rank moves the frames through
 * HDF5 instead (result_backend_hdf5.c). */
#include "result_backend.h"
#include "nexus_hdf5.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>

/* Contiguous when untuned; a tuned dataset keeps its chunks. */
static hid_t raw_dcpl(const result_file *rf)
{
    return result_h5file_dcpl(rf, rf->ndims == 3);
}

int result_backend_raw_open_layout(const result_file *rf, hid_t data, const char *path,
                                   struct result_raw *into)
{
    /* HDF5 gives native float as IEEE LE, it says where every chunk lies,
     * and rows lie whole in chunks. float16 and uint16: the layout of the
     * stored type. */
    hid_t type = result_h5file_stored_type(rf);
    int usable = data >= 0 && type >= 0 && H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32LE) > 0 &&
                 raw_layout_of(data, rf->store != RESULT_STORE_FLOAT32 ? type : H5T_NATIVE_FLOAT,
                               &into->layout) == 1 &&
                 result_raw_suits(&into->layout);
    savu_h5_close(0, type);
    if (usable)
        into->fd = open(path, O_RDWR | O_CLOEXEC);
    return usable && into->fd >= 0;
}

/* Collective: raw when every rank can, into the file or, on tmpfs, a
 * mapping of it; a result on a disk also through O_DIRECT. */
static const struct result_backend *raw_open(result_file *rf)
{
    int usable = result_backend_raw_open_layout(rf, rf->data, rf->part, &rf->raw);
    int everywhere = 0;
    MPI_Allreduce(&usable, &everywhere, 1, MPI_INT, MPI_MIN, rf->comm);
    if (everywhere != 1) {
        result_raw_free(&rf->raw);
        return &result_backend_hdf5;
    }
    result_raw_map(&rf->raw);
    if (rf->durable && !rf->raw.map)
        result_raw_open_direct(&rf->raw, rf->part);
    return &result_backend_raw;
}

int result_backend_raw_write(result_file *rf, long first, hsize_t n, const float *block,
                             savu_error *why)
{
    int moved = result_raw_move(&rf->raw, true, rf->write_dim, (hsize_t)first, n, (float *)block);
    if (moved != 0)
        return savu_error_set(why, "%s", strerror(moved));
    if (rf->durable && n > 0)
        result_raw_start_writeback(&rf->raw);
    return 0;
}

int result_backend_raw_read(result_file *rf, long first, hsize_t n, float *block,
                            savu_error *why)
{
    int moved = result_raw_move(&rf->raw, false, rf->read_dim, (hsize_t)first, n, block);
    if (moved != 0)
        return savu_error_set(why, "%s", moved == EIO ? "the file ends before the frames"
                                                       : strerror(moved));
    return 0;
}

int result_backend_raw_close(result_file *rf, bool sync)
{
    return result_raw_close(&rf->raw, sync);
}

static int raw_reopen(result_file *rf)
{
    return (rf->raw.fd = open(rf->part, O_RDWR | O_CLOEXEC)) < 0 ? errno : 0;
}

/* A mapping would keep a removed file's pages. */
static void raw_discard(result_file *rf)
{
    result_raw_unmap(&rf->raw);
}

const struct result_backend result_backend_raw = {
    .name = "raw",
    .moves_raw = true,
    .writes_any_frames = true,
    .prepare = result_backend_prepare_nothing,
    .dcpl = raw_dcpl,
    .open = raw_open,
    .write = result_backend_raw_write,
    .read = result_backend_raw_read,
    .close = result_backend_raw_close,
    .reopen = raw_reopen,
    .commit = result_backend_commit_nothing,
    .discard = raw_discard,
};
