/* test_images.c: the engine's image outputs. TIFF slices (tiff_slices.c):
 * the file names, an exact float round trip (negative values, NaN, infinities,
 * -0, denormals), the tags libtiff reads back, frames of several strips, and
 * the errors (missing directory, a write failing half-way leaving the old
 * file and no temporary). The PNG preview (png_preview.c): the size and
 * layout of the three panels of synthetic 3-D and 4-D (tuned) HDF5 volumes
 * read back with libpng, grey levels monotone along a gradient, the
 * percentile scaling, NaN black, and the errors (unwritable directory,
 * missing file, missing dataset, a 2-D dataset). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include <png.h>
#include <tiffio.h>
#include "test_tmpdir.h"
#include "png_grey.h"
#include "png_preview.h"
#include "tiff_slices.h"

/* ---- helpers ---- */

static int make_tmpdir(void **state)
{
    (void)state;
    return test_tmpdir_make("test_images");
}

/* A new empty directory under the temporary one. */
static void new_dir(char *out, size_t size, const char *name)
{
    test_tmpdir_path(out, size, name);
    assert_int_equal(mkdir(out, 0755), 0);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- TIFF ---- */

static void test_tiff_names(void **state)
{
    (void)state;
    char *name = tiff_slice_name("out/TiffSaver_5", "tomo", 7, -1);
    assert_string_equal(name, "out/TiffSaver_5/img_tomo_00007.tiff");
    free(name);
    name = tiff_slice_name("d", "tomo", 12, 3);
    assert_string_equal(name, "d/img_tomo_00012_v003.tiff");
    free(name);
    name = tiff_slice_name("d", "p", 123456, 1234);
    assert_string_equal(name, "d/img_p_123456_v1234.tiff");
    free(name);
    name = tiff_slice_name("d", "p", 0, 0);
    assert_string_equal(name, "d/img_p_00000_v000.tiff");
    free(name);
}

/* A frame of awkward values: negatives, NaN (two payloads), infinities,
 * -0, denormals, extremes, then a ramp. */
static float *awkward_frame(long height, long width)
{
    float *f = malloc((size_t)(height * width) * sizeof *f);
    assert_non_null(f);
    for (long i = 0; i < height * width; i++)
        f[i] = (float)(i - height * width / 2) * -0.37f;
    const float specials[] = { NAN, -NAN, INFINITY, -INFINITY, -0.0f, FLT_MIN / 4, -FLT_TRUE_MIN,
                               FLT_MAX, -FLT_MAX, -1.5f, 1e-30f };
    assert_true(sizeof specials / sizeof specials[0] <= (size_t)(height * width));
    memcpy(f, specials, sizeof specials);
    return f;
}

static void assert_tiff_round_trip(const char *path, long height, long width)
{
    float *frame = awkward_frame(height, width);
    savu_error err = { "" };
    assert_int_equal(tiff_write_float(path, frame, height, width, &err), 0);
    long h = 0, w = 0;
    float *back = tiff_read_float(path, &h, &w, &err);
    if (!back)
        fail_msg("%s", err.msg);
    assert_int_equal(h, height);
    assert_int_equal(w, width);
    /* bit for bit: NaN payloads and -0 included */
    assert_memory_equal(back, frame, (size_t)(height * width) * sizeof *frame);
    assert_true(isnan(back[0]) && signbit(back[1]) && isinf(back[2]) && signbit(back[4]));
    free(back);
    free(frame);
}

static void test_tiff_round_trip_is_exact(void **state)
{
    (void)state;
    char dir[512], path[600];
    new_dir(dir, sizeof dir, "tiff_round_trip");
    snprintf(path, sizeof path, "%s/small.tiff", dir);
    assert_tiff_round_trip(path, 7, 13);
    /* several strips, the last one short */
    snprintf(path, sizeof path, "%s/strips.tiff", dir);
    assert_tiff_round_trip(path, 301, 1000);
    /* one row, one column */
    snprintf(path, sizeof path, "%s/row.tiff", dir);
    assert_tiff_round_trip(path, 1, 40);
    snprintf(path, sizeof path, "%s/column.tiff", dir);
    assert_tiff_round_trip(path, 40, 1);
    /* overwriting, and no temporary left behind */
    snprintf(path, sizeof path, "%s/small.tiff", dir);
    assert_tiff_round_trip(path, 3, 5);
    assert_int_equal(test_tmpdir_entries(dir), 4);
}

static void test_tiff_tags(void **state)
{
    (void)state;
    char path[600];
    test_tmpdir_path(path, sizeof path, "tags.tiff");
    float *frame = awkward_frame(301, 1000);
    savu_error err = { "" };
    assert_int_equal(tiff_write_float(path, frame, 301, 1000, &err), 0);
    free(frame);

    TIFF *tif = TIFFOpen(path, "r");
    assert_non_null(tif);
    uint32_t width = 0, height = 0, rows_per_strip = 0;
    uint16_t spp = 0, bps = 0, format = 0, photometric = 99, compression = 0, planar = 0;
    assert_true(TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width));
    assert_true(TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height));
    assert_true(TIFFGetField(tif, TIFFTAG_SAMPLESPERPIXEL, &spp));
    assert_true(TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bps));
    assert_true(TIFFGetField(tif, TIFFTAG_SAMPLEFORMAT, &format));
    assert_true(TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric));
    assert_true(TIFFGetField(tif, TIFFTAG_COMPRESSION, &compression));
    assert_true(TIFFGetField(tif, TIFFTAG_PLANARCONFIG, &planar));
    assert_true(TIFFGetField(tif, TIFFTAG_ROWSPERSTRIP, &rows_per_strip));
    assert_int_equal(width, 1000);
    assert_int_equal(height, 301);
    assert_int_equal(spp, 1);
    assert_int_equal(bps, 32);
    assert_int_equal(format, SAMPLEFORMAT_IEEEFP);
    assert_int_equal(photometric, PHOTOMETRIC_MINISBLACK);
    assert_int_equal(compression, COMPRESSION_NONE);
    assert_int_equal(planar, PLANARCONFIG_CONTIG);
    assert_false(TIFFIsTiled(tif));
    /* strips of some rows: neither one row each nor the whole frame */
    assert_true(rows_per_strip > 1 && rows_per_strip < 301);
    assert_int_equal(TIFFNumberOfStrips(tif), (301 + rows_per_strip - 1) / rows_per_strip);
    assert_int_equal(TIFFNumberOfDirectories(tif), 1);
    TIFFClose(tif);
}

static void test_tiff_errors(void **state)
{
    (void)state;
    float frame[6] = { 1, 2, 3, 4, 5, 6 };
    char path[700], expected[900];
    savu_error err = { "" };

    test_tmpdir_path(path, sizeof path, "no/such/dir/img.tiff");
    assert_int_equal(tiff_write_float(path, frame, 2, 3, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: No such file or directory", path);
    assert_string_equal(err.msg, expected);

    /* the directory is a file */
    char file[300];
    test_tmpdir_path(file, sizeof file, "plain_file");
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/img.tiff", file);
    assert_int_equal(tiff_write_float(path, frame, 2, 3, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: Not a directory", path);
    assert_string_equal(err.msg, expected);

    test_tmpdir_path(path, sizeof path, "empty.tiff");
    assert_int_equal(tiff_write_float(path, frame, 0, 3, &err), -1);
    assert_non_null(strstr(err.msg, path));
    assert_false(file_exists(path));

    long h, w;
    test_tmpdir_path(path, sizeof path, "missing.tiff");
    assert_null(tiff_read_float(path, &h, &w, &err));
    snprintf(expected, sizeof expected, "cannot read %s: No such file or directory", path);
    assert_string_equal(err.msg, expected);

    /* not a TIFF */
    assert_null(tiff_read_float(file, &h, &w, &err));
    assert_int_equal(strncmp(err.msg, "cannot read ", 12), 0);
    assert_non_null(strstr(err.msg, file));
}

/* A write that fails half-way (the file-size limit, which holds for root
 * too) leaves the old file as it was and no temporary behind. */
static void test_tiff_failed_write_keeps_old_file(void **state)
{
    (void)state;
    char dir[512], path[600];
    new_dir(dir, sizeof dir, "tiff_atomic");
    snprintf(path, sizeof path, "%s/img.tiff", dir);
    float small[4] = { -1, 2, -3, 4 };
    savu_error err = { "" };
    assert_int_equal(tiff_write_float(path, small, 2, 2, &err), 0);

    float *big = awkward_frame(200, 200);
    test_fsize limit;
    test_fsize_limit(&limit, 8192);
    int rc = tiff_write_float(path, big, 200, 200, &err);
    test_fsize_unlimit(&limit);
    free(big);
    assert_int_equal(rc, -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: File too large", path);
    assert_string_equal(err.msg, expected);

    assert_int_equal(test_tmpdir_entries(dir), 1);
    long h, w;
    float *back = tiff_read_float(path, &h, &w, &err);
    assert_non_null(back);
    assert_int_equal(h, 2);
    assert_int_equal(w, 2);
    assert_memory_equal(back, small, sizeof small);
    free(back);
}

/* ---- PNG ---- */

/* Writes a float dataset (intermediate groups created). */
static void write_h5(const char *path, const char *name, int rank, const hsize_t *dims,
                     const float *data)
{
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t dset = H5Dcreate2(file, name, H5T_IEEE_F32LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(dset >= 0);
    assert_true(H5Dwrite(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    H5Dclose(dset);
    H5Sclose(space);
    H5Pclose(lcpl);
    H5Fclose(file);
}

/* A volume (d0, d1, d2) of value a*i0 + b*i1 + c*i2, then, for a 4-D one,
 * variants t > 0 of the negated values (a preview that read them would not
 * be monotone increasing). The last dim varies fastest. */
static float *gradient_volume(const hsize_t *dims, int rank, double a, double b, double c)
{
    size_t variants = rank == 4 ? dims[3] : 1;
    float *v = malloc(dims[0] * dims[1] * dims[2] * variants * sizeof *v);
    assert_non_null(v);
    size_t n = 0;
    for (hsize_t i0 = 0; i0 < dims[0]; i0++)
        for (hsize_t i1 = 0; i1 < dims[1]; i1++)
            for (hsize_t i2 = 0; i2 < dims[2]; i2++)
                for (size_t t = 0; t < variants; t++) {
                    double x = a * (double)i0 + b * (double)i1 + c * (double)i2;
                    v[n++] = (float)(t == 0 ? x : -x - 1000.0 * (double)t);
                }
    return v;
}

typedef struct grey_image {
    png_image info;
    unsigned char *pixels;
} grey_image;

static grey_image read_png(const char *path)
{
    grey_image g;
    memset(&g, 0, sizeof g);
    g.info.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_file(&g.info, path));
    assert_int_equal(g.info.format & PNG_FORMAT_FLAG_COLOR, 0);
    g.info.format = PNG_FORMAT_GRAY;
    g.pixels = malloc(PNG_IMAGE_SIZE(g.info));
    assert_non_null(g.pixels);
    assert_true(png_image_finish_read(&g.info, NULL, g.pixels, 0, NULL));
    return g;
}

static unsigned char pixel(const grey_image *g, long row, long col)
{
    return g->pixels[(size_t)row * g->info.width + (size_t)col];
}

/* Pixels of the panel at [left, left+cols) x [0, rows) never decrease along
 * rows or columns; the range runs from black to white. */
static void assert_panel_monotone(const grey_image *g, long left, long rows, long cols)
{
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < cols; c++) {
            if (c + 1 < cols)
                assert_true(pixel(g, r, left + c) <= pixel(g, r, left + c + 1));
            if (r + 1 < rows)
                assert_true(pixel(g, r, left + c) <= pixel(g, r + 1, left + c));
        }
}

static void assert_white(const grey_image *g, long left, long top, long cols, long rows)
{
    for (long r = top; r < top + rows; r++)
        for (long c = left; c < left + cols; c++)
            assert_int_equal(pixel(g, r, c), 255);
}

#define GAP 4

/* The panels of a (d0, d1, d2) volume: (rows d1, cols d2), (d0, d2), (d1, d0). */
static void assert_gradient_preview(const char *png_path, const hsize_t *d)
{
    grey_image g = read_png(png_path);
    long widths[3] = { (long)d[2], (long)d[2], (long)d[0] };
    long heights[3] = { (long)d[1], (long)d[0], (long)d[1] };
    long height = (long)(d[0] > d[1] ? d[0] : d[1]);
    assert_int_equal(g.info.width, widths[0] + widths[1] + widths[2] + 2 * GAP);
    assert_int_equal(g.info.height, height);
    long left = 0;
    int darkest = 255, brightest = 0;
    for (int k = 0; k < 3; k++) {
        assert_panel_monotone(&g, left, heights[k], widths[k]);
        for (long r = 0; r < heights[k]; r++)
            for (long c = 0; c < widths[k]; c++) {
                int p = pixel(&g, r, left + c);
                darkest = p < darkest ? p : darkest;
                brightest = p > brightest ? p : brightest;
            }
        assert_white(&g, left, heights[k], widths[k], height - heights[k]);
        if (k < 2)
            assert_white(&g, left + widths[k], 0, GAP, height);
        left += widths[k] + GAP;
    }
    assert_int_equal(darkest, 0);
    assert_int_equal(brightest, 255);
    free(g.pixels);
}

static void test_png_preview_of_gradient_volume(void **state)
{
    (void)state;
    char h5[600], png[600];
    test_tmpdir_path(h5, sizeof h5, "gradient.h5");
    test_tmpdir_path(png, sizeof png, "gradient.png");
    const hsize_t dims[3] = { 30, 21, 44 };
    float *v = gradient_volume(dims, 3, 1.0, 2.5, 0.75);
    write_h5(h5, "/entry/final_result_tomo/data", 3, dims, v);
    free(v);
    savu_error err = { "" };
    if (png_preview_write(h5, "/entry/final_result_tomo/data", png, &err) != 0)
        fail_msg("%s", err.msg);
    assert_gradient_preview(png, dims);
}

static void test_png_preview_of_tuned_volume(void **state)
{
    (void)state;
    char h5[600], png[600];
    test_tmpdir_path(h5, sizeof h5, "tuned.h5");
    test_tmpdir_path(png, sizeof png, "tuned.png");
    const hsize_t dims[4] = { 17, 33, 25, 3 };
    float *v = gradient_volume(dims, 4, 0.5, 1.0, 2.0);
    write_h5(h5, "data", 4, dims, v);
    free(v);
    savu_error err = { "" };
    if (png_preview_write(h5, "data", png, &err) != 0)
        fail_msg("%s", err.msg);
    assert_gradient_preview(png, dims);
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Random values with a few outliers: the middle panel (the slice at d1/2)
 * is black at or below the 0.5th percentile of the three slices' values,
 * white at or above the 99.5th, and in between proportionally. */
static void test_png_percentile_scaling(void **state)
{
    (void)state;
    char h5[600], png[600];
    test_tmpdir_path(h5, sizeof h5, "random.h5");
    test_tmpdir_path(png, sizeof png, "random.png");
    enum { D0 = 40, D1 = 30, D2 = 50 };
    const hsize_t dims[3] = { D0, D1, D2 };
    float *v = malloc(sizeof(float) * D0 * D1 * D2);
    assert_non_null(v);
    srand(12345);
    for (size_t i = 0; i < (size_t)D0 * D1 * D2; i++)
        v[i] = (float)rand() / RAND_MAX * 10.0f - 5.0f;
#define AT(i0, i1, i2) v[((size_t)(i0) * D1 + (i1)) * D2 + (i2)]
    AT(3, D1 / 2, 4) = 1e6f;   /* outliers, in the middle panel */
    AT(5, D1 / 2, 6) = -1e6f;
    AT(7, D1 / 2, 8) = NAN;
    write_h5(h5, "v", 3, dims, v);
    savu_error err = { "" };
    if (png_preview_write(h5, "v", png, &err) != 0)
        fail_msg("%s", err.msg);

    /* the expected percentiles, from the three slices' finite values */
    float *all = malloc(sizeof(float) * (D1 * D2 + D0 * D2 + D0 * D1));
    size_t n = 0;
    for (int i1 = 0; i1 < D1; i1++)
        for (int i2 = 0; i2 < D2; i2++)
            all[n++] = AT(D0 / 2, i1, i2);
    for (int i0 = 0; i0 < D0; i0++)
        for (int i2 = 0; i2 < D2; i2++)
            all[n++] = AT(i0, D1 / 2, i2);
    for (int i0 = 0; i0 < D0; i0++)
        for (int i1 = 0; i1 < D1; i1++)
            all[n++] = AT(i0, i1, D2 / 2);
    size_t finite = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(all[i]))
            all[finite++] = all[i];
    qsort(all, finite, sizeof *all, compare_floats);
    float lo = all[(size_t)(0.005 * (double)(finite - 1) + 0.5)];
    float hi = all[(size_t)(0.995 * (double)(finite - 1) + 0.5)];
    free(all);
    assert_true(lo > -5.1f && lo < -4.8f && hi > 4.8f && hi < 5.1f); /* outliers ignored */

    grey_image g = read_png(png);
    long left = D2 + GAP;
    for (int i0 = 0; i0 < D0; i0++)
        for (int i2 = 0; i2 < D2; i2++) {
            float x = AT(i0, D1 / 2, i2);
            int p = pixel(&g, i0, left + i2);
            if (isnan(x))
                assert_int_equal(p, 0);
            else if (x <= lo)
                assert_int_equal(p, 0);
            else if (x >= hi)
                assert_int_equal(p, 255);
            else
                assert_true(fabs(p - (x - lo) / (hi - lo) * 255.0) <= 0.5 + 1e-3);
        }
#undef AT
    free(g.pixels);
    free(v);
}

/* A constant volume is mid-grey; its NaN voxels are black. */
static void test_png_constant_volume_and_nan(void **state)
{
    (void)state;
    char h5[600], png[600];
    test_tmpdir_path(h5, sizeof h5, "constant.h5");
    test_tmpdir_path(png, sizeof png, "constant.png");
    const hsize_t dims[3] = { 4, 6, 5 };
    float v[4 * 6 * 5];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        v[i] = 7.0f;
    v[(2 * 6 + 0) * 5 + 0] = NAN; /* i0 = 2 = d0/2: the first panel's top-left */
    write_h5(h5, "v", 3, dims, v);
    savu_error err = { "" };
    assert_int_equal(png_preview_write(h5, "v", png, &err), 0);
    grey_image g = read_png(png);
    assert_int_equal(g.info.width, 5 + 5 + 4 + 2 * GAP);
    assert_int_equal(g.info.height, 6);
    assert_int_equal(pixel(&g, 0, 0), 0);
    assert_int_equal(pixel(&g, 0, 1), 128);
    assert_int_equal(pixel(&g, 3, 5 + GAP + 2), 128);
    free(g.pixels);
}

static void test_png_errors(void **state)
{
    (void)state;
    char h5[600], png[600], expected[1200];
    savu_error err = { "" };
    test_tmpdir_path(h5, sizeof h5, "errors.h5");
    const hsize_t dims3[3] = { 3, 4, 5 };
    float v[60] = { 0 };
    write_h5(h5, "/entry/data", 3, dims3, v);

    /* unwritable directory: nothing written */
    test_tmpdir_path(png, sizeof png, "no/such/dir/p.png");
    assert_int_equal(png_preview_write(h5, "/entry/data", png, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: No such file or directory", png);
    assert_string_equal(err.msg, expected);

    test_tmpdir_path(png, sizeof png, "error.png");
    char missing[600];
    test_tmpdir_path(missing, sizeof missing, "missing.h5");
    assert_int_equal(png_preview_write(missing, "/entry/data", png, &err), -1);
    snprintf(expected, sizeof expected, "%s: No such file or directory", missing);
    assert_string_equal(err.msg, expected);

    assert_int_equal(png_preview_write(h5, "/entry/nothing", png, &err), -1);
    snprintf(expected, sizeof expected, "%s: no dataset /entry/nothing", h5);
    assert_string_equal(err.msg, expected);
    assert_int_equal(png_preview_write(h5, "/entry", png, &err), -1);
    snprintf(expected, sizeof expected, "%s: no dataset /entry", h5);
    assert_string_equal(err.msg, expected);

    char flat[600];
    test_tmpdir_path(flat, sizeof flat, "flat.h5");
    const hsize_t dims2[2] = { 6, 10 };
    write_h5(flat, "image", 2, dims2, v);
    assert_int_equal(png_preview_write(flat, "image", png, &err), -1);
    snprintf(expected, sizeof expected,
             "%s:image: a dataset of 2 dimensions, expected a volume of 3 or more", flat);
    assert_string_equal(err.msg, expected);

    /* not an HDF5 file */
    char text[600];
    test_tmpdir_path(text, sizeof text, "text.h5");
    FILE *fp = fopen(text, "w");
    assert_non_null(fp);
    fputs("not hdf5\n", fp);
    fclose(fp);
    assert_int_equal(png_preview_write(text, "v", png, &err), -1);
    snprintf(expected, sizeof expected, "%s: not an HDF5 file", text);
    assert_int_equal(strncmp(err.msg, expected, strlen(expected)), 0);
    assert_null(strchr(err.msg, '\n'));

    assert_false(file_exists(png));
}

/* A PNG write failing half-way leaves the old file and no temporary. */
static void test_png_failed_write_keeps_old_file(void **state)
{
    (void)state;
    char dir[512], path[600];
    new_dir(dir, sizeof dir, "png_atomic");
    snprintf(path, sizeof path, "%s/p.png", dir);
    unsigned char small[4] = { 0, 50, 100, 150 };
    savu_error err = { "" };
    assert_int_equal(png_grey_write(path, small, 2, 2, NULL, &err), 0);

    enum { SIDE = 400 };
    unsigned char *noise = malloc(SIDE * SIDE);
    assert_non_null(noise);
    srand(7);
    for (int i = 0; i < SIDE * SIDE; i++)
        noise[i] = (unsigned char)rand(); /* incompressible */
    test_fsize limit;
    test_fsize_limit(&limit, 8192);
    int rc = png_grey_write(path, noise, SIDE, SIDE, NULL, &err);
    test_fsize_unlimit(&limit);
    free(noise);
    assert_int_equal(rc, -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: File too large", path);
    assert_string_equal(err.msg, expected);
    assert_int_equal(test_tmpdir_entries(dir), 1);
    grey_image g = read_png(path);
    assert_int_equal(g.info.width, 2);
    assert_memory_equal(g.pixels, small, sizeof small);
    free(g.pixels);
}

static void test_png_write_grey(void **state)
{
    (void)state;
    char dir[512], path[600];
    new_dir(dir, sizeof dir, "png_grey");
    snprintf(path, sizeof path, "%s/ramp.png", dir);
    unsigned char pixels[3 * 256];
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 256; c++)
            pixels[r * 256 + c] = (unsigned char)(r == 1 ? 255 - c : c);
    savu_error err = { "" };
    assert_int_equal(png_grey_write(path, pixels, 256, 3, NULL, &err), 0);
    grey_image g = read_png(path);
    assert_int_equal(g.info.width, 256);
    assert_int_equal(g.info.height, 3);
    assert_memory_equal(g.pixels, pixels, sizeof pixels);
    free(g.pixels);
    assert_int_equal(test_tmpdir_entries(dir), 1);
    assert_int_equal(png_grey_write(path, pixels, 0, 3, NULL, &err), -1);
    assert_non_null(strstr(err.msg, path));
}

/* An image of many bands of rows, one of them short, compressed on 1 and on
 * 4 threads: libpng (zlib checking the joined stream's Adler-32) reads back
 * every pixel, and the two files are the same bytes. */
static void test_png_bands_on_threads(void **state)
{
    (void)state;
    char dir[512], one[600], four[600];
    new_dir(dir, sizeof dir, "png_bands");
    snprintf(one, sizeof one, "%s/one.png", dir);
    snprintf(four, sizeof four, "%s/four.png", dir);
    enum { W = 301, H = 64 * 5 + 17 };
    unsigned char *pixels = malloc(W * H);
    assert_non_null(pixels);
    srand(3);
    for (long i = 0; i < W * H; i++) /* runs, ramps and noise */
        pixels[i] = (unsigned char)(i / W % 3 == 0 ? 7 : i % W < 150 ? i % W : rand());
    savu_error err = { "" };
    assert_int_equal(png_grey_write(one, pixels, W, H, NULL, &err), 0);
    savu_thread_pool *pool = savu_thread_pool_create(4, &err);
    assert_non_null(pool);
    assert_int_equal(png_grey_write(four, pixels, W, H, pool, &err), 0);
    savu_thread_pool_destroy(pool);
    grey_image g = read_png(four);
    assert_int_equal(g.info.width, W);
    assert_int_equal(g.info.height, H);
    assert_memory_equal(g.pixels, pixels, (size_t)W * H);
    free(g.pixels);
    FILE *a = fopen(one, "rb"), *b = fopen(four, "rb");
    assert_non_null(a);
    assert_non_null(b);
    int ca, cb;
    long n = 0;
    do {
        ca = fgetc(a);
        cb = fgetc(b);
        n++;
    } while (ca == cb && ca != EOF);
    fclose(a);
    fclose(b);
    assert_int_equal(ca, cb);
    assert_true(n < (long)W * H); /* and the data were compressed */
    free(pixels);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* the tests provoke HDF5 errors on purpose */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiff_names),
        cmocka_unit_test(test_tiff_round_trip_is_exact),
        cmocka_unit_test(test_tiff_tags),
        cmocka_unit_test(test_tiff_errors),
        cmocka_unit_test(test_tiff_failed_write_keeps_old_file),
        cmocka_unit_test(test_png_preview_of_gradient_volume),
        cmocka_unit_test(test_png_preview_of_tuned_volume),
        cmocka_unit_test(test_png_percentile_scaling),
        cmocka_unit_test(test_png_constant_volume_and_nan),
        cmocka_unit_test(test_png_errors),
        cmocka_unit_test(test_png_write_grey),
        cmocka_unit_test(test_png_failed_write_keeps_old_file),
        cmocka_unit_test(test_png_bands_on_threads),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, test_tmpdir_teardown);
}
