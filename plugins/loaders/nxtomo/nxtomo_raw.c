/* nxtomo_raw.c: reading frames of the NXtomo data straight from the file
 * (raw_io.h) on the I/O threads, when the detector counts lie there as they
 * are: unsigned 16-bit or float32 in this machine's byte order, contiguous
 * or in unfiltered chunks, read without steps along rows and columns. Each
 * thread reads whole frames: the runs of bytes that are contiguous in the
 * file (a whole frame of a (1, rows, cols) chunk is one run) go into a
 * scratch buffer of its own and are converted to float32, row by row, to
 * their places in the block: frame after frame (projections), or each frame
 * spread over the sinograms (its row r at sinogram r, its angle's row), so
 * that sinograms need no transposing afterwards. float32 data bound for
 * whole frames are read into the block directly. */
#include "nxtomo_internal.h"
#include "nexus_hdf5.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpu/thread_pool.h"

/* Bytes each I/O thread reads at a time (its scratch buffer). */
#define RAW_SCRATCH_BYTES ((size_t)8 << 20)

int nxtomo_raw_prepare(struct nxtomo_dataset *ds)
{
    if (ds->raw_state != 0)
        return ds->raw_state;
    ds->raw_state = -1;
    if (ds->rank != 3)
        return -1;
    savu_h5_quiet quiet; /* a layout raw reads cannot take is no error */
    savu_h5_quiet_begin(&quiet);
    int usable = raw_layout_of(ds->id, ds->u16 ? H5T_NATIVE_USHORT : H5T_NATIVE_FLOAT, &ds->raw);
    savu_h5_quiet_end(&quiet);
    if (usable != 1)
        return -1;
    ds->raw_fd = open(ds->raw.file_name, O_RDONLY | O_CLOEXEC);
    if (ds->raw_fd < 0) {
        raw_layout_free(&ds->raw);
        return -1;
    }
    ds->raw_state = 1;
    return 1;
}

void nxtomo_raw_close(struct nxtomo_dataset *ds)
{
    if (ds->raw_state == 1) {
        close(ds->raw_fd);
        raw_layout_free(&ds->raw);
    }
    ds->raw_state = 0;
    free(ds->raw_scratch);
    ds->raw_scratch = NULL;
    ds->raw_scratch_workers = 0;
}

/* The u16 scratch of every worker, kept for the next block. */
static unsigned short *raw_scratch(struct nxtomo_dataset *ds, int workers)
{
    if (ds->raw_scratch_workers < workers) {
        free(ds->raw_scratch);
        ds->raw_scratch_workers = 0;
        if (!(ds->raw_scratch = malloc(RAW_SCRATCH_BYTES * (size_t)workers)))
            return NULL;
        ds->raw_scratch_workers = workers;
    }
    return ds->raw_scratch;
}

struct raw_read {
    const struct nxtomo_dataset *ds;
    const long *frames;
    const struct nxtomo_window *w;
    float *out;
    struct nxtomo_out_layout layout; /* where element (frame, r, c) goes */
    bool contiguous;                 /* rows of a frame follow each other in out */
    unsigned short *scratch;   /* RAW_SCRATCH_BYTES per worker */
    int *errors;               /* per frame: 0 or an errno value */
};

static float *place_of(const struct raw_read *job, int task, long r, long c)
{
    return job->out + (size_t)task * job->layout.frame_stride +
           (size_t)r * job->layout.row_stride + (size_t)c;
}

/* n elements of the window in the scratch's bytes `src`, from (r, c) on,
 * converted (u16) or copied (float32) to their places, row by row. */
static void place_elements(const struct raw_read *job, int task, long r, long c,
                           const void *src, size_t n)
{
    const long ncols = job->w->ncols;
    const unsigned short *u16 = src;
    const float *f32 = src;
    while (n > 0) {
        size_t take = (size_t)(ncols - c) < n ? (size_t)(ncols - c) : n;
        float *dst = place_of(job, task, r, c);
        if (job->ds->u16)
            for (size_t i = 0; i < take; i++)
                dst[i] = (float)u16[i];
        else
            memcpy(dst, f32, take * sizeof *dst);
        u16 += take;
        f32 += take;
        n -= take;
        r++;
        c = 0;
    }
}

/* n elements of the window from (r, c) on, contiguous in the file at
 * `offset`: float32 into a contiguous block directly, anything else
 * through the worker's scratch. */
static int read_elements(const struct raw_read *job, int worker, int task, off_t offset,
                         size_t n, long r, long c)
{
    const struct nxtomo_dataset *ds = job->ds;
    if (!ds->u16 && job->contiguous)
        return raw_pread_full(ds->raw_fd, place_of(job, task, r, c), n * sizeof(float), offset);
    size_t esize = ds->raw.element_size, room = RAW_SCRATCH_BYTES / esize;
    void *scratch = (char *)job->scratch + (size_t)worker * RAW_SCRATCH_BYTES;
    const long ncols = job->w->ncols;
    while (n > 0) {
        size_t take = n < room ? n : room;
        int rc = raw_pread_full(ds->raw_fd, scratch, take * esize, offset);
        if (rc != 0)
            return rc;
        place_elements(job, task, r, c, scratch, take);
        size_t at = (size_t)c + take;
        r += (long)(at / (size_t)ncols);
        c = (long)(at % (size_t)ncols);
        n -= take;
        offset += (off_t)(take * esize);
    }
    return 0;
}

/* Frame `task` of the job: its window's rows, consecutive runs that are
 * contiguous in the file read together. */
static void read_frame(void *ctx, int task, int worker)
{
    const struct raw_read *job = ctx;
    const struct raw_layout *l = &job->ds->raw;
    const struct nxtomo_window *w = job->w;
    size_t esize = l->element_size;
    off_t pending = 0;   /* a run of contiguous bytes not read yet, from (pr, pc) */
    size_t pending_n = 0;
    long pr = 0, pc = 0;
    int rc = 0;
    for (long r = 0; r < w->nrows && rc == 0; r++) {
        for (long c = 0; c < w->ncols && rc == 0;) {
            hsize_t coord[3] = { (hsize_t)job->frames[task], (hsize_t)(w->row0 + r),
                                 (hsize_t)(w->col0 + c) };
            hsize_t run;
            off_t at = raw_layout_offset(l, coord, (hsize_t)(w->ncols - c), &run);
            if (pending_n && at == pending + (off_t)(pending_n * esize)) {
                pending_n += run;
            } else {
                if (pending_n)
                    rc = read_elements(job, worker, task, pending, pending_n, pr, pc);
                pending = at;
                pending_n = run;
                pr = r;
                pc = c;
            }
            c += (long)run;
        }
    }
    if (rc == 0 && pending_n)
        rc = read_elements(job, worker, task, pending, pending_n, pr, pc);
    job->errors[task] = rc;
}

int nxtomo_raw_read_frames(struct nxtomo_dataset *ds, const long *frames, long n,
                           const struct nxtomo_window *w, float *out,
                           const struct nxtomo_out_layout *layout, savu_error *err)
{
    int workers = savu_thread_pool_size(ds->io_pool);
    struct nxtomo_out_layout frames_in_order = {
        .frame_stride = (size_t)w->nrows * (size_t)w->ncols, .row_stride = (size_t)w->ncols};
    struct raw_read job = {
        .ds = ds, .frames = frames, .w = w, .out = out,
        .layout = layout ? *layout : frames_in_order,
        .errors = calloc((size_t)n, sizeof(int)),
    };
    job.contiguous = job.layout.row_stride == (size_t)w->ncols;
    bool need_scratch = ds->u16 || !job.contiguous;
    job.scratch = need_scratch ? raw_scratch(ds, workers) : NULL;
    if ((need_scratch && !job.scratch) || !job.errors) {
        free(job.errors);
        return savu_error_set(err, "out of memory reading frames of '%s' in '%s'", ds->path,
                              ds->file);
    }
    savu_thread_pool_run(ds->io_pool, (int)n, read_frame, &job);
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++)
        if (job.errors[i])
            rc = savu_error_set(err, "cannot read frame %ld of '%s' in '%s': %s", frames[i],
                                ds->path, ds->raw.file_name,
                                job.errors[i] == EIO ? "the file ends before the frame's data"
                                                     : strerror(job.errors[i]));
    free(job.errors);
    return rc;
}
