/* test_fbp.c: the CPU filtered-backprojection kernels (kernels/cpu/) against
 * independent references: the closed-form ramp times window and the discrete
 * ramp kernel for the filter; analytic sinograms of discs (point-sampled
 * chord lengths 2 sqrt(R^2 - s^2) at the detector pixel centres) for the
 * scale, position and centre-of-rotation convention of geometry.h; a forward
 * projector written here for adjointness; brute-force angle weights; and
 * bit-identical results for any number of threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/backproject.h"
#include "cpu/fbp.h"
#include "cpu/fbp_filter.h"
#include "cpu/slice_groups.h"
#include "cpu/thread_pool.h"
#include "geometry.h"

static const char *const all_filters[] = {"ramp", "ram-lak", "none", "shepp-logan",
                                          "cosine", "hamming", "hann", "parzen"};
#define N_FILTERS (sizeof all_filters / sizeof all_filters[0])

/* ---- references written for the tests ---- */

/* The windows of the brief, as functions of w in [0, 1]. */
static double reference_window(const char *name, double w)
{
    if (!strcmp(name, "shepp-logan"))
        return w == 0 ? 1 : sin(M_PI * w / 2) / (M_PI * w / 2);
    if (!strcmp(name, "cosine"))
        return cos(M_PI * w / 2);
    if (!strcmp(name, "hamming"))
        return 0.54 + 0.46 * cos(M_PI * w);
    if (!strcmp(name, "hann"))
        return 0.5 + 0.5 * cos(M_PI * w);
    if (!strcmp(name, "parzen"))
        return w <= 0.5 ? 1 - 6 * w * w * (1 - w) : 2 * pow(1 - w, 3);
    return 1; /* ramp, ram-lak, none */
}

/* The spatial ramp kernel h(k). */
static double ramp_kernel(int k)
{
    if (k == 0)
        return 0.25;
    return (k % 2) ? -1.0 / (M_PI * M_PI * (double)k * (double)k) : 0.0;
}

static double *uniform_angles(int n, double range_deg)
{
    double *angles = malloc(sizeof(double) * (size_t)n);
    for (int a = 0; a < n; a++)
        angles[a] = range_deg * a / n;
    return angles;
}

/* Point-sampled analytic sinogram [angle][u] of a disc of attenuation 1,
 * radius r, centre (x0, z0), for centre of rotation cor. */
static void disc_sinogram(float *sino, int width, int n_angles, const double *angles_deg,
                          double cor, double x0, double z0, double r)
{
    for (int a = 0; a < n_angles; a++) {
        double theta = angles_deg[a] * M_PI / 180;
        double centre_u = cor + x0 * cos(theta) + z0 * sin(theta);
        for (int u = 0; u < width; u++) {
            double s = u - centre_u;
            sino[(size_t)a * width + u] = s * s < r * r ? (float)(2 * sqrt(r * r - s * s)) : 0.0f;
        }
    }
}

/* Pixel-driven forward projection with linear interpolation, adjoint of the
 * backprojector without its angle weights: each pixel's value is spread onto
 * the two detector pixels around its position u; positions outside
 * [0, width - 1] lose the share that falls off the detector. */
static void forward_project(const float *image, int width, int n_angles, const double *angles_deg,
                            double cor, double *sino)
{
    double c = (width - 1) / 2.0;
    memset(sino, 0, sizeof(double) * (size_t)n_angles * width);
    for (int a = 0; a < n_angles; a++) {
        double theta = angles_deg[a] * M_PI / 180;
        for (int ix = 0; ix < width; ix++) {
            for (int iz = 0; iz < width; iz++) {
                double u = (ix - c) * cos(theta) + (iz - c) * sin(theta) + cor;
                double lower = floor(u);
                double f = u - lower;
                int i = (int)lower;
                double v = image[(size_t)ix * width + iz];
                if (i >= 0 && i < width)
                    sino[(size_t)a * width + i] += (1 - f) * v;
                if (i + 1 >= 0 && i + 1 < width)
                    sino[(size_t)a * width + i + 1] += f * v;
            }
        }
    }
}

static float *reconstruct(int width, int n_angles, const double *angles, const char *filter,
                          double ratio, int threads, const float *sino, int n_slices,
                          const double *cor)
{
    savu_error err = {{0}};
    savu_fbp_plan *plan = savu_fbp_create(width, n_angles, angles, filter, ratio, threads, &err);
    if (!plan)
        fail_msg("savu_fbp_create: %s", err.msg);
    float *out = malloc(sizeof(float) * (size_t)n_slices * width * width);
    if (savu_fbp_execute(plan, sino, n_slices, cor, out, &err) != 0)
        fail_msg("savu_fbp_execute: %s", err.msg);
    savu_fbp_destroy(plan);
    return out;
}

/* Largest |f - 1| over pixels within r_in of (x0, z0), largest |f| over
 * pixels farther than r_out (but inside the mask radius r_mask). */
static void disc_errors(const float *img, int width, double x0, double z0, double r_in,
                        double r_out, double r_mask, double *err_in, double *err_out)
{
    double c = (width - 1) / 2.0;
    *err_in = *err_out = 0;
    for (int ix = 0; ix < width; ix++) {
        for (int iz = 0; iz < width; iz++) {
            double x = ix - c, z = iz - c;
            double d = hypot(x - x0, z - z0);
            double v = img[(size_t)ix * width + iz];
            if (d <= r_in && fabs(v - 1) > *err_in)
                *err_in = fabs(v - 1);
            if (d > r_out && hypot(x, z) < r_mask && fabs(v) > *err_out)
                *err_out = fabs(v);
        }
    }
}

/* Centroid (ix, iz) of the values above `level`. */
static void centroid(const float *img, int width, double level, double *cx, double *cz)
{
    double sum = 0, sx = 0, sz = 0;
    for (int ix = 0; ix < width; ix++)
        for (int iz = 0; iz < width; iz++) {
            double v = img[(size_t)ix * width + iz];
            if (v > level) {
                sum += v;
                sx += v * ix;
                sz += v * iz;
            }
        }
    *cx = sx / sum;
    *cz = sz / sum;
}

/* ---- (a) the filter ---- */

static void test_padded_length(void **state)
{
    (void)state;
    assert_int_equal(savu_fbp_filter_padded_length(1), 2);
    assert_int_equal(savu_fbp_filter_padded_length(7), 16);
    assert_int_equal(savu_fbp_filter_padded_length(100), 200);
    assert_int_equal(savu_fbp_filter_padded_length(255), 512);
    assert_int_equal(savu_fbp_filter_padded_length(1024), 2048);
    assert_int_equal(savu_fbp_filter_padded_length(1025), 2160); /* 1080 = 2^3 3^3 5 */
    assert_int_equal(savu_fbp_filter_padded_length(0), -1);
    assert_int_equal(savu_fbp_filter_padded_length(SAVU_FBP_FILTER_MAX_N + 1), -1);
}

static void test_filter_response_is_ramp_times_window(void **state)
{
    (void)state;
    const int n = 256, length = 512;
    /* the truncated kernel differs from |nu| by at most 2 / (pi^2 N) */
    const double tolerance = 1.0 / length;
    const int bins[] = {8, 64, 128, 200, 255, 256};
    double dc = ramp_kernel(0);
    for (int k = 1; k < length / 2; k++)
        dc += 2 * ramp_kernel(k);
    dc += ramp_kernel(length / 2);
    for (size_t f = 0; f < N_FILTERS; f++) {
        savu_error err;
        savu_fbp_filter_plan *plan = savu_fbp_filter_create(n, 4, all_filters[f], 1, &err);
        assert_non_null(plan);
        assert_int_equal(savu_fbp_filter_length(plan), length);
        int n_bins = 0;
        const float *response = savu_fbp_filter_response(plan, &n_bins);
        assert_int_equal(n_bins, length / 2 + 1);
        for (size_t b = 0; b < sizeof bins / sizeof bins[0]; b++) {
            double nu = (double)bins[b] / length;
            double expected = nu * reference_window(all_filters[f], 2 * nu);
            if (fabs(response[bins[b]] - expected) > tolerance)
                fail_msg("%s: R(%g) = %g, expected %g", all_filters[f], nu, response[bins[b]],
                         expected);
        }
        /* every window is 1 at DC: the DC value is the kernel's sum */
        assert_true(dc > 0);
        assert_float_equal(response[0], dc, 1e-3 * dc);
        savu_fbp_filter_destroy(plan);
    }
    /* the Nyquist values of the windows, written out */
    const double nyquist[] = {0.5, 0.5, 0.5, 1 / M_PI, 0, 0.04, 0, 0};
    for (size_t f = 0; f < N_FILTERS; f++) {
        double w;
        assert_int_equal(savu_fbp_filter_window(all_filters[f], 1.0, &w, NULL), 0);
        assert_float_equal(0.5 * w, nyquist[f], 1e-12);
    }
}

static void test_filter_of_impulse_is_kernel(void **state)
{
    (void)state;
    const int n = 100, at = 37;
    float row[100] = {0};
    row[at] = 1;
    savu_error err;
    savu_fbp_filter_plan *plan = savu_fbp_filter_create(n, 1, "ramp", 1, &err);
    assert_non_null(plan);
    assert_int_equal(savu_fbp_filter_apply(plan, row, 1), 0);
    for (int u = 0; u < n; u++)
        if (fabs(row[u] - ramp_kernel(abs(u - at))) > 1e-6)
            fail_msg("q(%d) = %.9g, expected h(%d) = %.9g", u, row[u], u - at,
                     ramp_kernel(abs(u - at)));
    savu_fbp_filter_destroy(plan);
}

static void test_filter_batches_match_single_rows(void **state)
{
    (void)state;
    const int n = 90, rows = 37;
    float *batched = malloc(sizeof(float) * n * rows);
    float *single = malloc(sizeof(float) * n * rows);
    srand(7);
    for (int i = 0; i < n * rows; i++)
        batched[i] = single[i] = (float)rand() / (float)RAND_MAX;
    savu_error err;
    savu_fbp_filter_plan *by16 = savu_fbp_filter_create(n, 16, "hann", 2, &err);
    savu_fbp_filter_plan *by1 = savu_fbp_filter_create(n, 1, "hann", 1, &err);
    assert_non_null(by16);
    assert_non_null(by1);
    assert_int_equal(savu_fbp_filter_apply(by16, batched, rows), 0);
    for (int r = 0; r < rows; r++)
        assert_int_equal(savu_fbp_filter_apply(by1, single + r * n, 1), 0);
    for (int i = 0; i < n * rows; i++)
        assert_float_equal(batched[i], single[i], 1e-6);
    assert_int_equal(savu_fbp_filter_apply(by1, NULL, 1), -1);
    assert_int_equal(savu_fbp_filter_apply(by1, single, -1), -1);
    savu_fbp_filter_destroy(by16);
    savu_fbp_filter_destroy(by1);
    free(batched);
    free(single);
}

/* ---- (b) scale: a centred uniform disc ---- */

static void check_disc(const double *angles, int n_angles, const char *filter, double tol_in,
                       double tol_out)
{
    const int width = 128;
    const double r = 40, cor = savu_default_cor(width);
    float *sino = malloc(sizeof(float) * (size_t)n_angles * width);
    disc_sinogram(sino, width, n_angles, angles, cor, 0, 0, r);
    float *img = reconstruct(width, n_angles, angles, filter, 0.95, 2, sino, 1, &cor);
    double err_in, err_out;
    disc_errors(img, width, 0, 0, 0.8 * r, 1.2 * r, 0.95 * width / 2, &err_in, &err_out);
    if (err_in > tol_in || err_out > tol_out)
        fail_msg("%s, %d angles: |f - 1| up to %.4f inside 0.8R, |f| up to %.4f outside 1.2R",
                 filter, n_angles, err_in, err_out);
    free(img);
    free(sino);
}

static void test_uniform_disc_is_one(void **state)
{
    (void)state;
    double *angles = uniform_angles(180, 180);
    check_disc(angles, 180, "ramp", 0.05, 0.05);
    free(angles);
}

static void test_uniform_disc_360_degrees(void **state)
{
    (void)state;
    double *angles = uniform_angles(180, 360); /* every view twice, 2 degrees apart */
    check_disc(angles, 180, "ramp", 0.05, 0.05);
    free(angles);
}

static void test_uniform_disc_irregular_angles(void **state)
{
    (void)state;
    /* 200 angles over [-90, 270), 1.8 degrees apart, each moved at random by
     * up to +-0.7 degrees: weights from the actual gaps. Gaps modulo 180
     * degrees of up to 1.6 degrees alias beyond a radius of about 1 / gap
     * = 36 pixels, hence the looser bound outside the disc. */
    double angles[200];
    srand(3);
    for (int a = 0; a < 200; a++)
        angles[a] = -90 + 1.8 * a + 1.4 * (rand() / ((double)RAND_MAX + 1) - 0.5);
    check_disc(angles, 200, "ramp", 0.05, 0.1);
}

/* ---- (c) position and centre of rotation ---- */

static double rms_difference(const float *a, const float *b, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return sqrt(sum / n);
}

static void test_off_centre_disc_position_and_cor(void **state)
{
    (void)state;
    const int width = 128, n_angles = 180, n_slices = 3;
    const double x0 = 20.5, z0 = -29.5, r = 6; /* centre on pixel (84, 34) */
    double *angles = uniform_angles(n_angles, 180);
    float *sino = malloc(sizeof(float) * n_slices * n_angles * width);
    /* the same disc seen with the axis at the middle, 3 and 3.5 pixels right */
    double cor[3] = {savu_default_cor(width), savu_default_cor(width) + 3,
                     savu_default_cor(width) + 3.5};
    for (int s = 0; s < n_slices; s++)
        disc_sinogram(sino + (size_t)s * n_angles * width, width, n_angles, angles, cor[s], x0,
                      z0, r);
    float *img = reconstruct(width, n_angles, angles, "ramp", 0.95, 2, sino, n_slices, cor);
    for (int s = 0; s < n_slices; s++) {
        const float *slice = img + (size_t)s * width * width;
        double cx, cz;
        centroid(slice, width, 0.5, &cx, &cz);
        if (fabs(cx - 84) > 0.05 || fabs(cz - 34) > 0.05)
            fail_msg("cor %g: disc found at (%.3f, %.3f), expected (84, 34)", cor[s], cx, cz);
        assert_float_equal(slice[84 * width + 34], 1.0, 0.05);
        double err_in, err_out;
        disc_errors(slice, width, x0, z0, 0.8 * r, 1.5 * r, 0.95 * width / 2, &err_in, &err_out);
        if (err_in > 0.05 || err_out > 0.05)
            fail_msg("cor %g: |f - 1| up to %.4f inside, |f| up to %.4f outside", cor[s], err_in,
                     err_out);
    }
    /* a whole-pixel shift samples the same chords: the same image to rounding;
     * a half-pixel shift samples others: the same image to discretisation */
    int pixels = width * width;
    double rms_3 = rms_difference(img, img + pixels, pixels);
    double rms_35 = rms_difference(img, img + 2 * pixels, pixels);
    if (rms_3 > 1e-5 || rms_35 > 0.02)
        fail_msg("images differ from the centred one by %.3g (cor + 3) and %.3g (cor + 3.5) RMS",
                 rms_3, rms_35);
    free(img);
    free(sino);
    free(angles);
}

/* ---- (d) filter names ---- */

static void test_every_filter_reconstructs_the_disc(void **state)
{
    (void)state;
    double *angles = uniform_angles(180, 180);
    for (size_t f = 0; f < N_FILTERS; f++)
        check_disc(angles, 180, all_filters[f], 0.05, 0.05);
    check_disc(angles, 180, "Shepp-Logan", 0.05, 0.05); /* names ignore case */
    free(angles);
}

static void test_unknown_filter_is_an_error(void **state)
{
    (void)state;
    const char *expected = "unknown FBP filter 'butterworth': valid filters are ramp, ram-lak, "
                           "none, shepp-logan, cosine, hamming, hann, parzen";
    savu_error err = {{0}};
    double angles[2] = {0, 90};
    assert_null(savu_fbp_filter_create(64, 1, "butterworth", 1, &err));
    assert_string_equal(err.msg, expected);
    memset(&err, 0, sizeof err);
    assert_null(savu_fbp_create(64, 2, angles, "butterworth", 0.95, 1, &err));
    assert_string_equal(err.msg, expected);
    assert_int_equal(savu_fbp_filter_check_name("hann", &err), 0);
    assert_int_equal(savu_fbp_filter_check_name(NULL, &err), -1);
    assert_string_equal(err.msg, "unknown FBP filter '(null)': valid filters are ramp, ram-lak, "
                                 "none, shepp-logan, cosine, hamming, hann, parzen");
}

static void test_bad_arguments_are_errors(void **state)
{
    (void)state;
    savu_error err;
    double angles[3] = {0, 60, 120};
    assert_null(savu_fbp_create(0, 3, angles, "ramp", 0.95, 1, &err));
    assert_string_equal(err.msg, "backprojection: width 0 is outside 1..262144");
    assert_null(savu_fbp_create(16, 0, angles, "ramp", 0.95, 1, &err));
    assert_string_equal(err.msg, "backprojection: number of angles 0 is outside 1..16777216");
    assert_null(savu_fbp_create(16, 3, angles, "ramp", 0.95, 0, &err));
    assert_string_equal(err.msg, "FBP: number of threads 0 is outside 1..1024");
    assert_null(savu_fbp_create(16, 3, angles, "ramp", NAN, 1, &err));
    assert_string_equal(err.msg, "backprojection: mask ratio is not a finite number");
    double bad_angles[3] = {0, INFINITY, 120};
    assert_null(savu_fbp_create(16, 3, bad_angles, "ramp", 0.95, 1, &err));
    assert_string_equal(err.msg, "backprojection: angle weights: angle 1 is not a finite number");

    savu_fbp_plan *plan = savu_fbp_create(16, 3, angles, "ramp", 0.95, 2, &err);
    assert_non_null(plan);
    float sino[2 * 3 * 16] = {0}, out[2 * 16 * 16];
    double cor[2] = {7.5, NAN};
    assert_int_equal(savu_fbp_execute(plan, sino, 2, cor, out, &err), -1);
    assert_string_equal(err.msg, "backprojection: centre of rotation nan of slice 1 is not a "
                                 "finite number within +-1e+12");
    assert_int_equal(savu_fbp_execute(plan, sino, -1, cor, out, &err), -1);
    assert_string_equal(err.msg, "FBP: number of slices -1 is negative");
    assert_int_equal(savu_fbp_execute(plan, sino, 0, cor, out, &err), 0);
    /* a centre far off the detector is legal: every ray misses */
    cor[1] = 1e6;
    assert_int_equal(savu_fbp_execute(plan, sino, 2, cor, out, &err), 0);
    savu_fbp_destroy(plan);
}

/* ---- the circular mask ---- */

static void test_mask_zeroes_outside_ratio(void **state)
{
    (void)state;
    const int width = 40, n_angles = 12;
    const double ratio = 0.8, r = ratio * width / 2, c = (width - 1) / 2.0;
    double *angles = uniform_angles(n_angles, 180);
    float *ones = malloc(sizeof(float) * n_angles * width);
    for (int i = 0; i < n_angles * width; i++)
        ones[i] = 1;
    float *out = malloc(sizeof(float) * width * width);
    double cor = c;
    savu_error err;
    savu_backproject_plan *plan = savu_backproject_create(width, n_angles, angles, ratio, &err);
    assert_non_null(plan);
    assert_int_equal(savu_backproject_execute(plan, NULL, ones, 1, &cor, out, &err), 0);
    int inside = 0;
    for (int ix = 0; ix < width; ix++)
        for (int iz = 0; iz < width; iz++) {
            double x = ix - c, z = iz - c;
            float v = out[ix * width + iz];
            if (x * x + z * z > r * r) {
                assert_true(v == 0.0f);
            } else {
                inside++;
                /* every ray through an inner pixel hits the detector: pi */
                assert_float_equal(v, M_PI, 1e-5);
            }
        }
    assert_true(inside > 3.14 * (r - 1) * (r - 1));
    savu_backproject_destroy(plan);
    free(out);
    free(ones);
    free(angles);
}

/* ---- (e) adjointness and angle weights ---- */

/* <A x, W y> against <x, B y> for n_slices slices with centres cor[]. */
static void check_adjoint(int width, int n_angles, const double *angles, int n_slices,
                          const double *cor)
{
    size_t image = (size_t)width * width, sino = (size_t)n_angles * width;
    float *x = malloc(sizeof(float) * image * n_slices);
    float *y = malloc(sizeof(float) * sino * n_slices);
    float *bty = malloc(sizeof(float) * image * n_slices);
    double *ax = malloc(sizeof(double) * sino);
    for (size_t i = 0; i < image * n_slices; i++)
        x[i] = (float)rand() / (float)RAND_MAX;
    for (size_t i = 0; i < sino * n_slices; i++)
        y[i] = (float)rand() / (float)RAND_MAX;
    savu_error err;
    savu_thread_pool *pool = savu_thread_pool_create(3, &err);
    savu_backproject_plan *plan = savu_backproject_create(width, n_angles, angles, 0, &err);
    assert_non_null(pool);
    assert_non_null(plan);
    assert_int_equal(savu_backproject_execute(plan, pool, y, n_slices, cor, bty, &err), 0);
    const double *weights = savu_backproject_weights(plan);
    for (int s = 0; s < n_slices; s++) {
        forward_project(x + s * image, width, n_angles, angles, cor[s], ax);
        double lhs = 0, rhs = 0;
        for (int a = 0; a < n_angles; a++)
            for (int u = 0; u < width; u++)
                lhs += ax[(size_t)a * width + u] * weights[a] * y[s * sino + (size_t)a * width + u];
        for (size_t i = 0; i < image; i++)
            rhs += (double)x[s * image + i] * bty[s * image + i];
        if (fabs(lhs - rhs) > 1e-4 * fabs(lhs))
            fail_msg("slice %d of %d: <Ax, Wy> = %.8g, <x, A^T W y> = %.8g", s, n_slices, lhs,
                     rhs);
    }
    savu_backproject_destroy(plan);
    savu_thread_pool_destroy(pool);
    free(x);
    free(y);
    free(bty);
    free(ax);
}

static void test_backprojector_is_adjoint_of_forward_projector(void **state)
{
    (void)state;
    srand(11);
    double *angles = uniform_angles(45, 180);
    double cor_one = 15.2;
    check_adjoint(33, 45, angles, 1, &cor_one); /* one slice */
    /* 3, 5 and 16 slices sharing a centre: 4, 8 and 16 interleaved slots */
    double cors[16];
    for (int s = 0; s < 16; s++)
        cors[s] = 17.0;
    check_adjoint(33, 45, angles, 3, cors);
    check_adjoint(33, 45, angles, 5, cors);
    check_adjoint(33, 45, angles, 16, cors);
    /* mixed centres, one far off so that rays leave the detector */
    double mixed[6] = {17.0, 12.25, 17.0, 21.7, 12.25, 30.0};
    check_adjoint(33, 45, angles, 6, mixed);
    free(angles);
    /* irregular angles, including 0 and 90 degrees (sin = 0, cos = 0) */
    double odd[7] = {0, 90, 33.3, 181.5, -47, 270, 123.4};
    check_adjoint(20, 7, odd, 2, mixed);
}

static void test_angle_weights_half_gaps_modulo_pi(void **state)
{
    (void)state;
    savu_error err;
    double angles[40];
    srand(5);
    for (int a = 0; a < 40; a++)
        angles[a] = -400 + 800.0 * rand() / ((double)RAND_MAX + 1);
    savu_backproject_plan *plan = savu_backproject_create(8, 40, angles, 0, &err);
    assert_non_null(plan);
    const double *weights = savu_backproject_weights(plan);
    double total = 0;
    for (int i = 0; i < 40; i++) {
        /* brute force: nearest neighbour on each side, distances modulo pi */
        double next = M_PI, previous = M_PI;
        for (int j = 0; j < 40; j++) {
            if (j == i)
                continue;
            double d = fmod((angles[j] - angles[i]) * M_PI / 180, M_PI);
            if (d < 0)
                d += M_PI;
            if (d > 0 && d < next)
                next = d;
            if (M_PI - d < previous)
                previous = M_PI - d;
        }
        assert_float_equal(weights[i], 0.5 * (next + previous), 1e-9);
        total += weights[i];
    }
    assert_float_equal(total, M_PI, 1e-9);
    savu_backproject_destroy(plan);

    /* 180 and 360 degree scans: every weight pi / n; one angle: pi */
    double *uniform = uniform_angles(60, 360);
    plan = savu_backproject_create(8, 60, uniform, 0, &err);
    for (int i = 0; i < 60; i++)
        assert_float_equal(savu_backproject_weights(plan)[i], M_PI / 60, 1e-9);
    savu_backproject_destroy(plan);
    plan = savu_backproject_create(8, 1, uniform, 0, &err);
    assert_float_equal(savu_backproject_weights(plan)[0], M_PI, 1e-12);
    savu_backproject_destroy(plan);
    free(uniform);
}

/* ---- (f) threads ---- */

/* The slices reconstructed on 1 thread and on each of `threads` give the
 * same bits, and every `step`-th slice equals its reconstruction alone. */
static void assert_threads_agree(int width, int n_angles, const double *angles,
                                 const char *filter, double ratio, const float *sino,
                                 int n_slices, const double *cor, const int *threads,
                                 int n_threads, int step)
{
    float *one = reconstruct(width, n_angles, angles, filter, ratio, 1, sino, n_slices, cor);
    size_t bytes = sizeof(float) * n_slices * width * width;
    for (int t = 0; t < n_threads; t++) {
        float *other = reconstruct(width, n_angles, angles, filter, ratio, threads[t], sino,
                                   n_slices, cor);
        assert_memory_equal(one, other, bytes);
        free(other);
    }
    for (int s = 0; s < n_slices; s += step) {
        float *alone = reconstruct(width, n_angles, angles, filter, ratio, 2,
                                   sino + (size_t)s * n_angles * width, 1, &cor[s]);
        for (int i = 0; i < width * width; i++)
            assert_float_equal(alone[i], one[(size_t)s * width * width + i], 1e-5);
        free(alone);
    }
    free(one);
}

static void test_threads_give_identical_bits(void **state)
{
    (void)state;
    const int width = 96, n_angles = 120, n_slices = 19;
    double *angles = uniform_angles(n_angles, 180);
    float *sino = malloc(sizeof(float) * n_slices * n_angles * width);
    double cor[19];
    for (int s = 0; s < n_slices; s++) {
        /* 13 slices share a centre, the others have their own */
        cor[s] = s < 13 ? 47.5 : 44.0 + 0.75 * s;
        disc_sinogram(sino + (size_t)s * n_angles * width, width, n_angles, angles, cor[s],
                      s - 9.0, 12.0 - s, 10 + s);
    }
    assert_threads_agree(width, n_angles, angles, "shepp-logan", 0.95, sino, n_slices, cor,
                         (const int[]){3, 4}, 2, 4);
    free(sino);
    free(angles);
}

/* Many groups of every slot count in one call (the groups overlap on the
 * threads: group g + 1 is packed while group g's tiles run), more threads
 * than a group has tiles. */
static void test_many_groups_overlapped_give_identical_bits(void **state)
{
    (void)state;
    const int width = 40, n_angles = 60, n_slices = 53;
    double *angles = uniform_angles(n_angles, 180);
    float *sino = malloc(sizeof(float) * n_slices * n_angles * width);
    double cor[53];
    for (int s = 0; s < n_slices; s++) {
        /* 5 groups of 8 slices (8 slots), one of 4 (4 slots), 9 lone slices */
        cor[s] = s < 40 ? 19.5 + 0.5 * (s % 5) : s < 44 ? 21.25 : 14.0 + 0.25 * s;
        disc_sinogram(sino + (size_t)s * n_angles * width, width, n_angles, angles, cor[s],
                      (s % 7) - 3.0, 2.0 - (s % 4), 5 + s % 6);
    }
    assert_threads_agree(width, n_angles, angles, "ramp", 0, sino, n_slices, cor,
                         (const int[]){7, 16}, 2, 7);
    free(sino);
    free(angles);
}

/* Slices ordered by centre, then index, in runs of equal centre cut at the
 * maximum size. */
static void test_group_by_cor(void **state)
{
    (void)state;
    const double cor[] = {3.5, 1.0, 3.5, 1.0, 1.0, 2.0, 1.0, 3.5};
    int order[8], starts[9];
    int runs = savu_group_by_cor(8, cor, 3, order, starts);
    /* 1.0: slices 1 3 4 | 6; 2.0: 5; 3.5: 0 2 7 */
    const int want_order[] = {1, 3, 4, 6, 5, 0, 2, 7}, want_starts[] = {0, 3, 4, 5, 8};
    assert_int_equal(runs, 4);
    assert_memory_equal(order, want_order, sizeof want_order);
    assert_memory_equal(starts, want_starts, sizeof want_starts);
    assert_int_equal(savu_group_by_cor(0, cor, 3, order, starts), 0);
    assert_int_equal(starts[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_padded_length),
        cmocka_unit_test(test_filter_response_is_ramp_times_window),
        cmocka_unit_test(test_filter_of_impulse_is_kernel),
        cmocka_unit_test(test_filter_batches_match_single_rows),
        cmocka_unit_test(test_uniform_disc_is_one),
        cmocka_unit_test(test_uniform_disc_360_degrees),
        cmocka_unit_test(test_uniform_disc_irregular_angles),
        cmocka_unit_test(test_off_centre_disc_position_and_cor),
        cmocka_unit_test(test_every_filter_reconstructs_the_disc),
        cmocka_unit_test(test_unknown_filter_is_an_error),
        cmocka_unit_test(test_bad_arguments_are_errors),
        cmocka_unit_test(test_mask_zeroes_outside_ratio),
        cmocka_unit_test(test_backprojector_is_adjoint_of_forward_projector),
        cmocka_unit_test(test_angle_weights_half_gaps_modulo_pi),
        cmocka_unit_test(test_threads_give_identical_bits),
        cmocka_unit_test(test_many_groups_overlapped_give_identical_bits),
        cmocka_unit_test(test_group_by_cor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
