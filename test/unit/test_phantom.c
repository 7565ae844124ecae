/* test_phantom.c: savu_phantom — the exact projections of the ellipsoid
 * phantom (against the analytic ellipse formula and brute-force integration
 * along rays, mass conservation), the point sampling, the detector model
 * (counts, Poisson statistics, rings, zingers, determinism for any thread
 * count), the ordered frame pipeline, the NXtomo file layout and record, and
 * the scores (RMSE, PSNR, SSIM) with their error messages. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "phantom_frames.h"
#include "phantom_model.h"
#include "phantom_nxtomo.h"
#include "phantom_params.h"
#include "phantom_random.h"
#include "phantom_result.h"
#include "phantom_score.h"
#include "phantom_truth.h"

/* ---- helpers ---- */

static char temp_dir[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int make_temp_dir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(temp_dir, sizeof temp_dir, "%s/test_phantom.XXXXXX", base);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return mkdtemp(temp_dir) ? 0 : -1;
}

static int remove_temp_dir(void **state)
{
    (void)state;
    return nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *temp_path(const char *name)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s/%s", temp_dir, name);
    return path;
}

/* Files in temp_dir whose name starts with '.' (leftover temporaries). */
static int hidden_files(void)
{
    char command[600];
    snprintf(command, sizeof command, "ls -A '%s' | grep -c '^\\.' > /dev/null", temp_dir);
    return system(command) == 0;
}

/* The whole dataset at `path` of `file` as doubles; *n gets the count. */
static double *read_all(const char *file, const char *path, size_t *n)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t set = H5Dopen2(f, path, H5P_DEFAULT);
    assert_true(set >= 0);
    hid_t space = H5Dget_space(set);
    *n = (size_t)H5Sget_simple_extent_npoints(space);
    double *values = malloc(*n * sizeof *values);
    assert_non_null(values);
    assert_true(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Sclose(space);
    H5Dclose(set);
    H5Fclose(f);
    return values;
}

static void assert_attr(hid_t file, const char *object, const char *name, const char *expected)
{
    hid_t attr = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(attr >= 0);
    hid_t type = H5Aget_type(attr);
    char value[128] = "";
    assert_true(H5Tget_size(type) < sizeof value);
    assert_true(H5Aread(attr, type, value) >= 0);
    assert_string_equal(value, expected);
    H5Tclose(type);
    H5Aclose(attr);
}

static void assert_close(double got, double expected, double tolerance)
{
    if (fabs(got - expected) > tolerance)
        fail_msg("%.17g differs from %.17g by more than %g", got, expected, tolerance);
}

static savu_phantom_params small_params(void)
{
    savu_phantom_params p;
    savu_phantom_params_default(&p);
    p.width = 24;
    p.rows = 6;
    p.angles = 10;
    p.threads = 2;
    return p;
}

/* ---- the model ---- */

/* A centred ellipsoid: at height Z its section is an ellipse of semi-axes
 * a k, b k, k = sqrt(1 - Z^2/c^2), whose projection on x cos + y sin = s is
 * 2 a b k^2 sqrt(q - s^2) / q with q = k^2 (a^2 cos^2 + b^2 sin^2). */
static void test_chord_of_centred_ellipsoid(void **state)
{
    (void)state;
    const savu_ellipsoid e = {.a = .5, .b = .3, .c = .4, .value = 1};
    savu_phantom ph;
    savu_phantom_init(&ph, &e, 1, 200, 201, 99.5, 0.25); /* unit 100 pixels */
    const double thetas[] = {0, 0.3, M_PI / 2, 2.0, 3.0};
    const int rows[] = {100, 130}; /* Z = 0 and 0.3 */
    for (size_t t = 0; t < sizeof thetas / sizeof *thetas; t++) {
        for (size_t r = 0; r < 2; r++) {
            double th = thetas[t], z = (rows[r] - 100) / 100.0, k2 = 1 - z * z / (.4 * .4);
            double q = k2 * (.25 * cos(th) * cos(th) + .09 * sin(th) * sin(th));
            for (double u = 0; u < 200; u += 3.7) {
                double s = (u - 99.5) / 100;
                double chord = s * s < q ? 2 * .5 * .3 * k2 * sqrt(q - s * s) / q : 0;
                assert_close(savu_phantom_ray(&ph, th, u, rows[r]), chord * 100 * 0.25, 1e-12);
            }
        }
    }
    /* through the centre along y, horizontal: the full axis 2b */
    const double centre[3] = {0, 0, 0}, along_y[3] = {0, 1, 0}, up[3] = {0, 0, 1};
    assert_close(savu_ellipsoid_chord(&ph.terms[0], centre, along_y), 0.6, 1e-15);
    assert_close(savu_ellipsoid_chord(&ph.terms[0], centre, up), 0.8, 1e-15);
    const double outside[3] = {0.51, 0, 0};
    assert_true(savu_ellipsoid_chord(&ph.terms[0], outside, along_y) == 0.0);
}

/* Inside-or-not along the ray at steps of h, summed: the chord within 2h. */
static double brute_force_integral(const savu_phantom *ph, const double point[3],
                                   const double dir[3])
{
    const double h = 1e-5;
    double sum = 0;
    for (double t = -2 + h / 2; t < 2; t += h) {
        const double p[3] = {point[0] + t * dir[0], point[1] + t * dir[1], point[2] + t * dir[2]};
        sum += savu_phantom_value_at(ph, p);
    }
    return sum * h;
}

static void test_line_integral_against_brute_force(void **state)
{
    (void)state;
    const savu_ellipsoid e = {.x0 = .1, .y0 = -.2, .z0 = .05, .a = .45, .b = .25, .c = .3,
                              .phi = 30, .tilt = 25, .value = 1.5};
    savu_phantom ph;
    savu_phantom_init(&ph, &e, 1, 64, 64, 31.5, 1);
    int hits = 0;
    for (int k = 0; k < 5; k++) {
        double th = k * 0.7;
        double s0 = e.x0 * cos(th) + e.y0 * sin(th);
        const double offsets[] = {-0.1, 0, 0.15}, heights[] = {0.05, 0.15};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double s = s0 + offsets[i];
                const double point[3] = {s * cos(th), s * sin(th), heights[j]};
                const double dir[3] = {-sin(th), cos(th), 0};
                double exact = savu_phantom_line_integral(&ph, point, dir);
                assert_close(exact, brute_force_integral(&ph, point, dir), 4e-5);
                hits += exact > 0.1;
            }
        }
    }
    /* an oblique ray, not in a detector row */
    const double point[3] = {0.1, -0.2, 0.05}, dir[3] = {0.48, 0.6, 0.64};
    assert_close(savu_phantom_line_integral(&ph, point, dir),
                 brute_force_integral(&ph, point, dir), 4e-5);
    assert_true(hits >= 20);
}

/* The row projector equals the single-ray form at every pixel. */
static void test_row_projector_matches_rays(void **state)
{
    (void)state;
    const savu_ellipsoid tilted = {.x0 = -.1, .y0 = .2, .z0 = -.1, .a = .5, .b = .2, .c = .35,
                                   .phi = -40, .tilt = 60, .value = -.7};
    savu_phantom phantoms[2];
    savu_phantom_init(&phantoms[0], NULL, 0, 96, 40, 50.25, 0.03);
    savu_phantom_init(&phantoms[1], &tilted, 1, 96, 40, 46.0, 0.03);
    double row[96];
    for (int which = 0; which < 2; which++) {
        const savu_phantom *ph = &phantoms[which];
        for (int k = 0; k < 6; k++) {
            double th = k * 1.1;
            for (int v = 0; v < 40; v += 3) {
                savu_phantom_project_row(ph, th, v, SAVU_PIXEL_POINT, row);
                for (int u = 0; u < 96; u++)
                    assert_close(row[u], savu_phantom_ray(ph, th, u, v), 1e-12);
            }
        }
    }
}

/* Σ_u of a row is the slice's mass: exactly (pixels that integrate) or to
 * the sampling error (pixel centres), the same at every angle. */
static void test_mass_conservation(void **state)
{
    (void)state;
    int width = 128, rows = 64;
    double unit = width / 2.0, scale = 0.5;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, width, rows, (width - 1) / 2.0, scale);
    double row[128];
    for (int v = 10; v < rows; v += 20) {
        double z = (v - (rows - 1) / 2.0) / unit, area = 0;
        for (int k = 0; k < SAVU_SHEPP_LOGAN_COUNT; k++) {
            const savu_ellipsoid *e = &savu_shepp_logan_3d[k];
            double left = 1 - (z - e->z0) * (z - e->z0) / (e->c * e->c);
            if (left > 0)
                area += e->value * M_PI * e->a * e->b * left;
        }
        double mass = area * unit * unit * scale;
        for (int k = 0; k < 14; k++) {
            double th = k * M_PI / 7, sum = 0;
            savu_phantom_project_row(&ph, th, v, SAVU_PIXEL_AREA, row);
            for (int u = 0; u < width; u++)
                sum += row[u];
            assert_close(sum, mass, 1e-9 * mass);
            savu_phantom_project_row(&ph, th, v, SAVU_PIXEL_POINT, row);
            sum = 0;
            for (int u = 0; u < width; u++)
                sum += row[u];
            assert_close(sum, mass, 1e-2 * mass);
        }
    }
}

/* Pixels that integrate: each value is the mean of the centre-ray values
 * over the pixel's width. */
static void test_pixel_average_is_mean_over_pixel(void **state)
{
    (void)state;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, 40, 20, 19.5, 1);
    double row[40];
    savu_phantom_project_row(&ph, 0.4, 10, SAVU_PIXEL_AREA, row);
    for (int u = 0; u < 40; u++) {
        double sum = 0;
        int n = 4000;
        for (int i = 0; i < n; i++)
            sum += savu_phantom_ray(&ph, 0.4, u - 0.5 + (i + 0.5) / n, 10);
        assert_close(row[u], sum / n, 2e-4);
    }
}

static void test_point_sampling(void **state)
{
    (void)state;
    savu_phantom ph;
    const int widths[] = {7, 50, 161};
    for (size_t w = 0; w < 3; w++) {
        int width = widths[w], rows = 9;
        savu_phantom_init(&ph, NULL, 0, width, rows, (width - 1) / 2.0, 1);
        double *slice = malloc((size_t)width * width * sizeof *slice);
        for (int v = 0; v < rows; v++) {
            savu_phantom_sample_slice(&ph, v, slice);
            for (int ix = 0; ix < width; ix++)
                for (int iz = 0; iz < width; iz++)
                    assert_true(slice[(size_t)ix * width + iz] ==
                                savu_phantom_voxel(&ph, ix, v, iz));
        }
        free(slice);
    }
    /* textbook values, width 200: centre 0.2 (1 - 0.8), skull 1, outside 0,
     * the right ventricle 0 (0.2 - 0.2) at x = 0.22 */
    savu_phantom_init(&ph, NULL, 0, 200, 201, 99.5, 1);
    const double centre[3] = {0, 0, 0}, skull[3] = {0, 0.9, 0}, out[3] = {0.8, 0, 0};
    const double ventricle[3] = {0.22, 0, 0}, blob[3] = {0, 0.35, -0.15};
    assert_close(savu_phantom_value_at(&ph, centre), 0.2, 1e-15);
    assert_close(savu_phantom_value_at(&ph, skull), 1.0, 1e-15);
    assert_close(savu_phantom_value_at(&ph, out), 0.0, 1e-15);
    assert_close(savu_phantom_value_at(&ph, ventricle), 0.0, 1e-15);
    assert_close(savu_phantom_value_at(&ph, blob), 0.3, 1e-15);
    /* voxel (ix, v, iz): x = ix - 99.5 pixels = 0.005 phantom units from
     * the centre at ix = 100; slice z at iz = 190 is y = 0.905 (skull) */
    assert_close(savu_phantom_voxel(&ph, 100, 100, 190), 1.0, 1e-15);
    assert_close(savu_phantom_voxel(&ph, 190, 100, 100), 0.0, 1e-15); /* x = .905: outside */
}

/* The default scale puts the largest projection value at about 1. */
static void test_default_scale(void **state)
{
    (void)state;
    savu_phantom_params p;
    savu_phantom_params_default(&p);
    assert_close(savu_phantom_params_scale(&p), 3.6 / 160, 1e-15);
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    double row[160], largest = 0;
    for (int a = 0; a < 180; a++)
        for (int v = 0; v < p.rows; v++) {
            savu_phantom_project_row(&ph, a * M_PI / 180, v, SAVU_PIXEL_POINT, row);
            for (int u = 0; u < 160; u++)
                largest = fmax(largest, row[u]);
        }
    assert_true(largest > 0.98 && largest <= 1.0);
    p.scale = 0.5;
    assert_close(savu_phantom_params_scale(&p), 0.5, 0);
}

/* ---- parameters and frames ---- */

static void assert_check_fails(savu_phantom_params p, const char *message)
{
    savu_error err;
    assert_int_equal(savu_phantom_params_check(&p, &err), -1);
    assert_string_equal(err.msg, message);
}

static void test_params_check(void **state)
{
    (void)state;
    savu_phantom_params p;
    savu_phantom_params_default(&p);
    savu_error err;
    assert_int_equal(savu_phantom_params_check(&p, &err), 0);
    assert_int_equal(p.width, 160);
    assert_int_equal(p.rows, 135);
    assert_int_equal(p.angles, 180);
    assert_int_equal(savu_phantom_frame_count(&p), 200);
    assert_close(savu_phantom_params_cor(&p), 79.5, 0);

    savu_phantom_params bad = p;
    bad.width = 0;
    assert_check_fails(bad, "--width must be a whole number from 1 to 32768, got 0");
    bad = p;
    bad.angles = -3;
    assert_check_fails(bad, "--angles must be a whole number from 1 to 1000000, got -3");
    bad = p;
    bad.range = 90;
    assert_check_fails(bad, "--range must be 180 or 360, got 90");
    bad = p;
    bad.cor_offset = 81;
    assert_check_fails(bad, "--cor-offset 81 puts the rotation axis at pixel 160.5, outside the "
                            "detector (0 to 159)");
    bad = p;
    bad.flat_level = 100;
    assert_check_fails(bad, "--flat-level must be above the dark level (100) and at most 65535, "
                            "got 100");
    bad = p;
    bad.dark_level = -1;
    assert_check_fails(bad, "--dark-level must be from 0 to 65535, got -1");
    bad = p;
    bad.rings = 1;
    assert_check_fails(bad, "--rings must be from 0 to below 1, got 1");
    bad = p;
    bad.zingers = 1.5;
    assert_check_fails(bad, "--zingers must be a fraction from 0 to 1, got 1.5");
    bad = p;
    bad.darks = -1;
    assert_check_fails(bad, "--darks must be a whole number from 0 to 10000, got -1");
}

static void test_frame_sequence(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.darks = 2;
    p.flats = 3;
    p.range = 360;
    assert_int_equal(savu_phantom_frame_count(&p), 20);
    const int keys[20] = {2, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
    for (int f = 0; f < 20; f++) {
        savu_frame_info info = savu_phantom_frame(&p, f);
        assert_int_equal(info.key, keys[f]);
        if (f < 5) {
            assert_close(info.angle, 0, 0);
            assert_int_equal(info.projection, -1);
        } else if (f < 15) {
            assert_close(info.angle, 36.0 * (f - 5), 1e-12);
            assert_int_equal(info.projection, f - 5);
        } else {
            assert_close(info.angle, 324, 1e-12);
            assert_int_equal(info.projection, -1);
        }
    }
}

/* ---- the frame pipeline ---- */

typedef struct pipeline_test {
    int fail_make_at, fail_take_at, taken;
} pipeline_test;

static int test_make(void *ctx, int frame, uint16_t *out)
{
    pipeline_test *t = ctx;
    if (frame == t->fail_make_at)
        return -1;
    usleep((useconds_t)((frame * 37) % 5) * 200);
    for (int i = 0; i < 3; i++)
        out[i] = (uint16_t)(frame * 7 + i);
    return 0;
}

static int test_take(void *ctx, int frame, const uint16_t *data, savu_error *err)
{
    pipeline_test *t = ctx;
    assert_int_equal(frame, t->taken);
    for (int i = 0; i < 3; i++)
        assert_int_equal(data[i], frame * 7 + i);
    if (frame == t->fail_take_at)
        return savu_error_set(err, "disk full at frame %d", frame);
    t->taken++;
    return 0;
}

static void test_frames_in_order(void **state)
{
    (void)state;
    savu_error err;
    const int threads[] = {1, 3, 8};
    for (int i = 0; i < 3; i++) {
        pipeline_test t = {.fail_make_at = -1, .fail_take_at = -1};
        assert_int_equal(savu_frames_run(50, 3, threads[i], test_make, test_take, &t, &err), 0);
        assert_int_equal(t.taken, 50);
    }
    pipeline_test t = {.fail_make_at = 17, .fail_take_at = -1};
    assert_int_equal(savu_frames_run(50, 3, 4, test_make, test_take, &t, &err), -1);
    assert_string_equal(err.msg, "could not make frame 17: out of memory");
    assert_true(t.taken <= 17);
    t = (pipeline_test){.fail_make_at = -1, .fail_take_at = 5};
    assert_int_equal(savu_frames_run(50, 3, 4, test_make, test_take, &t, &err), -1);
    assert_string_equal(err.msg, "disk full at frame 5");
    assert_int_equal(t.taken, 5);
}

/* ---- random numbers ---- */

static void poisson_moments(double mean, int n, double *got_mean, double *got_variance)
{
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < n; i++) {
        savu_random r;
        savu_random_start(&r, 5, SAVU_RANDOM_NOISE, 0, (uint64_t)i);
        double k = savu_random_poisson(&r, mean);
        assert_true(k >= 0 && k == floor(k));
        sum += k;
        sum_sq += k * k;
    }
    *got_mean = sum / n;
    *got_variance = sum_sq / n - *got_mean * *got_mean;
}

static void test_poisson_sampler(void **state)
{
    (void)state;
    const double means[] = {0.5, 3.5, 9.9, 10, 25, 1000, 40000};
    for (size_t i = 0; i < sizeof means / sizeof *means; i++) {
        double mean, variance;
        poisson_moments(means[i], 200000, &mean, &variance);
        assert_close(mean, means[i], 0.01 * means[i]);
        assert_close(variance, means[i], 0.02 * means[i]);
    }
    savu_random r;
    savu_random_start(&r, 1, SAVU_RANDOM_NOISE, 0, 0);
    assert_true(savu_random_poisson(&r, 0) == 0);
    /* the same key gives the same numbers */
    savu_random a, b;
    savu_random_start(&a, 9, SAVU_RANDOM_GAIN, 3, 4);
    savu_random_start(&b, 9, SAVU_RANDOM_GAIN, 3, 4);
    assert_true(savu_random_uniform(&a) == savu_random_uniform(&b));
    savu_random_start(&b, 9, SAVU_RANDOM_GAIN, 4, 3);
    assert_true(savu_random_uniform(&a) != savu_random_uniform(&b));
}

/* ---- the NXtomo file ---- */

static void test_file_layout(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.darks = 2;
    p.flats = 3;
    p.range = 360;
    p.cor_offset = 1.5;
    const char *path = temp_path("layout.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    assert_false(hidden_files());

    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t data = H5Dopen2(file, SAVU_PHANTOM_DATA_PATH, H5P_DEFAULT);
    hid_t type = H5Dget_type(data), space = H5Dget_space(data), dcpl = H5Dget_create_plist(data);
    hsize_t dims[3], chunk[3];
    assert_int_equal(H5Sget_simple_extent_dims(space, dims, NULL), 3);
    assert_int_equal(dims[0], 20);
    assert_int_equal(dims[1], 6);
    assert_int_equal(dims[2], 24);
    assert_true(H5Tequal(type, H5T_STD_U16LE) > 0);
    assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
    assert_int_equal(H5Pget_chunk(dcpl, 3, chunk), 3);
    assert_int_equal(chunk[0], 1);
    assert_int_equal(chunk[1], 6);
    assert_int_equal(chunk[2], 24);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(data);

    hid_t key = H5Dopen2(file, SAVU_PHANTOM_KEY_PATH, H5P_DEFAULT);
    type = H5Dget_type(key);
    assert_true(H5Tequal(type, H5T_IEEE_F64LE) > 0);
    H5Tclose(type);
    H5Dclose(key);

    /* the standard NXtomo paths are soft links to the same objects */
    const char *links[2][2] = {
        {"/entry1/tomo_entry/instrument/detector/data", SAVU_PHANTOM_DATA_PATH},
        {"/entry1/tomo_entry/sample/rotation_angle", SAVU_PHANTOM_ANGLE_PATH},
    };
    for (int i = 0; i < 2; i++) {
        H5L_info_t link;
        assert_true(H5Lget_info(file, links[i][0], &link, H5P_DEFAULT) >= 0);
        assert_int_equal(link.type, H5L_TYPE_SOFT);
        H5O_info_t a, b;
        assert_true(H5Oget_info_by_name2(file, links[i][0], &a, H5O_INFO_BASIC, H5P_DEFAULT) >= 0);
        assert_true(H5Oget_info_by_name2(file, links[i][1], &b, H5O_INFO_BASIC, H5P_DEFAULT) >= 0);
        assert_true(a.addr == b.addr);
    }
    assert_attr(file, "/entry1", "NX_class", "NXentry");
    assert_attr(file, "/entry1/tomo_entry", "NX_class", "NXsubentry");
    assert_attr(file, "/entry1/tomo_entry/data", "NX_class", "NXdata");
    assert_attr(file, "/entry1/tomo_entry/data", "signal", "data");
    assert_attr(file, "/entry1/tomo_entry/instrument", "NX_class", "NXinstrument");
    assert_attr(file, "/entry1/tomo_entry/instrument/detector", "NX_class", "NXdetector");
    assert_attr(file, "/entry1/tomo_entry/sample", "NX_class", "NXsample");
    assert_attr(file, "/entry1/phantom", "NX_class", "NXcollection");
    assert_attr(file, SAVU_PHANTOM_ANGLE_PATH, "units", "degree");
    hid_t definition = H5Dopen2(file, "/entry1/tomo_entry/definition", H5P_DEFAULT);
    type = H5Dget_type(definition);
    char text[32] = "";
    assert_true(H5Dread(definition, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) >= 0);
    assert_string_equal(text, "NXtomo");
    H5Tclose(type);
    H5Dclose(definition);
    H5Fclose(file);

    size_t n, n_linked;
    double *keys = read_all(path, SAVU_PHANTOM_KEY_PATH, &n);
    double *angles = read_all(path, "/entry1/tomo_entry/sample/rotation_angle", &n_linked);
    assert_int_equal(n, 20);
    assert_int_equal(n_linked, 20);
    for (int f = 0; f < 20; f++) {
        savu_frame_info info = savu_phantom_frame(&p, f);
        assert_true(keys[f] == info.key);
        assert_true(angles[f] == info.angle);
    }
    double *frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    double *linked = read_all(path, "/entry1/tomo_entry/instrument/detector/data", &n_linked);
    assert_int_equal(n, 20 * 6 * 24);
    assert_memory_equal(frames, linked, n * sizeof *frames);
    size_t frame_size = 6 * 24;
    for (int f = 0; f < 20; f++) {
        if (keys[f] == 0)
            continue;
        double expected = keys[f] == 1 ? 40000 : 100;
        for (size_t i = 0; i < frame_size; i++)
            assert_true(frames[f * frame_size + i] == expected);
    }
    /* projections: dark + (flat - dark) exp(-p), rounded */
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    int nonzero = 0;
    for (int f = 5; f < 15; f++) {
        double th = angles[f] * M_PI / 180;
        for (int v = 0; v < 6; v++)
            for (int u = 0; u < 24; u++) {
                double line = savu_phantom_ray(&ph, th, u, v);
                double expected = 100 + 39900 * exp(-line);
                assert_close(frames[f * frame_size + (size_t)v * 24 + u], expected, 0.5 + 1e-6);
                nonzero += line > 0.1;
            }
    }
    assert_true(nonzero > 200);
    free(keys);
    free(angles);
    free(frames);
    free(linked);

    savu_phantom_params back;
    assert_int_equal(savu_phantom_read_record(path, &back, &err), 0);
    assert_int_equal(back.width, 24);
    assert_int_equal(back.rows, 6);
    assert_int_equal(back.angles, 10);
    assert_int_equal(back.range, 360);
    assert_int_equal(back.darks, 2);
    assert_int_equal(back.flats, 3);
    assert_true(back.cor_offset == 1.5);
    assert_true(back.scale == 3.6 / 24);
    assert_true(back.flat_level == 40000 && back.dark_level == 100);
    assert_false(back.noise);
    assert_int_equal(back.response, SAVU_PIXEL_POINT);
}

static void test_record_round_trip(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.noise = true;
    p.seed = 0xfedcba9876543210ULL;
    p.rings = 0.01;
    p.zingers = 0.001;
    p.scale = 0.125;
    p.flat_level = 30000;
    p.dark_level = 50;
    p.response = SAVU_PIXEL_AREA;
    const char *path = temp_path("record.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    savu_phantom_params back;
    assert_int_equal(savu_phantom_read_record(path, &back, &err), 0);
    assert_true(back.noise);
    assert_true(back.seed == 0xfedcba9876543210ULL);
    assert_true(back.rings == 0.01 && back.zingers == 0.001 && back.scale == 0.125);
    assert_true(back.flat_level == 30000 && back.dark_level == 50);
    assert_int_equal(back.response, SAVU_PIXEL_AREA);
    size_t n;
    double *cor = read_all(path, "/entry1/phantom/cor", &n);
    assert_true(n == 1 && cor[0] == 11.5);
    free(cor);
}

static void test_noise_statistics(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 64;
    p.rows = 16;
    p.angles = 1;
    p.darks = 10;
    p.flats = 10;
    p.noise = true;
    p.seed = 7;
    const char *path = temp_path("noise.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    size_t n, nk;
    double *frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    double *keys = read_all(path, SAVU_PHANTOM_KEY_PATH, &nk);
    size_t frame_size = 64 * 16;
    for (int key = 1; key <= 2; key++) {
        double level = key == 1 ? 40000 : 100, sum = 0, sum_sq = 0;
        size_t count = 0;
        for (size_t f = 0; f < nk; f++) {
            if (keys[f] != key)
                continue;
            for (size_t i = 0; i < frame_size; i++) {
                double x = frames[f * frame_size + i];
                sum += x;
                sum_sq += x * x;
                count++;
            }
        }
        assert_int_equal(count, 20 * frame_size);
        double mean = sum / count, variance = sum_sq / count - mean * mean;
        assert_close(mean, level, 0.005 * level);
        assert_close(variance, level, 0.05 * level);
    }
    free(frames);
    free(keys);
}

/* Pixel order and thread count do not change the file; the seed does. */
static void test_deterministic(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 40;
    p.rows = 5;
    p.angles = 9;
    p.noise = true;
    p.rings = 0.02;
    p.zingers = 0.01;
    p.seed = 11;
    savu_error err;
    p.threads = 1;
    assert_int_equal(savu_phantom_write_nxtomo(&p, temp_path("one.nxs"), &err), 0);
    p.threads = 3;
    assert_int_equal(savu_phantom_write_nxtomo(&p, temp_path("three.nxs"), &err), 0);
    p.seed = 12;
    assert_int_equal(savu_phantom_write_nxtomo(&p, temp_path("other.nxs"), &err), 0);
    size_t n1, n3, n_other;
    double *one = read_all(temp_path("one.nxs"), SAVU_PHANTOM_DATA_PATH, &n1);
    double *three = read_all(temp_path("three.nxs"), SAVU_PHANTOM_DATA_PATH, &n3);
    double *other = read_all(temp_path("other.nxs"), SAVU_PHANTOM_DATA_PATH, &n_other);
    assert_int_equal(n1, n3);
    assert_memory_equal(one, three, n1 * sizeof *one);
    assert_true(memcmp(one, other, n1 * sizeof *one) != 0);
    free(one);
    free(three);
    free(other);
}

static void test_rings_and_zingers(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 64;
    p.rows = 16;
    p.angles = 20;
    p.darks = 1;
    p.flats = 1;
    p.rings = 0.05;
    const char *path = temp_path("rings.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    size_t n;
    double *frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    size_t frame_size = 64 * 16;
    for (size_t i = 0; i < frame_size; i++) { /* flats keep no gain errors */
        assert_true(frames[0 * frame_size + i] == 100 && frames[23 * frame_size + i] == 100);
        assert_true(frames[1 * frame_size + i] == 40000 && frames[22 * frame_size + i] == 40000);
    }
    /* the flat-field-corrected projection is p - log(gain): the same gain
     * for a pixel at every angle (a ring), within [0.95, 1.05] */
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    double sum = 0, sum_sq = 0;
    for (int v = 0; v < 16; v++)
        for (int u = 0; u < 64; u++) {
            double gains[2];
            for (int i = 0; i < 2; i++) {
                int projection = i * 13;
                double counts = frames[(size_t)(2 + projection) * frame_size + v * 64 + u];
                double line = savu_phantom_ray(&ph, savu_phantom_angle(&p, projection) * M_PI / 180,
                                               u, v);
                gains[i] = (counts - 100) / 39900 / exp(-line);
            }
            assert_close(gains[0], gains[1], 1e-3);
            assert_true(gains[0] > 0.95 - 1e-4 && gains[0] < 1.05 + 1e-4);
            sum += gains[0];
            sum_sq += gains[0] * gains[0];
        }
    double mean = sum / frame_size, sd = sqrt(sum_sq / frame_size - mean * mean);
    assert_close(sd, 0.05 / sqrt(3), 0.005); /* uniform in [1-A, 1+A] */
    free(frames);

    p.rings = 0;
    p.zingers = 0.02;
    path = temp_path("zingers.nxs");
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    size_t saturated = 0;
    for (size_t f = 0; f < 24; f++)
        for (size_t i = 0; i < frame_size; i++) {
            bool hit = frames[f * frame_size + i] == 65535;
            if (f < 2 || f >= 22)
                assert_false(hit);
            saturated += hit;
        }
    /* 2% of 20480 projection pixels: 410 +- 20 */
    assert_true(saturated > 330 && saturated < 490);
    free(frames);
}

static void test_write_errors(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, "/nonexistent-dir/x.nxs", &err), -1);
    assert_string_equal(err.msg, "cannot write /nonexistent-dir/x.nxs: No such file or directory");
    char dir_path[600];
    snprintf(dir_path, sizeof dir_path, "%s/", temp_dir);
    assert_int_equal(savu_phantom_write_nxtomo(&p, dir_path, &err), -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: Is a directory", dir_path);
    assert_string_equal(err.msg, expected);
    /* bad parameters: nothing is created, an existing file is kept */
    const char *path = temp_path("kept.nxs");
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);
    p.width = 0;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), -1);
    assert_string_equal(err.msg, "--width must be a whole number from 1 to 32768, got 0");
    char text[8] = "";
    f = fopen(path, "r");
    assert_non_null(fgets(text, sizeof text, f));
    fclose(f);
    assert_string_equal(text, "old");
    assert_false(hidden_files());
}

static void test_read_record_errors(void **state)
{
    (void)state;
    savu_phantom_params p;
    savu_error err;
    const char *missing = temp_path("missing.nxs");
    assert_int_equal(savu_phantom_read_record(missing, &p, &err), -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot read %s: No such file or directory", missing);
    assert_string_equal(err.msg, expected);

    const char *plain = temp_path("plain.h5");
    hid_t file = H5Fcreate(plain, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t group = H5Gcreate2(file, "entry1", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t record = H5Gcreate2(group, "phantom", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(record);
    H5Gclose(group);
    H5Fclose(file);
    assert_int_equal(savu_phantom_read_record(plain, &p, &err), -1);
    snprintf(expected, sizeof expected,
             "%s: no readable /entry1/phantom/width (not written by savu_phantom?)", plain);
    assert_string_equal(err.msg, expected);
}

/* ---- scores ---- */

typedef struct memory_volume {
    int width;
    double *values; /* [v][ix][iz] */
} memory_volume;

static int read_memory_slice(void *ctx, int v, double *out, savu_error *err)
{
    (void)err;
    memory_volume *m = ctx;
    size_t n = (size_t)m->width * m->width;
    memcpy(out, m->values + (size_t)v * n, n * sizeof *out);
    return 0;
}

static void fill_truth(const savu_phantom *ph, memory_volume *m)
{
    size_t n = (size_t)ph->width * ph->width;
    m->width = ph->width;
    m->values = malloc(n * ph->rows * sizeof *m->values);
    assert_non_null(m->values);
    for (int v = 0; v < ph->rows; v++) {
        savu_phantom_sample_slice(ph, v, m->values + v * n);
        for (size_t i = 0; i < n; i++)
            m->values[v * n + i] *= ph->scale;
    }
}

static void test_score_of_the_phantom_itself(void **state)
{
    (void)state;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, 48, 6, 23.5, 0.05);
    memory_volume m;
    fill_truth(&ph, &m);
    savu_scores s;
    savu_error err;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, &s, &err), 0);
    assert_true(s.rmse == 0.0);
    assert_true(isinf(s.psnr) && s.psnr > 0);
    assert_true(s.ssim == 1.0);
    assert_close(s.range, 1.0, 1e-12);
    int in_disc = 0;
    for (int ix = 0; ix < 48; ix++)
        for (int iz = 0; iz < 48; iz++)
            in_disc += savu_score_in_fov(&ph, ix, iz);
    assert_int_equal(s.voxels, 6 * in_disc);
    assert_true(in_disc > 1700 && in_disc < M_PI * 23.5 * 23.5 + 100);

    /* values outside the disc never count, not even NaN */
    size_t n = 48 * 48;
    for (int v = 0; v < 6; v++)
        for (int ix = 0; ix < 48; ix++)
            for (int iz = 0; iz < 48; iz++)
                if (!savu_score_in_fov(&ph, ix, iz))
                    m.values[v * n + ix * 48 + iz] = (ix + iz) % 2 ? NAN : 1e6;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, &s, &err), 0);
    assert_true(s.rmse == 0.0 && s.ssim == 1.0);

    /* +0.1 (phantom units) on every voxel of the disc on one row of six:
     * RMSE = 0.1 / sqrt(6), PSNR = 20 log10(range / RMSE) */
    for (size_t i = 0; i < n; i++)
        if (savu_score_in_fov(&ph, (int)(i / 48), (int)(i % 48)))
            m.values[2 * n + i] += 0.1 * 0.05;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, &s, &err), 0);
    assert_close(s.rmse, 0.1 / sqrt(6), 1e-12);
    assert_close(s.psnr, 20 * log10(s.range / (0.1 / sqrt(6))), 1e-9);
    assert_true(s.ssim < 1.0 && s.ssim > 0.5);
    free(m.values);

    /* a disc that holds no voxel */
    savu_phantom_init(&ph, NULL, 0, 48, 6, 0, 0.05);
    savu_score acc;
    assert_int_equal(savu_score_init(&acc, &ph, &err), -1);
    assert_string_equal(err.msg, "the field of view is empty (centre of rotation at pixel 0)");
}

/* SSIM of one slice by its definition, with direct (unseparated) masked
 * Gaussian windows: the separable filter must agree. */
static void test_ssim_against_direct_windows(void **state)
{
    (void)state;
    int w = 20;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, w, 1, (w - 1) / 2.0, 1);
    double recon[400], truth[400];
    savu_phantom_sample_slice(&ph, 0, truth);
    for (int i = 0; i < w * w; i++)
        recon[i] = truth[i] + 0.05 * sin(i * 0.7) + 0.02;
    savu_score acc;
    savu_error err;
    assert_int_equal(savu_score_init(&acc, &ph, &err), 0);
    savu_score_add_slice(&acc, 0, recon);
    savu_scores s;
    savu_score_result(&acc, &s);
    savu_score_free(&acc);

    double range = s.range, c1 = pow(0.01 * range, 2), c2 = pow(0.03 * range, 2), total = 0;
    int count = 0;
    for (int ix = 0; ix < w; ix++)
        for (int iz = 0; iz < w; iz++) {
            if (!savu_score_in_fov(&ph, ix, iz))
                continue;
            double sw = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int dx = -5; dx <= 5; dx++)
                for (int dz = -5; dz <= 5; dz++) {
                    int jx = ix + dx, jz = iz + dz;
                    if (jx < 0 || jz < 0 || jx >= w || jz >= w || !savu_score_in_fov(&ph, jx, jz))
                        continue;
                    double g = exp(-(dx * dx + dz * dz) / (2 * 1.5 * 1.5));
                    double x = recon[jx * w + jz], y = truth[jx * w + jz];
                    sw += g;
                    sx += g * x;
                    sy += g * y;
                    sxx += g * x * x;
                    syy += g * y * y;
                    sxy += g * x * y;
                }
            double mx = sx / sw, my = sy / sw;
            double vx = sxx / sw - mx * mx, vy = syy / sw - my * my, cxy = sxy / sw - mx * my;
            total += (2 * mx * my + c1) * (2 * cxy + c2) /
                     ((mx * mx + my * my + c1) * (vx + vy + c2));
            count++;
        }
    assert_int_equal(s.voxels, count);
    assert_close(s.ssim, total / count, 1e-12);
}

/* A float64 dataset `path` of shape dims filled from values (or zeros). */
static void write_dataset(const char *file_name, const char *path, const hsize_t dims[3],
                          const double *values, bool create)
{
    hid_t file = create ? H5Fcreate(file_name, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)
                        : H5Fopen(file_name, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t space = H5Screate_simple(3, dims, NULL);
    hid_t set = H5Dcreate2(file, path, H5T_IEEE_F64LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(set >= 0);
    size_t n = dims[0] * dims[1] * dims[2];
    double *buffer = calloc(n, sizeof *buffer);
    if (values)
        memcpy(buffer, values, n * sizeof *buffer);
    assert_true(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer) >= 0);
    free(buffer);
    H5Dclose(set);
    H5Sclose(space);
    H5Pclose(lcpl);
    H5Fclose(file);
}

static void assert_open_fails(const char *spec, int width, int rows, const char *message)
{
    savu_result_volume r;
    savu_error err;
    assert_int_equal(savu_result_open(&r, spec, width, rows, &err), -1);
    assert_string_equal(err.msg, message);
}

static void test_score_result_file(void **state)
{
    (void)state;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, 32, 4, 15.5, 0.1);
    memory_volume m;
    fill_truth(&ph, &m);
    /* to the file's (voxel_x, voxel_y, voxel_z) order */
    double *volume = malloc(32 * 4 * 32 * sizeof *volume);
    for (int v = 0; v < 4; v++)
        for (int ix = 0; ix < 32; ix++)
            for (int iz = 0; iz < 32; iz++)
                volume[(ix * 4 + v) * 32 + iz] = m.values[(v * 32 + ix) * 32 + iz];
    const char *file = temp_path("result.h5");
    const hsize_t dims[3] = {32, 4, 32}, other[3] = {3, 4, 5};
    write_dataset(file, "/entry/result/data", dims, volume, true);
    write_dataset(file, "/entry/bad", other, NULL, false);

    char spec[700], message[1200];
    savu_error err;
    savu_result_volume r;
    savu_scores s;
    assert_int_equal(savu_result_open(&r, file, 32, 4, &err), 0); /* found by its shape */
    assert_string_equal(r.path, "/entry/result/data");
    assert_int_equal(savu_score_volume(&ph, savu_result_read_slice, &r, &s, &err), 0);
    savu_result_close(&r);
    assert_true(s.rmse == 0.0 && isinf(s.psnr) && s.ssim == 1.0);

    snprintf(spec, sizeof spec, "%s:/entry/result/data", file);
    assert_int_equal(savu_result_open(&r, spec, 32, 4, &err), 0);
    assert_int_equal(savu_score_volume(&ph, savu_result_read_slice, &r, &s, &err), 0);
    savu_result_close(&r);
    assert_true(s.rmse == 0.0);

    snprintf(spec, sizeof spec, "%s:/entry/bad", file);
    snprintf(message, sizeof message, "%s:/entry/bad has shape (3, 4, 5), expected (32, 4, 32)",
             file);
    assert_open_fails(spec, 32, 4, message);
    snprintf(spec, sizeof spec, "%s:/entry/nothing", file);
    snprintf(message, sizeof message, "%s has no dataset /entry/nothing", file);
    assert_open_fails(spec, 32, 4, message);
    snprintf(message, sizeof message,
             "%s has no dataset of shape (33, 4, 33); name one as %s:/path", file, file);
    assert_open_fails(file, 33, 4, message);
    const char *missing = temp_path("missing.h5");
    snprintf(message, sizeof message, "cannot read %s: No such file or directory", missing);
    assert_open_fails(missing, 32, 4, message);
    const char *text = temp_path("text.h5");
    FILE *f = fopen(text, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    snprintf(message, sizeof message, "cannot read %s: not an HDF5 file", text);
    assert_open_fails(text, 32, 4, message);

    write_dataset(file, "/entry/copy", dims, volume, false);
    snprintf(message, sizeof message,
             "%s has several datasets of shape (32, 4, 32): /entry/copy, /entry/result/data; "
             "name one as %s:/path", file, file);
    assert_open_fails(file, 32, 4, message);
    free(volume);
    free(m.values);
}

static void test_truth_file(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 40;
    p.rows = 7;
    const char *path = temp_path("truth.h5");
    savu_error err;
    assert_int_equal(savu_phantom_write_truth(&p, path, &err), 0);
    p.scale = savu_phantom_params_scale(&p);
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    savu_result_volume r;
    savu_scores s;
    assert_int_equal(savu_result_open(&r, path, 40, 7, &err), 0);
    assert_string_equal(r.path, SAVU_PHANTOM_TRUTH_PATH);
    assert_int_equal(savu_score_volume(&ph, savu_result_read_slice, &r, &s, &err), 0);
    savu_result_close(&r);
    assert_true(s.rmse < 1e-7); /* float32 rounding only */
    assert_true(s.psnr > 140);
    assert_close(s.ssim, 1.0, 1e-9);
    assert_int_equal(savu_phantom_write_truth(&p, "/nonexistent-dir/t.h5", &err), -1);
    assert_string_equal(err.msg, "cannot write /nonexistent-dir/t.h5: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chord_of_centred_ellipsoid),
        cmocka_unit_test(test_line_integral_against_brute_force),
        cmocka_unit_test(test_row_projector_matches_rays),
        cmocka_unit_test(test_mass_conservation),
        cmocka_unit_test(test_pixel_average_is_mean_over_pixel),
        cmocka_unit_test(test_point_sampling),
        cmocka_unit_test(test_default_scale),
        cmocka_unit_test(test_params_check),
        cmocka_unit_test(test_frame_sequence),
        cmocka_unit_test(test_frames_in_order),
        cmocka_unit_test(test_poisson_sampler),
        cmocka_unit_test(test_file_layout),
        cmocka_unit_test(test_record_round_trip),
        cmocka_unit_test(test_noise_statistics),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_rings_and_zingers),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_read_record_errors),
        cmocka_unit_test(test_score_of_the_phantom_itself),
        cmocka_unit_test(test_ssim_against_direct_windows),
        cmocka_unit_test(test_score_result_file),
        cmocka_unit_test(test_truth_file),
    };
    return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
