/* nxtomo_raw.c: reading frames of the NXtomo data straight from the file
 * (raw_io.h) on the I/O threads, when the detector counts lie there as they
 * are: unsigned 16-bit or float32 in this machine's byte order, contiguous
 * or in unfiltered chunks, read without steps along rows and columns. Each
 * thread reads whole frames: the runs of bytes that are contiguous in the
 * file (a whole frame of a (1, rows, cols) chunk is one run) go into a
 * scratch buffer of its own and are converted to float32 into the block
 * (float32 data are read into the block directly). */
#include "nxtomo_internal.h"

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
    int usable = raw_layout_of(ds->id, ds->u16 ? H5T_NATIVE_USHORT : H5T_NATIVE_FLOAT, &ds->raw);
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
    unsigned short *scratch;   /* RAW_SCRATCH_BYTES per worker (u16 data) */
    int *errors;               /* per frame: 0 or an errno value */
};

/* n elements at offset into dst: read as they are (float32) or through the
 * worker's scratch and converted (u16). */
static int read_elements(const struct raw_read *job, int worker, off_t offset, size_t n,
                         float *dst)
{
    const struct nxtomo_dataset *ds = job->ds;
    if (!ds->u16)
        return raw_pread_full(ds->raw_fd, dst, n * sizeof *dst, offset);
    size_t room = RAW_SCRATCH_BYTES / sizeof *job->scratch;
    unsigned short *raw = job->scratch + (size_t)worker * room;
    while (n > 0) {
        size_t take = n < room ? n : room;
        int rc = raw_pread_full(ds->raw_fd, raw, take * sizeof *raw, offset);
        if (rc != 0)
            return rc;
        for (size_t i = 0; i < take; i++)
            dst[i] = (float)raw[i];
        dst += take;
        n -= take;
        offset += (off_t)(take * sizeof *raw);
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
    float *out = job->out + (size_t)task * (size_t)w->nrows * (size_t)w->ncols;
    size_t esize = l->element_size;
    off_t pending = 0;   /* a run of contiguous bytes not read yet */
    size_t pending_n = 0;
    float *pending_dst = out;
    int rc = 0;
    for (long r = 0; r < w->nrows && rc == 0; r++) {
        for (long c = 0; c < w->ncols && rc == 0;) {
            hsize_t coord[3] = { (hsize_t)job->frames[task], (hsize_t)(w->row0 + r),
                                 (hsize_t)(w->col0 + c) };
            hsize_t run;
            off_t at = raw_layout_offset(l, coord, (hsize_t)(w->ncols - c), &run);
            float *dst = out + (size_t)r * (size_t)w->ncols + (size_t)c;
            if (pending_n && at == pending + (off_t)(pending_n * esize) &&
                dst == pending_dst + pending_n) {
                pending_n += run;
            } else {
                if (pending_n)
                    rc = read_elements(job, worker, pending, pending_n, pending_dst);
                pending = at;
                pending_n = run;
                pending_dst = dst;
            }
            c += (long)run;
        }
    }
    if (rc == 0 && pending_n)
        rc = read_elements(job, worker, pending, pending_n, pending_dst);
    job->errors[task] = rc;
}

int nxtomo_raw_read_frames(struct nxtomo_dataset *ds, const long *frames, long n,
                           const struct nxtomo_window *w, float *out, savu_error *err)
{
    int workers = savu_thread_pool_size(ds->io_pool);
    struct raw_read job = {
        .ds = ds, .frames = frames, .w = w, .out = out,
        .scratch = ds->u16 ? raw_scratch(ds, workers) : NULL,
        .errors = calloc((size_t)n, sizeof(int)),
    };
    if ((ds->u16 && !job.scratch) || !job.errors) {
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
