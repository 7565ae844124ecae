/* test_phantom.c: the savu_phantom model and its machinery — exact
 * projections of the ellipsoid phantom (against the analytic ellipse formula
 * and brute-force integration along rays, the row projector against single
 * rays, mass conservation), point sampling, the default scale, parameter
 * checks, the frame sequence, the ordered thread pipeline and the Poisson
 * sampler. */
#include "phantom_test_util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "phantom_frames.h"
#include "phantom_model.h"
#include "phantom_params.h"
#include "phantom_random.h"

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
    int fail_make_at, fail_take_at, taken, threads;
} pipeline_test;

static int test_make(void *ctx, int frame, int worker, void *out, savu_error *err)
{
    pipeline_test *t = ctx;
    if (frame == t->fail_make_at)
        return savu_error_set(err, "could not make frame %d", frame);
    assert_true(worker >= 0 && worker < t->threads);
    usleep((useconds_t)((frame * 37) % 5) * 200);
    for (int i = 0; i < 3; i++)
        ((uint16_t *)out)[i] = (uint16_t)(frame * 7 + i);
    return 0;
}

static int test_take(void *ctx, int frame, const void *out, savu_error *err)
{
    pipeline_test *t = ctx;
    const uint16_t *data = out;
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
    size_t bytes = 3 * sizeof(uint16_t);
    for (int i = 0; i < 3; i++) {
        pipeline_test t = {.fail_make_at = -1, .fail_take_at = -1, .threads = threads[i]};
        assert_int_equal(savu_frames_run(50, bytes, threads[i], test_make, test_take, &t, &err), 0);
        assert_int_equal(t.taken, 50);
    }
    pipeline_test t = {.fail_make_at = 17, .fail_take_at = -1, .threads = 4};
    assert_int_equal(savu_frames_run(50, bytes, 4, test_make, test_take, &t, &err), -1);
    assert_string_equal(err.msg, "could not make frame 17");
    assert_true(t.taken <= 17);
    t = (pipeline_test){.fail_make_at = -1, .fail_take_at = 5, .threads = 4};
    assert_int_equal(savu_frames_run(50, bytes, 4, test_make, test_take, &t, &err), -1);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
