/* result_backend_frames.c: a result's frames moved through HDF5 for any
 * dataset and pattern (result_backend.h): N-D datasets, frames cut along
 * several dims (a time series' projections run along rotation_angle and
 * scan) or along the last dim. A block of frames is cut into runs
 * (dataset.h, frame_run_of) that differ only in the pattern's first slice
 * dim; each run is one box of the file, moved by one independent H5Dwrite
 * or H5Dread per variant. The box's own order is [before][frames][after]
 * and the block's [frames][before][after]: where `before` is more than one
 * the run moves through a scratch buffer, transposed by memcpy of `after`
 * floats at a time. Independent I/O, as the ranks make different numbers of
 * calls; the file's storage is allocated at creation (result_h5file_dcpl),
 * which parallel HDF5 needs for that. */
#include "result_backend.h"
#include "nexus_hdf5.h"
#include "scaled_u16.h"
#include <stdlib.h>
#include <string.h>

static hid_t frames_dcpl(const result_file *rf)
{
    return result_h5file_dcpl(rf, false);
}

static const struct result_backend *frames_open(result_file *rf)
{
    (void)rf;
    return &result_backend_frames;
}

/* One H5Dwrite (writing) or H5Dread of a run's box of one variant, from or
 * into buf in the box's own order. */
static int move_box(const result_file *rf, bool writing, const struct frame_run *run,
                    long variant, void *buf)
{
    hsize_t start[RESULT_MAX_DIMS], count[RESULT_MAX_DIMS];
    for (int d = 0; d < rf->space_dims; d++) {
        start[d] = (hsize_t)run->start[d];
        count[d] = (hsize_t)run->count[d];
    }
    for (int d = rf->space_dims; d < rf->ndims; d++) { /* v = t0 + n0 * (t1 + n1 * ...) */
        start[d] = (hsize_t)variant % rf->dims[d];
        variant = (long)((hsize_t)variant / rf->dims[d]);
        count[d] = 1;
    }
    hid_t file_space = H5Dget_space(rf->data);
    hid_t mem_space = H5Screate_simple(rf->ndims, count, NULL);
    int rc = file_space >= 0 && mem_space >= 0 &&
                     H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL) >= 0
                 ? 0
                 : -1;
    if (rc == 0 && writing)
        rc = H5Dwrite(rf->data, H5T_NATIVE_FLOAT, mem_space, file_space, rf->dxpl_independent,
                      buf) >= 0 ? 0 : -1;
    else if (rc == 0)
        rc = H5Dread(rf->data, H5T_NATIVE_FLOAT, mem_space, file_space, rf->dxpl_independent,
                     buf) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, mem_space);
    return savu_h5_close(rc, file_space);
}

/* Between a run's frames in a block, [frames][before][after], and the
 * box's order [before][frames][after]. */
static void transpose_run(const struct frame_run *run, const float *from, float *to, bool to_box)
{
    const size_t row = sizeof(float) * (size_t)run->after;
    for (long f = 0; f < run->frames; f++)
        for (long b = 0; b < run->before; b++) {
            size_t in_block = ((size_t)f * run->before + b) * run->after;
            size_t in_box = ((size_t)b * run->frames + f) * run->after;
            memcpy(to + (to_box ? in_box : in_block), from + (to_box ? in_block : in_box), row);
        }
}

/* Frames [first, first + n) of pattern pd, every variant, between the
 * block and the file. */
static int move_frames(result_file *rf, bool writing, const struct pattern_dims *pd, long first,
                       hsize_t n, float *block, savu_error *why)
{
    long shape[DATASET_MAX_DIMS], frame = 1;
    for (int d = 0; d < rf->space_dims; d++)
        shape[d] = (long)rf->dims[d];
    for (int i = 0; i < pd->n_core; i++)
        frame *= shape[pd->core[i]];
    const bool scale = writing && rf->store == RESULT_STORE_UINT16;
    float *scratch = NULL;
    size_t scratch_floats = 0;
    int rc = 0;
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    for (long v = 0; v < rf->n_variants && rc == 0; v++) {
        float *frames_v = block + (size_t)v * n * (size_t)frame;
        for (long done = 0; done < (long)n && rc == 0;) {
            struct frame_run run;
            frame_run_of(rf->space_dims, shape, pd, first + done, (long)n - done, &run);
            float *frames = frames_v + (size_t)done * (size_t)frame;
            size_t floats = (size_t)run.frames * (size_t)frame;
            float *buf = frames;
            if (run.before > 1 || scale) {
                if (floats > scratch_floats) {
                    free(scratch);
                    scratch_floats = floats;
                    if (!(scratch = malloc(sizeof(float) * floats))) {
                        rc = savu_error_set(why, "out of memory for %ld frames", run.frames);
                        break;
                    }
                }
                buf = scratch;
                if (writing && run.before > 1)
                    transpose_run(&run, frames, buf, true);
                else if (writing)
                    memcpy(buf, frames, sizeof(float) * floats);
                if (scale)
                    scaled_u16_in_place(buf, floats, rf->raw.u16_min, rf->raw.u16_max);
            }
            if (move_box(rf, writing, &run, v, buf) < 0) {
                result_h5_reason(why);
                rc = -1;
            } else if (!writing && buf != frames) {
                transpose_run(&run, buf, frames, false);
            }
            done += run.frames;
        }
    }
    savu_h5_quiet_end(&quiet);
    free(scratch);
    return rc;
}

static int frames_write(result_file *rf, long first, hsize_t n, const float *block,
                        savu_error *why)
{
    /* Writing never changes the block: it moves through scratch when it is
     * transposed or scaled, else straight from it. */
    return move_frames(rf, true, &rf->write_pd, first, n, (float *)block, why);
}

static int frames_read(result_file *rf, long first, hsize_t n, float *block, savu_error *why)
{
    return move_frames(rf, false, &rf->read_pd, first, n, block, why);
}

const struct result_backend result_backend_frames = {
    .name = "frames",
    .moves_raw = false,
    .writes_any_frames = true,
    .prepare = result_backend_prepare_nothing,
    .dcpl = frames_dcpl,
    .open = frames_open,
    .write = frames_write,
    .read = frames_read,
    .close = result_backend_close_nothing,
    .reopen = result_backend_reopen_nothing,
    .commit = result_backend_commit_nothing,
    .discard = result_backend_discard_nothing,
};
