/* nxtomo_darkflat.c: the averaged dark and flat fields over the previewed
 * window (nxtomo_internal.h). They come from the data file's frames with
 * image key 2 and 1, or from separate files given as [file, path, scale]
 * (2-D: one frame; 3-D: frames, rows, cols). Sums are kept in double; the
 * mean times the scale is stored as float32, as Savu does. Either may be
 * absent (NULL); the dark-flat correction reports what it lacks. With
 * cfg->threads > 1 the frames are read and summed on that many threads
 * (2048 x 2048 detectors: 0.3 s on one thread). */
#include "nxtomo_internal.h"
#include <stdlib.h>
#include <string.h>
#include "cpu/parallel_ranges.h"
#include "cpu/thread_pool.h"

/* Bytes of float frames read at once while averaging, at least (a batch
 * also holds at least a frame per thread). */
#define NXTOMO_AVERAGE_BATCH_BYTES (32u << 20)

/* Adding a batch of k frames into the sums, pixels split among threads. */
struct batch_sum {
    double *sum;
    const float *frames;
    size_t frame;
    long k;
};

static void sum_pixels(void *ctx, long begin, long end)
{
    const struct batch_sum *b = ctx;
    for (long f = 0; f < b->k; f++) {
        const float *src = b->frames + (size_t)f * b->frame;
        for (long p = begin; p < end; p++)
            b->sum[p] += src[p];
    }
}

struct field_source {
    const char *role;     /* "dark" or "flat" */
    int kind;             /* NXTOMO_DARK or NXTOMO_FLAT */
    const char *file, *path;
    double scale;
};

/* The mean of frames[0..n) of ds over window w, times scale. */
static int average(struct nxtomo_dataset *ds, const long *frames, long n,
                   const struct nxtomo_window *w, double scale, float **out, uint64_t *bytes,
                   savu_error *err)
{
    size_t frame = (size_t)w->nrows * (size_t)w->ncols;
    long batch = (long)(NXTOMO_AVERAGE_BATCH_BYTES / (frame * sizeof(float)));
    long workers = ds->io_pool ? savu_thread_pool_size(ds->io_pool) : 1;
    batch = batch < workers ? workers : batch;
    batch = batch < 1 ? 1 : batch > n ? n : batch;
    double *sum = calloc(frame, sizeof *sum);
    float *buf = malloc((size_t)batch * frame * sizeof *buf);
    *out = malloc(frame * sizeof **out);
    int rc = sum && buf && *out ? 0 : savu_error_set(err, "out of memory averaging '%s'",
                                                     ds->path);
    for (long i = 0; rc == 0 && i < n; i += batch) {
        long k = n - i < batch ? n - i : batch;
        rc = nxtomo_read_frames(ds, frames + i, k, w, buf, bytes, err);
        struct batch_sum b = {sum, buf, frame, k};
        if (rc == 0)
            savu_parallel_ranges(ds->io_pool, (long)frame, sum_pixels, &b);
    }
    for (size_t p = 0; rc == 0 && p < frame; p++)
        (*out)[p] = (float)(sum[p] / (double)n * scale);
    free(sum);
    free(buf);
    if (rc < 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static int from_key(nxtomo_input *in, const struct field_source *src, float **out, int *count,
                    savu_error *err)
{
    long n;
    long *frames = nxtomo_frames_of_kind(in->kinds, in->n_frames, src->kind, &n);
    *count = (int)n;
    if (!frames)
        return 0;
    struct nxtomo_window w = nxtomo_window_rows(in, 0, in->info.shape[1]);
    int rc = average(&in->data, frames, n, &w, src->scale, out, &in->info.bytes_read, err);
    free(frames);
    return rc;
}

/* A separate file's frames must match the data's rows and columns. */
static int check_frames(const nxtomo_input *in, const struct nxtomo_dataset *ds, savu_error *err)
{
    if (ds->rank != 2 && ds->rank != 3)
        return savu_error_set(err, "'%s' in '%s' is %d-D, expected 2-D (rows, cols) or 3-D "
                                   "(frames, rows, cols)", ds->path, ds->file, ds->rank);
    hsize_t rows = ds->dims[ds->rank - 2], cols = ds->dims[ds->rank - 1];
    if ((long)rows != in->info.file_shape[1] || (long)cols != in->info.file_shape[2])
        return savu_error_set(err, "'%s' in '%s' has frames of %llu x %llu pixels; the data's are "
                                   "%ld x %ld", ds->path, ds->file, (unsigned long long)rows,
                              (unsigned long long)cols, in->info.file_shape[1],
                              in->info.file_shape[2]);
    if (ds->npoints == 0)
        return savu_error_set(err, "'%s' in '%s' is empty", ds->path, ds->file);
    return 0;
}

static int average_dataset(nxtomo_input *in, struct nxtomo_dataset *ds, double scale,
                           float **out, int *count, savu_error *err)
{
    long n = ds->rank == 3 ? (long)ds->dims[0] : 1;
    long *frames = malloc((size_t)n * sizeof *frames);
    if (!frames)
        return savu_error_set(err, "out of memory");
    for (long i = 0; i < n; i++)
        frames[i] = i;
    struct nxtomo_window w = nxtomo_window_rows(in, 0, in->info.shape[1]);
    int rc = average(ds, frames, n, &w, scale, out, &in->info.bytes_read, err);
    free(frames);
    *count = rc == 0 ? (int)n : 0;
    return rc;
}

static int from_file(nxtomo_input *in, const struct field_source *src, float **out, int *count,
                     savu_error *err)
{
    char *path = nxtomo_h5_absolute(src->path);
    if (!path)
        return savu_error_set(err, "%s file '%s': no dataset path given (%s = [file, path, "
                                   "scale])", src->role, src->file, src->role);
    char role[32];
    snprintf(role, sizeof role, "%s file", src->role);
    hid_t file, lapl = -1;
    struct nxtomo_dataset ds = {.id = -1};
    int rc = nxtomo_h5_open_file(src->file, role, &file, err);
    if (rc == 0 && (lapl = nxtomo_h5_link_access(src->file)) < 0)
        rc = nxtomo_h5_fail(err, "cannot make a link access list for '%s'", src->file);
    if (rc == 0)
        rc = nxtomo_dataset_open(file, lapl, src->file, path, &ds, err);
    if (rc == 0 && in->through_hdf5)
        ds.raw_state = -1;
    ds.io_pool = in->data.io_pool;
    if (rc == 0)
        rc = check_frames(in, &ds, err);
    if (rc == 0)
        rc = average_dataset(in, &ds, src->scale, out, count, err);
    nxtomo_dataset_close(&ds);
    if (lapl >= 0)
        H5Pclose(lapl);
    if (file >= 0)
        H5Fclose(file);
    free(path);
    return rc;
}

static int load_field(nxtomo_input *in, const struct field_source *src, float **out, int *count,
                      savu_error *err)
{
    *out = NULL;
    *count = 0;
    return src->file ? from_file(in, src, out, count, err) : from_key(in, src, out, count, err);
}

int nxtomo_load_darks_flats(nxtomo_input *in, const struct nxtomo_config *cfg, savu_error *err)
{
    /* A zeroed configuration means no scale, not a scale of 0. */
    struct field_source dark = {"dark", NXTOMO_DARK, cfg->dark_file, cfg->dark_path,
                                cfg->dark_scale != 0 ? cfg->dark_scale : 1.0};
    struct field_source flat = {"flat", NXTOMO_FLAT, cfg->flat_file, cfg->flat_path,
                                cfg->flat_scale != 0 ? cfg->flat_scale : 1.0};
    savu_error ignored;
    savu_thread_pool *pool = cfg->threads > 1 ? savu_thread_pool_create(cfg->threads, &ignored)
                                              : NULL;
    struct savu_thread_pool *before = in->data.io_pool;
    in->data.io_pool = pool; /* NULL (no threads to spare): the caller alone */
    int rc = load_field(in, &dark, &in->dark, &in->info.n_darks, err) < 0 ||
                     load_field(in, &flat, &in->flat, &in->info.n_flats, err) < 0
                 ? -1
                 : 0;
    in->data.io_pool = before;
    savu_thread_pool_destroy(pool);
    return rc;
}
