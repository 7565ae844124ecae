/* result_backend_hdf5.c: a result's frames moved through HDF5
 * (result_backend.h), in chunks that suit both the pattern the data are
 * written in and the one they are read in next (result_geometry.h).
 *
 * Writes are collective (H5FD_MPIO_COLLECTIVE): every rank makes the same
 * H5Dwrite calls, a rank with nothing to write selects nothing, and a rank
 * that failed before a call still makes it, selecting nothing, so that no
 * rank waits for another. Reads are independent.
 *
 * Frames along dim 0 are contiguous in the file and move with one call per
 * variant. Frames along dim 1 hold dims 0 and 2, so a block [frame][d0][d2]
 * is the file's [d0][frame][d2] transposed: it moves through a scratch
 * buffer, a slab of dim-0 rows at a time (whole chunks along dim 0, about
 * 1 MiB per frame), and the transposing copy is memcpy of d2-long rows. */
#include "result_backend.h"
#include "nexus_hdf5.h"
#include "result_geometry.h"
#include "scaled_u16.h"
#include <stdlib.h>
#include <string.h>

static hid_t hdf5_dcpl(const result_file *rf)
{
    return result_h5file_dcpl(rf, false);
}

/* One H5Dwrite (writing) or H5Dread of the box start/count of the spatial
 * dims of one variant, from or into the contiguous buf; an empty box
 * selects nothing (a collective call still made). */
static int transfer(const result_file *rf, bool writing, hid_t dxpl, const hsize_t start3[3],
                    const hsize_t count3[3], long variant, void *buf)
{
    static float nothing;
    hsize_t start[RESULT_MAX_DIMS], count[RESULT_MAX_DIMS];
    hsize_t elements = count3[0] * count3[1] * count3[2];
    for (int d = 0; d < 3; d++) {
        start[d] = start3[d];
        count[d] = count3[d];
    }
    for (int d = 3; d < rf->ndims; d++) { /* v = t0 + n0 * (t1 + n1 * ...) */
        start[d] = (hsize_t)variant % rf->dims[d];
        variant = (long)((hsize_t)variant / rf->dims[d]);
        count[d] = 1;
    }
    /* The memory space has the shape of the file selection: HDF5 then maps
     * chunks by hyperslab, not element by element. */
    hsize_t one[RESULT_MAX_DIMS];
    for (int d = 0; d < rf->ndims; d++)
        one[d] = 1;
    hid_t file_space = H5Dget_space(rf->data);
    hid_t mem_space = H5Screate_simple(rf->ndims, elements ? count : one, NULL);
    int rc = file_space >= 0 && mem_space >= 0 ? 0 : -1;
    if (rc == 0 && elements)
        rc = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 ? 0 : -1;
    else if (rc == 0)
        rc = H5Sselect_none(file_space) >= 0 && H5Sselect_none(mem_space) >= 0 ? 0 : -1;
    if (!elements || !buf)
        buf = &nothing;
    if (rc == 0 && writing)
        rc = H5Dwrite(rf->data, H5T_NATIVE_FLOAT, mem_space, file_space, dxpl, buf) >= 0 ? 0 : -1;
    else if (rc == 0)
        rc = H5Dread(rf->data, H5T_NATIVE_FLOAT, mem_space, file_space, dxpl, buf) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, mem_space);
    return savu_h5_close(rc, file_space);
}

/* The box of one slab for frames along dim 1: at most rf->slab dim-0 rows
 * from a0, frames [first, first + frames), all of dim 2. */
static void slab_box(const result_file *rf, hsize_t a0, long first, hsize_t frames,
                     hsize_t start[3], hsize_t count[3])
{
    hsize_t rows = rf->dims[0] - a0 < rf->slab ? rf->dims[0] - a0 : rf->slab;
    start[0] = a0, start[1] = (hsize_t)first, start[2] = 0;
    count[0] = rows, count[1] = frames, count[2] = rf->dims[2];
}

/* Frames [first, first + frames) along dim 0 of one variant. */
static int transfer_frames(const result_file *rf, bool writing, hid_t dxpl, long first,
                           hsize_t frames, long v, void *buf)
{
    hsize_t start[3] = { (hsize_t)first, 0, 0 }, count[3] = { frames, rf->dims[1], rf->dims[2] };
    return transfer(rf, writing, dxpl, start, count, v, buf);
}

static int hdf5_write(result_file *rf, long first, hsize_t frames, const float *block,
                      savu_error *why)
{
    int rc = 0, dim = rf->write_dim;
    size_t per_variant = frames * result_frame_floats(rf->dims, dim);
    float *slab = dim == 1 ? result_slab_new(rf->dims, rf->slab, frames) : NULL;
    if (dim == 1 && frames && !slab) {
        rc = savu_error_set(why, "out of memory for %llu frames", (unsigned long long)frames);
        frames = 0; /* still make every collective call, writing nothing */
    }
    float *scaled = NULL; /* uint16: the stored integers, for HDF5 to convert */
    if (rf->store == RESULT_STORE_UINT16 && frames) {
        size_t count = per_variant * (size_t)rf->n_variants;
        if ((scaled = malloc(sizeof *scaled * count))) {
            memcpy(scaled, block, sizeof *scaled * count);
            scaled_u16_in_place(scaled, count, rf->raw.u16_min, rf->raw.u16_max);
            block = scaled;
        } else if (rc == 0) {
            rc = savu_error_set(why, "out of memory for %llu frames", (unsigned long long)frames);
        }
    }
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    for (long v = 0; v < rf->n_variants; v++) {
        const float *frames_v = frames ? block + (size_t)v * per_variant : NULL;
        int done;
        if (dim == 0) {
            done = transfer_frames(rf, true, rf->dxpl_collective, first, frames, v, (void *)frames_v);
        } else {
            done = 0;
            for (hsize_t a0 = 0; a0 < rf->dims[0]; a0 += rf->slab) {
                hsize_t start[3], count[3];
                slab_box(rf, a0, first, frames, start, count);
                if (frames)
                    result_slab_pack(rf->dims, frames_v, frames, a0, count[0], slab);
                if (transfer(rf, true, rf->dxpl_collective, start, count, v, slab) < 0 && done == 0)
                    done = -1;
            }
        }
        if (done < 0 && rc == 0) {
            result_h5_reason(why);
            rc = -1;
        }
    }
    savu_h5_quiet_end(&quiet);
    free(scaled);
    free(slab);
    return rc;
}

int result_backend_hdf5_read(result_file *rf, long first, hsize_t frames, float *block,
                             savu_error *why)
{
    int rc = 0, dim = rf->read_dim;
    size_t per_variant = frames * result_frame_floats(rf->dims, dim);
    float *slab = dim == 1 ? result_slab_new(rf->dims, rf->slab, frames) : NULL;
    if (dim == 1 && !slab)
        rc = savu_error_set(why, "out of memory for %llu frames", (unsigned long long)frames);
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    for (long v = 0; v < rf->n_variants && rc == 0; v++) {
        float *frames_v = block + (size_t)v * per_variant;
        if (dim == 0) {
            rc = transfer_frames(rf, false, rf->dxpl_independent, first, frames, v, frames_v);
            continue;
        }
        for (hsize_t a0 = 0; a0 < rf->dims[0] && rc == 0; a0 += rf->slab) {
            hsize_t start[3], count[3];
            slab_box(rf, a0, first, frames, start, count);
            rc = transfer(rf, false, rf->dxpl_independent, start, count, v, slab);
            if (rc == 0)
                result_slab_unpack(rf->dims, slab, frames, a0, count[0], frames_v);
        }
        if (rc < 0)
            result_h5_reason(why);
    }
    savu_h5_quiet_end(&quiet);
    free(slab);
    return rc;
}

static const struct result_backend *hdf5_open(result_file *rf)
{
    (void)rf;
    return &result_backend_hdf5;
}

/* ---- entries for what a backend has nothing to do for ---- */

int result_backend_prepare_nothing(result_file *rf, savu_error *why)
{
    (void)rf, (void)why;
    return 0;
}

int result_backend_close_nothing(result_file *rf, bool sync)
{
    (void)rf, (void)sync;
    return 0;
}

int result_backend_reopen_nothing(result_file *rf)
{
    (void)rf;
    return 0;
}

int result_backend_commit_nothing(result_file *rf, savu_error *msg)
{
    (void)rf, (void)msg;
    return 0;
}

void result_backend_discard_nothing(result_file *rf)
{
    (void)rf;
}

const struct result_backend result_backend_hdf5 = {
    .name = "hdf5",
    .moves_raw = false,
    .writes_any_frames = false,
    .prepare = result_backend_prepare_nothing,
    .dcpl = hdf5_dcpl,
    .open = hdf5_open,
    .write = hdf5_write,
    .read = result_backend_hdf5_read,
    .close = result_backend_close_nothing,
    .reopen = result_backend_reopen_nothing,
    .commit = result_backend_commit_nothing,
    .discard = result_backend_discard_nothing,
};
