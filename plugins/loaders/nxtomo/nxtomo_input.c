/* nxtomo_input.c: the NXtomo input's life cycle (nxtomo_input.h): open (file,
 * frames, image key, angles, preview, darks and flats, each step in its own
 * nxtomo_*.c), reading blocks of projections or sinograms of the previewed
 * data as float32, and close. HDF5's own error printing is off inside every
 * call; errors come back as one line. */
#include "nxtomo_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nexus_hdf5.h"

/* Bytes of frames held at once while transposing into sinograms. */
#define NXTOMO_SINOGRAM_BATCH_BYTES (64u << 20)

void nxtomo_warn(const nxtomo_input *in, const char *fmt, ...)
{
    if (!in->warn)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    line[strcspn(line, "\n")] = '\0';
    in->warn(in->warn_ctx, line);
}

static nxtomo_input *input_new(const struct nxtomo_config *cfg)
{
    nxtomo_input *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->file = -1;
    in->lapl = -1;
    in->data.id = -1;
    in->warn = cfg->warn;
    in->through_hdf5 = cfg->through_hdf5;
    in->warn_ctx = cfg->warn_ctx;
    in->file_name = strdup(cfg->data_file);
    if (!in->file_name) {
        free(in);
        return NULL;
    }
    return in;
}

static int check_frames_dataset(nxtomo_input *in, savu_error *err)
{
    const struct nxtomo_dataset *ds = &in->data;
    if (ds->rank != 3)
        return savu_error_set(err, "'%s' in '%s' is %d-D, expected 3-D (frames, rows, cols)",
                              ds->path, in->file_name, ds->rank);
    for (int d = 0; d < 3; d++) {
        if (ds->dims[d] == 0)
            return savu_error_set(err, "'%s' in '%s' is empty", ds->path, in->file_name);
        in->info.file_shape[d] = (long)ds->dims[d];
    }
    in->n_frames = in->info.file_shape[0];
    return 0;
}

/* The frames, key and angles of the file, before the preview. */
static int open_frames(nxtomo_input *in, const struct nxtomo_config *cfg, savu_error *err)
{
    char *entry = NULL, *key = NULL;
    int rc = nxtomo_find_data(in, cfg, &entry, err);
    if (rc == 0)
        rc = check_frames_dataset(in, err);
    if (rc == 0)
        rc = nxtomo_find_key(in, cfg, entry, &key, err);
    if (rc == 0)
        rc = nxtomo_read_key(in, key, err);
    if (rc == 0)
        rc = nxtomo_ignore_flat_batches(in->kinds, in->n_frames, cfg->ignore_flats, err);
    if (rc == 0)
        rc = nxtomo_load_angles(in, cfg, err);
    in->key_path = key;
    free(entry);
    return rc;
}

/* The preview, and the frames and angles of the previewed projections. */
static int apply_preview(nxtomo_input *in, const struct nxtomo_config *cfg, savu_error *err)
{
    struct nxtomo_info *info = &in->info;
    const long lengths[3] = {info->n_projections, info->file_shape[1], info->file_shape[2]};
    if (nxtomo_resolve_preview(cfg->preview, lengths, info->preview, err) < 0)
        return -1;
    for (int d = 0; d < 3; d++)
        info->shape[d] = nxtomo_slice_count(&info->preview[d]);
    long n = info->shape[0];
    in->frames = malloc((size_t)n * sizeof *in->frames);
    in->angles = malloc((size_t)n * sizeof *in->angles);
    if (!in->frames || !in->angles)
        return savu_error_set(err, "out of memory");
    for (long i = 0; i < n; i++) {
        long p = info->preview[0].start + i * info->preview[0].step;
        in->frames[i] = in->projection_frames[p];
        in->angles[i] = in->all_angles[p];
    }
    return 0;
}

static void publish_info(nxtomo_input *in)
{
    struct nxtomo_info *info = &in->info;
    info->angles_deg = in->angles;
    info->dark = in->dark;
    info->flat = in->flat;
    info->data_path = in->data.path;
    info->image_key_path = in->key_path;
    info->angles_source = in->angles_source;
}

int nxtomo_input_open(const struct nxtomo_config *cfg, nxtomo_input **out, savu_error *err)
{
    *out = NULL;
    if (!cfg || !cfg->data_file || !*cfg->data_file)
        return savu_error_set(err, "no data file given");
    nxtomo_input *in = input_new(cfg);
    if (!in)
        return savu_error_set(err, "out of memory");
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    int rc = nxtomo_h5_open_file(in->file_name, "data file", &in->file, err);
    if (rc == 0 && (in->lapl = nxtomo_h5_link_access(in->file_name)) < 0)
        rc = nxtomo_h5_fail(err, "cannot make a link access list for '%s'", in->file_name);
    if (rc == 0)
        rc = open_frames(in, cfg, err);
    if (rc == 0 && in->through_hdf5)
        in->data.raw_state = -1;
    if (rc == 0)
        rc = apply_preview(in, cfg, err);
    if (rc == 0)
        rc = nxtomo_load_darks_flats(in, cfg, err);
    savu_h5_quiet_end(&quiet);
    if (rc < 0) {
        savu_h5_error_one_line(err);
        nxtomo_input_close(in);
        return -1;
    }
    publish_info(in);
    *out = in;
    return 0;
}

const struct nxtomo_info *nxtomo_input_info(const nxtomo_input *in)
{
    return &in->info;
}

static int check_range(const nxtomo_input *in, const char *what, long first, long count,
                       long length, savu_error *err)
{
    if (first < 0 || count < 0 || first > length || count > length - first)
        return savu_error_set(err, "%s: %s %ld..%ld are outside the %ld previewed", in->file_name,
                              what, first, first + count - 1, length);
    return 0;
}

int nxtomo_input_read_projections(nxtomo_input *in, long a0, long na, float *out, savu_error *err)
{
    if (check_range(in, "projections", a0, na, in->info.shape[0], err) < 0)
        return -1;
    struct nxtomo_window w = nxtomo_window_rows(in, 0, in->info.shape[1]);
    return nxtomo_read_frames(&in->data, in->frames + a0, na, &w, out, &in->info.bytes_read,
                              err);
}

/* tmp [n][nr][cols] into out [nr][angles][cols] at angle a. */
static void transpose_into(const float *tmp, long a, long n, long nr, long angles, long cols,
                           float *out)
{
    size_t row = (size_t)cols * sizeof *out;
    for (long f = 0; f < n; f++)
        for (long r = 0; r < nr; r++)
            memcpy(out + ((size_t)r * (size_t)angles + (size_t)(a + f)) * (size_t)cols,
                   tmp + ((size_t)f * (size_t)nr + (size_t)r) * (size_t)cols, row);
}

int nxtomo_input_read_sinograms(nxtomo_input *in, long r0, long nr, float *out, savu_error *err)
{
    if (check_range(in, "rows", r0, nr, in->info.shape[1], err) < 0)
        return -1;
    if (nr == 0)
        return 0;
    const long angles = in->info.shape[0], cols = in->info.shape[2];
    struct nxtomo_window w = nxtomo_window_rows(in, r0, nr);
    if (nxtomo_reads_raw(&in->data, &w)) {
        /* each frame's rows straight to their sinograms: no transpose */
        struct nxtomo_out_layout spread = {.frame_stride = (size_t)cols,
                                           .row_stride = (size_t)angles * (size_t)cols};
        if (nxtomo_raw_read_frames(&in->data, in->frames, angles, &w, out, &spread, err) != 0)
            return -1;
        in->info.bytes_read += (uint64_t)angles * (uint64_t)nr * (uint64_t)cols *
                               in->data.element_size;
        return 0;
    }
    size_t frame_bytes = (size_t)nr * (size_t)cols * sizeof(float);
    long batch = (long)(NXTOMO_SINOGRAM_BATCH_BYTES / frame_bytes);
    batch = batch < 1 ? 1 : batch > angles ? angles : batch;
    float *tmp = malloc((size_t)batch * frame_bytes);
    if (!tmp)
        return savu_error_set(err, "out of memory reading sinograms of '%s'", in->file_name);
    int rc = 0;
    for (long a = 0; rc == 0 && a < angles; a += batch) {
        long n = angles - a < batch ? angles - a : batch;
        rc = nxtomo_read_frames(&in->data, in->frames + a, n, &w, tmp, &in->info.bytes_read, err);
        if (rc == 0)
            transpose_into(tmp, a, n, nr, angles, cols, out);
    }
    free(tmp);
    return rc;
}

bool nxtomo_input_reads_raw(nxtomo_input *in)
{
    struct nxtomo_window w = nxtomo_window_rows(in, 0, 1);
    return nxtomo_reads_raw(&in->data, &w);
}

void nxtomo_input_set_io_pool(nxtomo_input *in, struct savu_thread_pool *pool)
{
    in->data.io_pool = pool;
}

void nxtomo_input_close(nxtomo_input *in)
{
    if (!in)
        return;
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    nxtomo_dataset_close(&in->data);
    if (in->lapl >= 0)
        H5Pclose(in->lapl);
    if (in->file >= 0)
        H5Fclose(in->file);
    savu_h5_quiet_end(&quiet);
    free(in->file_name);
    free(in->kinds);
    free(in->projection_frames);
    free(in->all_angles);
    free(in->frames);
    free(in->angles);
    free(in->dark);
    free(in->flat);
    free(in->key_path);
    free(in->angles_source);
    free(in);
}
