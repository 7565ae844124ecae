/* test_nxtomo.c: the NXtomo input (plugins/loaders/nxtomo/nxtomo_input.h) against real
 * files: savu_phantom's Diamond layout and files of other layouts built here
 * with HDF5 (int32 keys, darks and flats at both ends and in the middle,
 * ignored flat batches, separate dark and flat files, a standard NXtomo
 * entry, data behind an external link). Every value read is compared with a
 * direct H5Dread of the same file, read straight from the file (raw, on I/O
 * threads) and through HDF5 for every layout (contiguous, chunks of several
 * shapes, float32; other-endian, compressed and user-block files fall back
 * to HDF5); the preview's byte counts prove that only
 * previewed rows are read; each error is checked for its one-line message
 * and for open returning -1 with no reader. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "test_tmpdir.h"
#include "phantom_test_util.h"
#include "nxtomo_input.h"
#include "nxtomo_internal.h"
#include "cpu/thread_pool.h"
#include "phantom_nxtomo.h"
#include "phantom_params.h"

/* ---- temporary directory ---- */

static int make_tmpdir(void **state)
{
    (void)state;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return test_tmpdir_make("test_nxtomo");
}

/* ---- writing test files with HDF5 ---- */

static hid_t create_file(const char *path)
{
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(file >= 0);
    return file;
}

static hid_t intermediate_groups(void)
{
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    assert_true(lcpl >= 0);
    assert_true(H5Pset_create_intermediate_group(lcpl, 1) >= 0);
    return lcpl;
}

/* A dataset of file type `type` at `path` (groups made as needed), laid
 * out as dcpl says. */
static void put_laid_out(hid_t file, const char *path, hid_t type, hid_t mem_type, int rank,
                         const hsize_t *dims, const void *values, hid_t dcpl)
{
    hid_t lcpl = intermediate_groups();
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t set = H5Dcreate2(file, path, type, space, lcpl, dcpl, H5P_DEFAULT);
    assert_true(set >= 0);
    assert_true(H5Dwrite(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Dclose(set);
    H5Sclose(space);
    H5Pclose(lcpl);
}

static void put(hid_t file, const char *path, hid_t type, hid_t mem_type, int rank,
                const hsize_t *dims, const void *values)
{
    put_laid_out(file, path, type, mem_type, rank, dims, values, H5P_DEFAULT);
}

static void put_doubles(hid_t file, const char *path, hid_t type, const double *values, long n)
{
    hsize_t dims[1] = {(hsize_t)n};
    put(file, path, type, H5T_NATIVE_DOUBLE, 1, dims, values);
}

/* A recognisable value of every pixel of every frame (fits uint16). */
static double pixel(long frame, long row, long col)
{
    return (double)(frame * 1000 + row * 37 + col * 3 + (frame * col) % 7);
}

static double frame_angle(long frame)
{
    return 0.5 * (double)frame + 0.25;
}

/* Frames of `rows` x `cols` pixels with values pixel(), as `type`, laid
 * out as dcpl says. */
static void put_frames(hid_t file, const char *path, hid_t type, long frames, long rows,
                       long cols, hid_t dcpl)
{
    double *values = malloc((size_t)(frames * rows * cols) * sizeof *values);
    assert_non_null(values);
    for (long f = 0; f < frames; f++)
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++)
                values[(f * rows + r) * cols + c] = pixel(f, r, c);
    hsize_t dims[3] = {(hsize_t)frames, (hsize_t)rows, (hsize_t)cols};
    put_laid_out(file, path, type, H5T_NATIVE_DOUBLE, 3, dims, values, dcpl);
    free(values);
}

/* A scan in one file: frames with keys, an optional key and angles. */
struct layout {
    const char *data_path;  /* NULL: no frames (an external link is added later) */
    const char *key_path;   /* NULL: no image key */
    hid_t key_type;
    const char *angle_path; /* NULL: no angles */
    long n_angles;          /* 0: one per frame */
    const int *keys;
    long frames, rows, cols;
    hid_t frame_type;       /* 0: unsigned 16-bit */
    hid_t dcpl;             /* the frames' layout (0 = H5P_DEFAULT: contiguous) */
};

static void write_layout(const char *path, const struct layout *l)
{
    hid_t file = create_file(path);
    if (l->data_path)
        put_frames(file, l->data_path, l->frame_type ? l->frame_type : H5T_STD_U16LE,
                   l->frames, l->rows, l->cols, l->dcpl);
    double values[256];
    assert_true(l->frames <= 256);
    if (l->key_path) {
        for (long f = 0; f < l->frames; f++)
            values[f] = l->keys[f];
        put_doubles(file, l->key_path, l->key_type, values, l->frames);
    }
    if (l->angle_path) {
        long n = l->n_angles ? l->n_angles : l->frames;
        for (long f = 0; f < n; f++)
            values[f] = frame_angle(f);
        put_doubles(file, l->angle_path, H5T_IEEE_F64LE, values, n);
    }
    H5Fclose(file);
}

#define DIAMOND_DATA "/entry1/tomo_entry/data/data"
#define DIAMOND_KEY "/entry1/tomo_entry/instrument/detector/image_key"
#define DIAMOND_ANGLES "/entry1/tomo_entry/data/rotation_angle"

static struct layout diamond_layout(const int *keys, long frames, long rows, long cols)
{
    return (struct layout){DIAMOND_DATA, DIAMOND_KEY, H5T_IEEE_F64LE, DIAMOND_ANGLES, 0, keys,
                           frames, rows, cols, 0, H5P_DEFAULT};
}

/* ---- reading directly, for the expected values ---- */

static signed char *read_kinds(const char *file, const char *path, long frames)
{
    size_t n;
    double *keys = read_all(file, path, &n);
    assert_int_equal(n, frames);
    signed char *kinds = malloc((size_t)frames);
    assert_non_null(kinds);
    for (long f = 0; f < frames; f++)
        kinds[f] = (signed char)keys[f];
    free(keys);
    return kinds;
}

static signed char *kinds_of(const int *keys, long frames)
{
    signed char *kinds = malloc((size_t)frames);
    assert_non_null(kinds);
    for (long f = 0; f < frames; f++)
        kinds[f] = (signed char)keys[f];
    return kinds;
}

/* ---- the configuration and warnings ---- */

static struct {
    int count;
    char last[1024];
} warnings;

static void record_warning(void *ctx, const char *message)
{
    (void)ctx;
    assert_null(strchr(message, '\n'));
    warnings.count++;
    snprintf(warnings.last, sizeof warnings.last, "%s", message);
}

/* Savu's defaults, as plan_loader.c fills them. */
static struct nxtomo_config config(const char *file)
{
    warnings.count = 0;
    warnings.last[0] = '\0';
    return (struct nxtomo_config){
        .data_file = file,
        .data_path = NXTOMO_DEFAULT_DATA_PATH,
        .image_key_path = NXTOMO_DEFAULT_KEY_PATH,
        .dark_scale = 1.0,
        .flat_scale = 1.0,
        .warn = record_warning,
    };
}

static nxtomo_input *open_ok(const struct nxtomo_config *cfg)
{
    nxtomo_input *in = NULL;
    savu_error err = {""};
    if (nxtomo_input_open(cfg, &in, &err) != 0)
        fail_msg("nxtomo_input_open failed: %s", err.msg);
    assert_non_null(in);
    return in;
}

/* open fails with exactly `expected` (or, when prefix, a message that starts with it). */
static void expect_error(const struct nxtomo_config *cfg, const char *expected, bool prefix)
{
    static int sentinel;
    nxtomo_input *in = (nxtomo_input *)&sentinel;
    savu_error err = {""};
    assert_int_equal(nxtomo_input_open(cfg, &in, &err), -1);
    assert_null(in);
    assert_null(strchr(err.msg, '\n'));
    if (prefix ? strncmp(err.msg, expected, strlen(expected)) != 0 : strcmp(err.msg, expected) != 0)
        fail_msg("error\n  '%s'\nexpected %s\n  '%s'", err.msg, prefix ? "to start with" : "",
                 expected);
}

static void expect_error_text(const struct nxtomo_config *cfg, const char *expected)
{
    expect_error(cfg, expected, false);
}

/* ---- comparing what the reader gives with the file ---- */

static void assert_floats_equal(const float *got, const float *expected, size_t n,
                                const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != expected[i])
            fail_msg("%s[%zu] = %.9g, expected %.9g", what, i, got[i], expected[i]);
}

/* The mean of the window of frames of one kind times scale, as the reader
 * should compute it, compared with `got`. */
static void expect_field(const double *raw, const signed char *kinds, int kind,
                         const struct nxtomo_info *info, double scale, const float *got,
                         int count, const char *what)
{
    const long frames = info->file_shape[0], rows = info->file_shape[1],
               cols = info->file_shape[2];
    int n = 0;
    for (long f = 0; f < frames; f++)
        n += kinds[f] == kind;
    assert_int_equal(count, n);
    if (n == 0) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    const savu_slice *pv = info->preview;
    long nr = info->shape[1], nc = info->shape[2];
    float *expected = malloc((size_t)(nr * nc) * sizeof *expected);
    assert_non_null(expected);
    for (long r = 0; r < nr; r++)
        for (long c = 0; c < nc; c++) {
            long row = pv[1].start + r * pv[1].step, col = pv[2].start + c * pv[2].step;
            double sum = 0;
            for (long f = 0; f < frames; f++)
                if (kinds[f] == kind)
                    sum += (float)raw[(f * rows + row) * cols + col];
            expected[r * nc + c] = (float)(sum / n * scale);
        }
    assert_floats_equal(got, expected, (size_t)(nr * nc), what);
    free(expected);
}

/* The previewed projections [na][nr][nc] straight from the raw frames. */
static float *expected_projections(const double *raw, const signed char *kinds,
                                   const struct nxtomo_info *info)
{
    const long frames = info->file_shape[0], rows = info->file_shape[1],
               cols = info->file_shape[2];
    long *proj = malloc((size_t)frames * sizeof *proj), np = 0;
    assert_non_null(proj);
    for (long f = 0; f < frames; f++)
        if (kinds[f] == 0)
            proj[np++] = f;
    assert_int_equal(np, info->n_projections);
    const savu_slice *pv = info->preview;
    long na = info->shape[0], nr = info->shape[1], nc = info->shape[2];
    float *out = malloc((size_t)(na * nr * nc) * sizeof *out);
    assert_non_null(out);
    for (long a = 0; a < na; a++)
        for (long r = 0; r < nr; r++)
            for (long c = 0; c < nc; c++) {
                long f = proj[pv[0].start + a * pv[0].step];
                long row = pv[1].start + r * pv[1].step, col = pv[2].start + c * pv[2].step;
                out[(a * nr + r) * nc + c] = (float)raw[(f * rows + row) * cols + col];
            }
    free(proj);
    return out;
}

static void expect_sinograms(nxtomo_input *in, const float *proj, long r0, long nr_read)
{
    const struct nxtomo_info *info = nxtomo_input_info(in);
    long na = info->shape[0], nr = info->shape[1], nc = info->shape[2];
    float *got = malloc((size_t)(nr_read * na * nc) * sizeof *got);
    float *expected = malloc((size_t)(nr_read * na * nc) * sizeof *expected);
    assert_non_null(got);
    assert_non_null(expected);
    savu_error err = {""};
    if (nxtomo_input_read_sinograms(in, r0, nr_read, got, &err) != 0)
        fail_msg("read_sinograms: %s", err.msg);
    for (long r = 0; r < nr_read; r++)
        for (long a = 0; a < na; a++)
            for (long c = 0; c < nc; c++)
                expected[(r * na + a) * nc + c] = proj[(a * nr + r0 + r) * nc + c];
    assert_floats_equal(got, expected, (size_t)(nr_read * na * nc), "sinogram");
    free(got);
    free(expected);
}

/* Darks, flats, projections (all and a part) and sinograms (all and the
 * last row) equal the raw frames of the file. */
static void expect_matches(nxtomo_input *in, const char *file, const char *data_path,
                           const signed char *kinds, double dark_scale, double flat_scale)
{
    const struct nxtomo_info *info = nxtomo_input_info(in);
    size_t n;
    double *raw = read_all(file, data_path, &n);
    assert_int_equal(n, info->file_shape[0] * info->file_shape[1] * info->file_shape[2]);
    expect_field(raw, kinds, 2, info, dark_scale, info->dark, info->n_darks, "dark");
    expect_field(raw, kinds, 1, info, flat_scale, info->flat, info->n_flats, "flat");

    long na = info->shape[0], nr = info->shape[1], nc = info->shape[2];
    size_t frame = (size_t)(nr * nc);
    float *proj = expected_projections(raw, kinds, info);
    float *got = malloc((size_t)na * frame * sizeof *got);
    assert_non_null(got);
    savu_error err = {""};
    if (nxtomo_input_read_projections(in, 0, na, got, &err) != 0)
        fail_msg("read_projections: %s", err.msg);
    assert_floats_equal(got, proj, (size_t)na * frame, "projection");
    if (na > 1) {
        assert_int_equal(nxtomo_input_read_projections(in, 1, na - 1, got, &err), 0);
        assert_floats_equal(got, proj + frame, (size_t)(na - 1) * frame, "projection 1..");
    }
    expect_sinograms(in, proj, 0, nr);
    if (nr > 1)
        expect_sinograms(in, proj, nr - 1, 1);
    free(got);
    free(proj);
    free(raw);
}

/* ---- savu_phantom's Diamond layout ---- */

static savu_phantom_params phantom_params(void)
{
    savu_phantom_params p;
    savu_phantom_params_default(&p);
    p.width = 24;
    p.rows = 6;
    p.angles = 20;
    p.darks = 2;
    p.flats = 3;
    p.noise = true; /* darks and flats differ frame to frame: the mean matters */
    p.seed = 11;
    p.threads = 2;
    return p;
}

static const char *phantom_file(void)
{
    static char path[512];
    if (!path[0]) {
        savu_phantom_params p = phantom_params();
        snprintf(path, sizeof path, "%s", temp_path("phantom.nxs"));
        savu_error err = {""};
        if (savu_phantom_write_nxtomo(&p, path, &err) != 0)
            fail_msg("savu_phantom_write_nxtomo: %s", err.msg);
    }
    return path;
}

static void test_phantom_diamond_layout(void **state)
{
    (void)state;
    savu_phantom_params p = phantom_params();
    const char *file = phantom_file();
    struct nxtomo_config cfg = config(file);
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_int_equal(info->shape[0], 20);
    assert_int_equal(info->shape[1], 6);
    assert_int_equal(info->shape[2], 24);
    assert_int_equal(info->file_shape[0], 30);
    assert_int_equal(info->file_shape[1], 6);
    assert_int_equal(info->file_shape[2], 24);
    assert_int_equal(info->n_projections, 20);
    assert_int_equal(info->n_darks, 4);
    assert_int_equal(info->n_flats, 6);
    assert_string_equal(info->data_path, DIAMOND_DATA);
    assert_string_equal(info->image_key_path, DIAMOND_KEY);
    assert_string_equal(info->angles_source, DIAMOND_ANGLES);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(info->preview[i].start, 0);
        assert_int_equal(info->preview[i].stop, info->shape[i]);
        assert_int_equal(info->preview[i].step, 1);
    }
    for (int i = 0; i < 20; i++)
        assert_true(info->angles_deg[i] == savu_phantom_angle(&p, i));
    /* darks and flats: 10 frames of uint16 read in all */
    assert_int_equal(info->bytes_read, 10 * 6 * 24 * 2);
    assert_int_equal(warnings.count, 0);
    signed char *kinds = read_kinds(file, DIAMOND_KEY, 30);
    expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
    free(kinds);
    nxtomo_input_close(in);
}

static void test_phantom_preview_reads_only_previewed_rows(void **state)
{
    (void)state;
    savu_phantom_params p = phantom_params();
    const char *file = phantom_file();
    struct nxtomo_config cfg = config(file);
    json_t *preview = json_pack("[sss]", "mid-4:mid+4:2", "mid:end", "2:end-2:3");
    cfg.preview = preview;
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    /* projections 6, 8, 10, 12; rows 3..5; cols 2, 5, ..., 20 */
    assert_int_equal(info->shape[0], 4);
    assert_int_equal(info->shape[1], 3);
    assert_int_equal(info->shape[2], 7);
    assert_int_equal(info->preview[0].start, 6);
    assert_int_equal(info->preview[0].stop, 14);
    assert_int_equal(info->preview[0].step, 2);
    assert_int_equal(info->preview[1].start, 3);
    assert_int_equal(info->preview[1].stop, 6);
    assert_int_equal(info->preview[2].start, 2);
    assert_int_equal(info->preview[2].step, 3);
    for (int i = 0; i < 4; i++)
        assert_true(info->angles_deg[i] == savu_phantom_angle(&p, 6 + 2 * i));
    const uint64_t frame_bytes = 3 * 7 * 2; /* previewed rows x cols of uint16 */
    assert_int_equal(info->bytes_read, 10 * frame_bytes);
    float buf[4 * 3 * 7];
    savu_error err = {""};
    assert_int_equal(nxtomo_input_read_projections(in, 0, 4, buf, &err), 0);
    assert_int_equal(info->bytes_read, 14 * frame_bytes);
    assert_int_equal(nxtomo_input_read_sinograms(in, 1, 1, buf, &err), 0);
    assert_int_equal(info->bytes_read, 14 * frame_bytes + 4 * 7 * 2);
    assert_int_equal(nxtomo_input_read_projections(in, 2, 0, buf, &err), 0);
    assert_int_equal(info->bytes_read, 14 * frame_bytes + 4 * 7 * 2);
    signed char *kinds = read_kinds(file, DIAMOND_KEY, 30);
    expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
    nxtomo_input_close(in);
    json_decref(preview);

    /* fewer entries than dimensions: the rest whole; numbers are indices */
    preview = json_pack("[s]", "end-3:end");
    cfg.preview = preview;
    in = open_ok(&cfg);
    info = nxtomo_input_info(in);
    assert_int_equal(info->shape[0], 3);
    assert_int_equal(info->shape[1], 6);
    assert_int_equal(info->shape[2], 24);
    for (int i = 0; i < 3; i++)
        assert_true(info->angles_deg[i] == savu_phantom_angle(&p, 17 + i));
    expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
    nxtomo_input_close(in);
    json_decref(preview);

    preview = json_pack("[i, s, i]", 5, ":", 23);
    cfg.preview = preview;
    in = open_ok(&cfg);
    info = nxtomo_input_info(in);
    assert_int_equal(info->shape[0], 1);
    assert_int_equal(info->shape[1], 6);
    assert_int_equal(info->shape[2], 1);
    assert_true(info->angles_deg[0] == savu_phantom_angle(&p, 5));
    assert_int_equal(info->bytes_read, 10 * 6 * 1 * 2);
    expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
    nxtomo_input_close(in);
    json_decref(preview);
    free(kinds);
}

/* ---- reading straight from the file (nxtomo_raw.c) against HDF5 ---- */

/* A creation property list: chunks of the given shape (0: contiguous),
 * compressed when deflate. */
static hid_t frames_dcpl(hsize_t c0, hsize_t c1, hsize_t c2, bool deflate)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    assert_true(dcpl >= 0);
    if (c0) {
        hsize_t chunk[3] = {c0, c1, c2};
        assert_true(H5Pset_chunk(dcpl, 3, chunk) >= 0);
    }
    if (deflate)
        assert_true(H5Pset_deflate(dcpl, 4) >= 0);
    return dcpl;
}

/* Every layout gives the same values read raw as through HDF5 (both equal
 * to the file's), with and without a preview that crops rows and columns
 * (read on 3 I/O threads); raw reads are taken exactly where the layout
 * allows them. */
static void test_raw_reads_match_hdf5(void **state)
{
    (void)state;
    static const int keys[12] = {2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2};
    struct {
        hsize_t chunk[3];
        bool deflate;
        hid_t type;
        bool raw;
    } layouts[] = {
        {{0, 0, 0}, false, H5T_STD_U16LE, true},     /* contiguous */
        {{1, 7, 10}, false, H5T_STD_U16LE, true},    /* whole frames */
        {{2, 3, 10}, false, H5T_STD_U16LE, true},    /* frames and rows split, edge chunks */
        {{1, 2, 4}, false, H5T_STD_U16LE, true},     /* rows cut across columns */
        {{3, 7, 10}, false, H5T_IEEE_F32LE, true},   /* float32 */
        {{1, 7, 10}, false, H5T_STD_U16BE, false},   /* other byte order: HDF5 */
        {{1, 7, 10}, true, H5T_STD_U16LE, false},    /* compressed: HDF5 */
    };
    json_t *crop = json_pack("[sss]", "1:end-1", "2:end-1", "3:end-2");
    const char *file = temp_path("raw_layouts.nxs");
    savu_error err = {""};
    savu_thread_pool *pool = savu_thread_pool_create(3, &err);
    assert_non_null(pool);
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        hid_t dcpl = layouts[i].chunk[0]
                         ? frames_dcpl(layouts[i].chunk[0], layouts[i].chunk[1],
                                       layouts[i].chunk[2], layouts[i].deflate)
                         : H5P_DEFAULT;
        struct layout l = diamond_layout(keys, 12, 7, 10);
        l.frame_type = layouts[i].type;
        l.dcpl = dcpl;
        write_layout(file, &l);
        if (dcpl != H5P_DEFAULT)
            H5Pclose(dcpl);
        signed char *kinds = kinds_of(keys, 12);
        for (int hdf5 = 0; hdf5 < 2; hdf5++)
            for (int cropped = 0; cropped < 2; cropped++) {
                struct nxtomo_config cfg = config(file);
                cfg.through_hdf5 = hdf5;
                cfg.preview = cropped ? crop : NULL;
                nxtomo_input *in = open_ok(&cfg);
                nxtomo_input_set_io_pool(in, cropped ? pool : NULL);
                expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
                int expected_state = layouts[i].raw && !hdf5 ? 1 : -1;
                if (in->data.raw_state != expected_state)
                    fail_msg("layout %zu, %s: raw state %d, expected %d", i,
                             hdf5 ? "through HDF5" : "raw allowed", in->data.raw_state,
                             expected_state);
                nxtomo_input_close(in);
            }
        free(kinds);
    }
    savu_thread_pool_destroy(pool);
    json_decref(crop);
}

/* A file with a user block (512 bytes before HDF5's own) is read through
 * HDF5, with the right values. */
static void test_user_block_reads_through_hdf5(void **state)
{
    (void)state;
    static const int keys[6] = {2, 1, 0, 0, 0, 1};
    const char *file = temp_path("user_block.nxs");
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    assert_true(H5Pset_userblock(fcpl, 512) >= 0);
    hid_t f = H5Fcreate(file, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    assert_true(f >= 0);
    H5Pclose(fcpl);
    put_frames(f, DIAMOND_DATA, H5T_STD_U16LE, 6, 3, 5, H5P_DEFAULT);
    double values[6];
    for (int i = 0; i < 6; i++)
        values[i] = keys[i];
    put_doubles(f, DIAMOND_KEY, H5T_IEEE_F64LE, values, 6);
    H5Fclose(f);
    struct nxtomo_config cfg = config(file);
    nxtomo_input *in = open_ok(&cfg);
    signed char *kinds = kinds_of(keys, 6);
    expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
    assert_int_equal(in->data.raw_state, -1);
    free(kinds);
    nxtomo_input_close(in);
}

static void test_preview_errors(void **state)
{
    (void)state;
    const char *file = phantom_file();
    struct nxtomo_config cfg = config(file);
    json_t *preview = json_pack("[sss]", "end:", ":", ":");
    cfg.preview = preview;
    expect_error_text(&cfg, "preview of rotation_angle (length 20): preview entry 'end:' selects "
                            "nothing of a dimension of length 20");
    json_decref(preview);
    preview = json_pack("[ssss]", ":", ":", ":", ":");
    cfg.preview = preview;
    expect_error_text(&cfg, "preview has 4 entries for the 3 dimensions (rotation_angle, "
                            "detector_y, detector_x)");
    json_decref(preview);
    preview = json_pack("[ss]", ":", "0:end:2:2");
    cfg.preview = preview;
    expect_error_text(&cfg, "preview of detector_y: chunk 2 in '0:end:2:2' is not supported "
                            "(use start:stop:step)");
    json_decref(preview);
    preview = json_pack("[b]", 1);
    cfg.preview = preview;
    expect_error_text(&cfg, "preview entry 1 (rotation_angle) must be text such as 'mid:end' or "
                            "a whole number");
    json_decref(preview);
}

static void test_read_range_errors(void **state)
{
    (void)state;
    struct nxtomo_config cfg = config(phantom_file());
    nxtomo_input *in = open_ok(&cfg);
    float buf[6 * 24 * 20];
    savu_error err = {""};
    char expected[1024];
    assert_int_equal(nxtomo_input_read_projections(in, 18, 5, buf, &err), -1);
    snprintf(expected, sizeof expected, "%s: projections 18..22 are outside the 20 previewed",
             phantom_file());
    assert_string_equal(err.msg, expected);
    assert_int_equal(nxtomo_input_read_sinograms(in, -1, 2, buf, &err), -1);
    snprintf(expected, sizeof expected, "%s: rows -1..0 are outside the 6 previewed",
             phantom_file());
    assert_string_equal(err.msg, expected);
    nxtomo_input_close(in);
}

/* ---- other layouts ---- */

static void test_int32_key_darks_flats_everywhere(void **state)
{
    (void)state;
    /* darks and flats at both ends and in the middle, one frame to ignore */
    static const int keys[] = {2, 2, 1, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 3, 0, 1, 1, 2, 2};
    const long frames = sizeof keys / sizeof keys[0];
    const char *file = temp_path("int_key.nxs");
    struct layout l = diamond_layout(keys, frames, 5, 7);
    l.key_type = H5T_STD_I32LE;
    write_layout(file, &l);
    /* darks and flats averaged by the caller alone, then on 3 threads */
    for (int threads = 0; threads <= 3; threads += 3) {
        struct nxtomo_config cfg = config(file);
        cfg.threads = threads;
        nxtomo_input *in = open_ok(&cfg);
        const struct nxtomo_info *info = nxtomo_input_info(in);
        assert_int_equal(info->n_projections, 8);
        assert_int_equal(info->n_darks, 5);
        assert_int_equal(info->n_flats, 5);
        assert_int_equal(info->shape[0], 8);
        static const long projection_frames[] = {4, 5, 6, 7, 10, 11, 12, 14};
        for (int i = 0; i < 8; i++)
            assert_true(info->angles_deg[i] == frame_angle(projection_frames[i]));
        signed char *kinds = kinds_of(keys, frames);
        expect_matches(in, file, DIAMOND_DATA, kinds, 1.0, 1.0);
        free(kinds);
        nxtomo_input_close(in);
    }
}

static void test_flat_scale_and_ignore_flats(void **state)
{
    (void)state;
    /* flat batches 1: frames 0-1, 2: frames 5-7, 3: frame 11 */
    static const int keys[] = {1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 2, 1, 2};
    const long frames = sizeof keys / sizeof keys[0];
    const char *file = temp_path("ignore_flats.nxs");
    struct layout l = diamond_layout(keys, frames, 4, 6);
    write_layout(file, &l);
    struct nxtomo_config cfg = config(file);
    cfg.flat_scale = 2.5;
    cfg.dark_scale = 0.5;
    nxtomo_input *in = open_ok(&cfg);
    signed char *kinds = kinds_of(keys, frames);
    assert_int_equal(nxtomo_input_info(in)->n_flats, 6);
    expect_matches(in, file, DIAMOND_DATA, kinds, 0.5, 2.5);
    nxtomo_input_close(in);

    json_t *ignore = json_pack("[i]", 2);
    cfg.ignore_flats = ignore;
    in = open_ok(&cfg);
    assert_int_equal(nxtomo_input_info(in)->n_flats, 3);
    kinds[5] = kinds[6] = kinds[7] = 3;
    expect_matches(in, file, DIAMOND_DATA, kinds, 0.5, 2.5);
    nxtomo_input_close(in);
    json_decref(ignore);

    ignore = json_pack("[i, i]", 3, 1);
    cfg.ignore_flats = ignore;
    in = open_ok(&cfg);
    assert_int_equal(nxtomo_input_info(in)->n_flats, 3);
    memcpy(kinds, (signed char[]){3, 3, 0, 0, 0, 1, 1, 1, 0, 0, 2, 3, 2}, (size_t)frames);
    expect_matches(in, file, DIAMOND_DATA, kinds, 0.5, 2.5);
    nxtomo_input_close(in);
    json_decref(ignore);

    ignore = json_pack("[i]", 4);
    cfg.ignore_flats = ignore;
    expect_error_text(&cfg, "ignore_flats: there is no batch 4 of flats (there are 3, numbered "
                            "from 1)");
    json_decref(ignore);
    ignore = json_pack("[s]", "1");
    cfg.ignore_flats = ignore;
    expect_error_text(&cfg, "ignore_flats: entry 1 is not a whole number");
    json_decref(ignore);
    free(kinds);
}

/* Projections only (no key), with darks and flats in files of their own. */
static void write_no_key_scan(const char *data, const char *darks, const char *flats)
{
    static const int keys[6] = {0};
    struct layout l = diamond_layout(keys, 6, 4, 5);
    l.key_path = NULL;
    write_layout(data, &l);
    hid_t file = create_file(darks);
    put_frames(file, "/d/dark", H5T_IEEE_F32LE, 3, 4, 5, H5P_DEFAULT);
    H5Fclose(file);
    file = create_file(flats);
    double flat[4 * 5];
    for (int i = 0; i < 20; i++)
        flat[i] = 30000 + 11 * i;
    put(file, "/flat", H5T_STD_U16LE, H5T_NATIVE_DOUBLE, 2, (hsize_t[]){4, 5}, flat);
    H5Fclose(file);
}

static void test_no_key_with_dark_flat_files(void **state)
{
    (void)state;
    char data[512], darks[512], flats[512], small[512], missing[512]; /* temp_path rotates */
    snprintf(data, sizeof data, "%s", temp_path("no_key.nxs"));
    snprintf(darks, sizeof darks, "%s", temp_path("darks.h5"));
    snprintf(flats, sizeof flats, "%s", temp_path("flats.h5"));
    snprintf(small, sizeof small, "%s", temp_path("small_dark.h5"));
    snprintf(missing, sizeof missing, "%s", temp_path("missing_dark.h5"));
    write_no_key_scan(data, darks, flats);
    struct nxtomo_config cfg = config(data);
    cfg.dark_file = darks;
    cfg.dark_path = "d/dark";
    cfg.dark_scale = 1.5;
    cfg.flat_file = flats;
    cfg.flat_path = "/flat";
    cfg.flat_scale = 0.5;
    cfg.threads = 2; /* the separate files read and summed on 2 threads */
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_int_equal(warnings.count, 1);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: no image key '%s': every frame is taken as a "
                                        "projection", data, DIAMOND_KEY);
    assert_string_equal(warnings.last, expected);
    assert_null(info->image_key_path);
    assert_int_equal(info->n_projections, 6);
    assert_int_equal(info->shape[0], 6);
    assert_int_equal(info->n_darks, 3);
    assert_int_equal(info->n_flats, 1);
    /* darks: 3 float32 frames; flat: one uint16 frame */
    assert_int_equal(info->bytes_read, 3 * 20 * 4 + 20 * 2);
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 5; c++) {
            double sum = 0;
            for (int f = 0; f < 3; f++)
                sum += (float)pixel(f, r, c);
            assert_true(info->dark[r * 5 + c] == (float)(sum / 3 * 1.5));
            assert_true(info->flat[r * 5 + c] == (float)((30000 + 11 * (r * 5 + c)) / 1.0 * 0.5));
        }
    float proj[6 * 4 * 5];
    savu_error err = {""};
    assert_int_equal(nxtomo_input_read_projections(in, 0, 6, proj, &err), 0);
    for (int f = 0; f < 6; f++)
        for (int i = 0; i < 20; i++)
            assert_true(proj[f * 20 + i] == (float)pixel(f, i / 5, i % 5));
    nxtomo_input_close(in);

    /* previewed: the darks and flats are averaged over the window only */
    json_t *preview = json_pack("[sss]", "1:5:2", "1:3", "::2");
    cfg.preview = preview;
    in = open_ok(&cfg);
    info = nxtomo_input_info(in);
    assert_int_equal(info->shape[0], 2);
    assert_int_equal(info->shape[1], 2);
    assert_int_equal(info->shape[2], 3);
    assert_int_equal(info->bytes_read, 3 * 6 * 4 + 6 * 2);
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++) {
            int row = 1 + r, col = 2 * c;
            double sum = 0;
            for (int f = 0; f < 3; f++)
                sum += (float)pixel(f, row, col);
            assert_true(info->dark[r * 3 + c] == (float)(sum / 3 * 1.5));
            assert_true(info->flat[r * 3 + c] == (float)((30000 + 11 * (row * 5 + col)) * 0.5));
        }
    assert_true(info->angles_deg[0] == frame_angle(1));
    assert_true(info->angles_deg[1] == frame_angle(3));
    nxtomo_input_close(in);
    json_decref(preview);

    /* a dark file whose frames do not match the data's */
    hid_t file = create_file(small);
    put_frames(file, "/dark", H5T_STD_U16LE, 2, 3, 5, H5P_DEFAULT);
    H5Fclose(file);
    cfg = config(data);
    cfg.dark_file = small;
    cfg.dark_path = "/dark";
    snprintf(expected, sizeof expected, "'/dark' in '%s' has frames of 3 x 5 pixels; the data's "
                                        "are 4 x 5", small);
    expect_error_text(&cfg, expected);
    cfg.dark_path = "/nothing";
    snprintf(expected, sizeof expected, "no dataset '/nothing' in '%s'", small);
    expect_error_text(&cfg, expected);
    cfg.dark_path = NULL;
    snprintf(expected, sizeof expected, "dark file '%s': no dataset path given (dark = [file, "
                                        "path, scale])", small);
    expect_error_text(&cfg, expected);
    cfg.dark_path = "/dark";
    cfg.dark_file = missing;
    snprintf(expected, sizeof expected, "cannot open dark file '%s': No such file or directory",
             missing);
    expect_error_text(&cfg, expected);
}

static void test_no_key_and_no_dark_flat_files(void **state)
{
    (void)state;
    const char *data = temp_path("no_key2.nxs");
    write_no_key_scan(data, temp_path("darks2.h5"), temp_path("flats2.h5"));
    struct nxtomo_config cfg = config(data);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: no image key and no dark/flat files: '%s' does not "
                                        "exist; give the dark and flat parameters, or set "
                                        "image_key_path to None for data without darks and flats",
             data, DIAMOND_KEY);
    expect_error_text(&cfg, expected);

    /* image_key_path None: every frame a projection, no darks or flats */
    cfg.image_key_path = NULL;
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_int_equal(warnings.count, 0);
    assert_int_equal(info->shape[0], 6);
    assert_null(info->dark);
    assert_null(info->flat);
    assert_int_equal(info->n_darks, 0);
    assert_int_equal(info->n_flats, 0);
    assert_int_equal(info->bytes_read, 0);
    static const signed char kinds[6] = {0};
    expect_matches(in, data, DIAMOND_DATA, kinds, 1.0, 1.0);
    nxtomo_input_close(in);
}

static void test_standard_nxtomo_entry(void **state)
{
    (void)state;
    static const int keys[] = {2, 1, 0, 0, 0, 0, 0, 1, 2};
    const long frames = sizeof keys / sizeof keys[0];
    const char *file = temp_path("standard.nxs");
    struct layout l = {"/entry/instrument/detector/data", "/entry/instrument/detector/image_key",
                       H5T_IEEE_F64LE, "/entry/sample/rotation_angle", 0, keys, frames, 3, 8,
                       0, H5P_DEFAULT};
    write_layout(file, &l);
    struct nxtomo_config cfg = config(file);
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_string_equal(info->data_path, "/entry/instrument/detector/data");
    assert_string_equal(info->image_key_path, "/entry/instrument/detector/image_key");
    assert_string_equal(info->angles_source, "/entry/sample/rotation_angle");
    assert_int_equal(info->n_projections, 5);
    assert_int_equal(info->n_darks, 2);
    assert_int_equal(info->n_flats, 2);
    for (int i = 0; i < 5; i++)
        assert_true(info->angles_deg[i] == frame_angle(2 + i));
    signed char *kinds = kinds_of(keys, frames);
    expect_matches(in, file, "/entry/instrument/detector/data", kinds, 1.0, 1.0);
    free(kinds);
    nxtomo_input_close(in);

    /* neither layout */
    const char *empty = temp_path("neither.nxs");
    hid_t f = create_file(empty);
    put_doubles(f, "/entry/other", H5T_IEEE_F64LE, (double[]){1}, 1);
    H5Fclose(f);
    cfg = config(empty);
    char expected[1024];
    snprintf(expected, sizeof expected, "no dataset '%s' in '%s' (nor an NXtomo entry with "
                                        "instrument/detector/data)", DIAMOND_DATA, empty);
    expect_error_text(&cfg, expected);
}

static void test_external_link_data(void **state)
{
    (void)state;
    static const int keys[] = {2, 1, 0, 0, 0, 0, 1};
    const long frames = sizeof keys / sizeof keys[0];
    assert_int_equal(mkdir(temp_path("linked"), 0700), 0);
    const char *target = temp_path("linked/frames.h5"), *scan = temp_path("linked/scan.nxs");
    hid_t f = create_file(target);
    put_frames(f, "/raw/frames", H5T_STD_U16LE, frames, 4, 6, H5P_DEFAULT);
    H5Fclose(f);
    struct layout l = diamond_layout(keys, frames, 4, 6);
    l.data_path = NULL;
    write_layout(scan, &l);
    f = H5Fopen(scan, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t lcpl = intermediate_groups();
    /* relative to the scan file's directory, not the working directory */
    assert_true(H5Lcreate_external("frames.h5", "/raw/frames", f, DIAMOND_DATA, lcpl,
                                   H5P_DEFAULT) >= 0);
    assert_true(H5Lcreate_external("absent.h5", "/raw/frames", f, "/entry1/dangling", lcpl,
                                   H5P_DEFAULT) >= 0);
    H5Pclose(lcpl);
    H5Fclose(f);

    struct nxtomo_config cfg = config(scan);
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_string_equal(info->data_path, DIAMOND_DATA);
    assert_int_equal(info->n_projections, 4);
    assert_int_equal(info->file_shape[0], frames);
    signed char *kinds = kinds_of(keys, frames);
    expect_matches(in, target, "/raw/frames", kinds, 1.0, 1.0);
    free(kinds);
    nxtomo_input_close(in);

    cfg.data_path = "/entry1/dangling";
    char expected[1024];
    snprintf(expected, sizeof expected, "no dataset '/entry1/dangling' in '%s'", scan);
    expect_error_text(&cfg, expected);
}

/* ---- angles ---- */

static void expect_angles(const json_t *angles, json_t *preview, const double *expected, long n)
{
    struct nxtomo_config cfg = config(phantom_file());
    cfg.angles = angles;
    cfg.preview = preview;
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_int_equal(info->shape[0], n);
    assert_string_equal(info->angles_source, "parameter angles");
    for (long i = 0; i < n; i++)
        if (info->angles_deg[i] != expected[i])
            fail_msg("angle %ld = %.17g, expected %.17g", i, info->angles_deg[i], expected[i]);
    nxtomo_input_close(in);
}

static void test_angles_from_parameter(void **state)
{
    (void)state;
    double expected[20];
    json_t *v = json_integer(20);
    for (int i = 0; i < 20; i++)
        expected[i] = i * (180.0 / 19);
    expected[19] = 180;
    expect_angles(v, NULL, expected, 20);
    json_decref(v);

    char list[512] = "[";
    for (int i = 0; i < 20; i++) {
        expected[i] = 9.5 * i - 3;
        snprintf(list + strlen(list), sizeof list - strlen(list), "%g%s", expected[i],
                 i < 19 ? ", " : "]");
    }
    v = json_string(list);
    expect_angles(v, NULL, expected, 20);
    json_decref(v);

    v = json_string("  np.linspace(0, 90, 20) ");
    for (int i = 0; i < 20; i++)
        expected[i] = i * (90.0 / 19);
    expected[19] = 90;
    expect_angles(v, NULL, expected, 20);
    json_decref(v);

    v = json_string("np.linspace(0, 180, 20, endpoint=False)");
    for (int i = 0; i < 20; i++)
        expected[i] = i * 9.0;
    expect_angles(v, NULL, expected, 20);
    json_decref(v);
    v = json_string("numpy.arange(0, 180, 9)");
    expect_angles(v, NULL, expected, 20);
    json_decref(v);

    /* a text file of angles, with the preview taking every fifth */
    FILE *f = fopen(temp_path("angles.txt"), "w");
    assert_non_null(f);
    fprintf(f, "# angles in degrees\n");
    for (int i = 0; i < 20; i++)
        fprintf(f, "%g%s", 0.25 * i * i, i % 4 == 3 ? "\n" : " ");
    fclose(f);
    v = json_string(temp_path("angles.txt"));
    json_t *preview = json_pack("[s]", "::5");
    for (int i = 0; i < 4; i++)
        expected[i] = 0.25 * (5 * i) * (5 * i);
    expect_angles(v, preview, expected, 4);
    json_decref(preview);
    json_decref(v);
}

static void test_angle_parameter_errors(void **state)
{
    (void)state;
    const char *file = phantom_file();
    struct nxtomo_config cfg = config(file);
    char expected[1024];
    json_t *v = json_integer(19);
    cfg.angles = v;
    snprintf(expected, sizeof expected, "%s: 19 rotation angles for 20 projections (parameter "
                                        "angles)", file);
    expect_error_text(&cfg, expected);
    json_decref(v);
    v = json_string("np.linspace(0, 180)");
    cfg.angles = v;
    expect_error_text(&cfg, "angles 'np.linspace(0, 180)': expected np.linspace(start, stop, "
                            "count) with a whole count");
    json_decref(v);
    v = json_string("[1, x]");
    cfg.angles = v;
    expect_error_text(&cfg, "angles '[1, x]': 'x' is not a number");
    json_decref(v);
    v = json_string(temp_path("no_angles.txt"));
    cfg.angles = v;
    snprintf(expected, sizeof expected, "angles '%s': not a number, a list, np.linspace(...), "
                                        "np.arange(...) or a readable file of angles (No such "
                                        "file or directory)", temp_path("no_angles.txt"));
    expect_error_text(&cfg, expected);
    json_decref(v);
}

static void test_default_angles_warn(void **state)
{
    (void)state;
    static const int keys[] = {2, 1, 0, 0, 0, 0, 1};
    const char *file = temp_path("no_angles.nxs");
    struct layout l = diamond_layout(keys, 7, 2, 3);
    l.angle_path = NULL;
    write_layout(file, &l);
    struct nxtomo_config cfg = config(file);
    nxtomo_input *in = open_ok(&cfg);
    const struct nxtomo_info *info = nxtomo_input_info(in);
    assert_int_equal(warnings.count, 1);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: no rotation angles beside '%s' or in a sample group: "
                                        "using linspace(0, 180, 4)", file, DIAMOND_DATA);
    assert_string_equal(warnings.last, expected);
    assert_string_equal(info->angles_source, "default linspace(0, 180)");
    for (int i = 0; i < 4; i++)
        assert_true(info->angles_deg[i] == i * 60.0);
    nxtomo_input_close(in);
}

static void test_angle_count_from_file(void **state)
{
    (void)state;
    static const int keys[] = {2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    const char *file = temp_path("angle_count.nxs");
    struct layout l = diamond_layout(keys, 12, 2, 3);
    l.n_angles = 9;
    write_layout(file, &l);
    struct nxtomo_config cfg = config(file);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: 9 rotation angles for 10 projections (%s)", file,
             DIAMOND_ANGLES);
    expect_error_text(&cfg, expected);

    /* one angle per projection (not per frame) is taken as it is */
    l.n_angles = 10;
    write_layout(file, &l);
    nxtomo_input *in = open_ok(&cfg);
    for (int i = 0; i < 10; i++)
        assert_true(nxtomo_input_info(in)->angles_deg[i] == frame_angle(i));
    nxtomo_input_close(in);
}

/* ---- errors ---- */

static void test_wrong_paths_and_types(void **state)
{
    (void)state;
    const char *file = phantom_file();
    struct nxtomo_config cfg = config(file);
    char expected[1024];
    cfg.data_path = "entry1//tomo_entry/data/missing/";
    snprintf(expected, sizeof expected, "no dataset '/entry1/tomo_entry/data/missing' in '%s'",
             file);
    expect_error_text(&cfg, expected);
    cfg.data_path = "/entry1/tomo_entry/data";
    snprintf(expected, sizeof expected, "'/entry1/tomo_entry/data' in '%s' is a group, not a "
                                        "dataset", file);
    expect_error_text(&cfg, expected);
    cfg.data_path = "/entry1/tomo_entry/data/rotation_angle";
    snprintf(expected, sizeof expected, "'/entry1/tomo_entry/data/rotation_angle' in '%s' is 1-D, "
                                        "expected 3-D (frames, rows, cols)", file);
    expect_error_text(&cfg, expected);
    cfg.data_path = "/entry1/tomo_entry/definition";
    snprintf(expected, sizeof expected, "'/entry1/tomo_entry/definition' in '%s' holds strings, "
                                        "not numbers", file);
    expect_error_text(&cfg, expected);
}

static void test_bad_image_key(void **state)
{
    (void)state;
    static const int keys[] = {2, 1, 0, 7, 0};
    const char *file = temp_path("bad_key.nxs");
    struct layout l = diamond_layout(keys, 5, 2, 3);
    write_layout(file, &l);
    struct nxtomo_config cfg = config(file);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: image key value 7 of frame 3 is not 0, 1, 2 or 3 "
                                        "(%s)", file, DIAMOND_KEY);
    expect_error_text(&cfg, expected);

    static const int no_projections[] = {2, 1, 1, 3};
    l = diamond_layout(no_projections, 4, 2, 3);
    write_layout(file, &l);
    snprintf(expected, sizeof expected, "%s: no projections (image key 0) among the 4 frames (%s)",
             file, DIAMOND_KEY);
    expect_error_text(&cfg, expected);

    /* a key of another length than the frames */
    hid_t f = create_file(file);
    put_frames(f, DIAMOND_DATA, H5T_STD_U16LE, 5, 2, 3, H5P_DEFAULT);
    put_doubles(f, DIAMOND_KEY, H5T_IEEE_F64LE, (double[]){0, 0, 0}, 3);
    H5Fclose(f);
    snprintf(expected, sizeof expected, "%s: image key has 3 values for 5 frames (%s)", file,
             DIAMOND_KEY);
    expect_error_text(&cfg, expected);
}

static void test_file_errors(void **state)
{
    (void)state;
    char expected[1024];
    const char *missing = temp_path("missing.nxs");
    struct nxtomo_config cfg = config(missing);
    snprintf(expected, sizeof expected, "cannot open data file '%s': No such file or directory",
             missing);
    expect_error_text(&cfg, expected);

    const char *text = temp_path("text.nxs");
    FILE *f = fopen(text, "w");
    assert_non_null(f);
    fputs("this is not HDF5\n", f);
    fclose(f);
    cfg = config(text);
    snprintf(expected, sizeof expected, "cannot open data file '%s': not an HDF5 file", text);
    expect_error_text(&cfg, expected);

    cfg = config(test_tmpdir());
    snprintf(expected, sizeof expected, "cannot open data file '%s': is a directory",
             test_tmpdir());
    expect_error_text(&cfg, expected);

    /* the first half of a good file */
    const char *truncated = temp_path("truncated.nxs");
    FILE *in = fopen(phantom_file(), "rb"), *out = fopen(truncated, "wb");
    assert_non_null(in);
    assert_non_null(out);
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *bytes = malloc((size_t)size);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)size, in), size);
    assert_int_equal(fwrite(bytes, 1, (size_t)size / 2, out), size / 2);
    free(bytes);
    fclose(in);
    fclose(out);
    cfg = config(truncated);
    snprintf(expected, sizeof expected, "cannot open data file '%s': truncated file", truncated);
    expect_error(&cfg, expected, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phantom_diamond_layout),
        cmocka_unit_test(test_phantom_preview_reads_only_previewed_rows),
        cmocka_unit_test(test_raw_reads_match_hdf5),
        cmocka_unit_test(test_user_block_reads_through_hdf5),
        cmocka_unit_test(test_preview_errors),
        cmocka_unit_test(test_read_range_errors),
        cmocka_unit_test(test_int32_key_darks_flats_everywhere),
        cmocka_unit_test(test_flat_scale_and_ignore_flats),
        cmocka_unit_test(test_no_key_with_dark_flat_files),
        cmocka_unit_test(test_no_key_and_no_dark_flat_files),
        cmocka_unit_test(test_standard_nxtomo_entry),
        cmocka_unit_test(test_external_link_data),
        cmocka_unit_test(test_angles_from_parameter),
        cmocka_unit_test(test_angle_parameter_errors),
        cmocka_unit_test(test_default_angles_warn),
        cmocka_unit_test(test_angle_count_from_file),
        cmocka_unit_test(test_wrong_paths_and_types),
        cmocka_unit_test(test_bad_image_key),
        cmocka_unit_test(test_file_errors),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, test_tmpdir_teardown);
}
