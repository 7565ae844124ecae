/* nxtomo_frames.c: reading the previewed window of a list of frames as
 * float32 (nxtomo_internal.h). Frames that step evenly (a run of
 * consecutive frames, or every k-th) are read with one strided hyperslab
 * into a memory space of the same shape (HDF5 then copies whole rows; a
 * flat memory space would make it map every element on its own). Detector
 * counts (unsigned 16-bit) are read as they are and converted to float
 * here, several times faster than HDF5's conversion; other types are
 * converted by HDF5 through a type-conversion buffer large enough for
 * whole frames. Where the frames lie in the file as they are, they are read
 * straight from it instead (nxtomo_raw.c), on several threads. */
#include "nxtomo_internal.h"
#include "nexus_hdf5.h"

/* Bytes of HDF5's type-conversion buffer (its default is 1 MiB). */
#define CONVERSION_BUFFER (64u << 20)

/* Frames frames[0..count) step evenly by *stride (1 for a single frame). */
static long even_run(const long *frames, long n, hsize_t *stride)
{
    *stride = 1;
    if (n < 2 || frames[1] <= frames[0])
        return 1;
    long step = frames[1] - frames[0];
    long count = 2;
    while (count < n && frames[count] - frames[count - 1] == step)
        count++;
    *stride = (hsize_t)step;
    return count;
}

/* The file selection of `count` frames from `first` by `stride`, with the
 * window's rows and columns. */
static hid_t select_run(const struct nxtomo_dataset *ds, long first, hsize_t stride, long count,
                        const struct nxtomo_window *w)
{
    hid_t space = H5Dget_space(ds->id);
    if (space < 0)
        return -1;
    hsize_t start[3], step[3], n[3];
    int d = 0;
    if (ds->rank == 3) {
        start[d] = (hsize_t)first;
        step[d] = stride;
        n[d++] = (hsize_t)count;
    }
    start[d] = (hsize_t)w->row0;
    step[d] = (hsize_t)w->row_step;
    n[d++] = (hsize_t)w->nrows;
    start[d] = (hsize_t)w->col0;
    step[d] = (hsize_t)w->col_step;
    n[d++] = (hsize_t)w->ncols;
    if (H5Sselect_hyperslab(space, H5S_SELECT_SET, start, step, n, NULL) < 0) {
        H5Sclose(space);
        return -1;
    }
    return space;
}

/* The scratch buffer for n raw elements; NULL when out of memory. */
static unsigned short *scratch_for(struct nxtomo_dataset *ds, size_t n)
{
    if (n > ds->scratch_size) {
        free(ds->scratch);
        ds->scratch_size = 0;
        if (!(ds->scratch = malloc(sizeof *ds->scratch * n)))
            return NULL;
        ds->scratch_size = n;
    }
    return ds->scratch;
}

/* H5Dread of the selection into out, as float. */
static herr_t read_as_float(struct nxtomo_dataset *ds, hid_t mem_space, hid_t file_space,
                            hid_t dxpl, size_t n, float *out)
{
    if (!ds->u16)
        return H5Dread(ds->id, H5T_NATIVE_FLOAT, mem_space, file_space, dxpl, out);
    unsigned short *raw = scratch_for(ds, n);
    if (!raw || H5Dread(ds->id, H5T_NATIVE_USHORT, mem_space, file_space, dxpl, raw) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = (float)raw[i];
    return 0;
}

/* The run through HDF5, its automatic error printing off (the error goes
 * into err); raw reads make no HDF5 call at all. */
static int read_run(struct nxtomo_dataset *ds, long first, hsize_t stride, long count,
                    const struct nxtomo_window *w, float *out, savu_error *err)
{
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    hid_t file_space = select_run(ds, first, stride, count, w);
    if (file_space < 0) {
        nxtomo_h5_fail(err, "cannot select frames %ld.. of '%s' in '%s'", first, ds->path,
                       ds->file);
        savu_h5_quiet_end(&quiet);
        return -1;
    }
    hsize_t shape[3] = {(hsize_t)count, (hsize_t)w->nrows, (hsize_t)w->ncols};
    hid_t mem_space = ds->rank == 3 ? H5Screate_simple(3, shape, NULL)
                                    : H5Screate_simple(2, shape + 1, NULL);
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    size_t frame_bytes = sizeof(float) * (size_t)w->nrows * (size_t)w->ncols;
    size_t buffer = frame_bytes > CONVERSION_BUFFER ? frame_bytes : CONVERSION_BUFFER;
    herr_t rc = mem_space < 0 || dxpl < 0 || H5Pset_buffer(dxpl, buffer, NULL, NULL) < 0
                    ? -1
                    : read_as_float(ds, mem_space, file_space, dxpl,
                                    (size_t)count * w->nrows * w->ncols, out);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (rc < 0) {
        long last = first + (long)stride * (count - 1);
        nxtomo_h5_fail(err, "cannot read frames %ld..%ld of '%s' in '%s'", first, last,
                       ds->path, ds->file);
    }
    if (mem_space >= 0)
        H5Sclose(mem_space);
    H5Sclose(file_space);
    savu_h5_quiet_end(&quiet);
    return rc < 0 ? -1 : 0;
}

bool nxtomo_reads_raw(struct nxtomo_dataset *ds, const struct nxtomo_window *w)
{
    return ds->rank == 3 && w->row_step == 1 && w->col_step == 1 && nxtomo_raw_prepare(ds) == 1;
}

int nxtomo_read_frames(struct nxtomo_dataset *ds, const long *frames, long n,
                       const struct nxtomo_window *w, float *out, uint64_t *bytes, savu_error *err)
{
    if (ds->rank != 2 && ds->rank != 3)
        return savu_error_set(err, "'%s' in '%s' is %d-D, expected 2-D or 3-D", ds->path,
                              ds->file, ds->rank);
    size_t frame = (size_t)w->nrows * (size_t)w->ncols;
    hsize_t n_frames = ds->rank == 3 ? ds->dims[0] : 1;
    bool raw = nxtomo_reads_raw(ds, w);
    for (long i = 0; i < n;) {
        hsize_t stride = 1;
        /* Raw reads take any list at once (one batch for the I/O threads);
         * HDF5 reads one evenly stepping run per hyperslab. */
        long count = raw ? n - i : ds->rank == 3 ? even_run(frames + i, n - i, &stride) : 1;
        long last = frames[i + count - 1];
        if (frames[i] < 0 || (hsize_t)last >= n_frames)
            return savu_error_set(err, "frames %ld..%ld are outside the %llu of '%s' in '%s'",
                                  frames[i], last, (unsigned long long)n_frames, ds->path,
                                  ds->file);
        float *dst = out + (size_t)i * frame;
        if (raw ? nxtomo_raw_read_frames(ds, frames + i, count, w, dst, NULL, err) < 0
                : read_run(ds, frames[i], stride, count, w, dst, err) < 0)
            return -1;
        *bytes += (uint64_t)count * frame * ds->element_size;
        i += count;
    }
    return 0;
}

struct nxtomo_window nxtomo_window_rows(const nxtomo_input *in, long r0, long nr)
{
    const savu_slice *rows = &in->info.preview[1], *cols = &in->info.preview[2];
    return (struct nxtomo_window){
        .row0 = rows->start + r0 * rows->step,
        .row_step = rows->step,
        .nrows = nr,
        .col0 = cols->start,
        .col_step = cols->step,
        .ncols = in->info.shape[2],
    };
}
