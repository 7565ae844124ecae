/* test_stripe_fft.c: the Daubechies wavelets and the Fourier-space stripe
 * removals (kernels/cpu/wavelet.h, stripe_fft.h) on properties that hold
 * exactly: every scaling filter db1 .. db38 of the table sums to sqrt 2 and
 * is orthonormal to its own even shifts (a wrong coefficient breaks both);
 * one level of the 2-D transform and its inverse give the data back, for
 * every order and for sides shorter than the filter; a constant sinogram
 * (no stripes) comes out unchanged from both removals; every worker gives
 * the same result; the largest level and band are as documented, and plans
 * beyond them are refused. engine-rings-fft.test compares whole sinograms
 * with algotom and with Savu's definitions. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cpu/stripe_fft.h"
#include "cpu/wavelet.h"

static void test_daubechies_filters_are_orthonormal(void **state)
{
    (void)state;
    assert_null(savu_daubechies_filters[0]);
    for (int order = 1; order <= SAVU_DAUBECHIES_MAX; order++) {
        const double *h = savu_daubechies_filters[order];
        const int len = 2 * order;
        double sum = 0.0;
        for (int k = 0; k < len; k++)
            sum += h[k];
        if (fabs(sum - sqrt(2.0)) > 1e-12)
            fail_msg("db%d: coefficients sum to %.17g", order, sum);
        for (int shift = 0; shift < len; shift += 2) {
            double dot = 0.0;
            for (int k = 0; k + shift < len; k++)
                dot += h[k] * h[k + shift];
            if (fabs(dot - (shift == 0 ? 1.0 : 0.0)) > 1e-12)
                fail_msg("db%d: shift %d gives %.3g", order, shift, dot);
        }
    }
    struct savu_wavelet w;
    assert_int_equal(savu_wavelet_daubechies(&w, 0), -1);
    assert_int_equal(savu_wavelet_daubechies(&w, SAVU_DAUBECHIES_MAX + 1), -1);
    /* db2's four filters as pywt 1.9 prints them (Wavelet("db2")). */
    static const double want[4][4] = {
        {-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416},
        {-0.48296291314453416, 0.8365163037378079, -0.2241438680420134, -0.12940952255126037},
        {0.48296291314453416, 0.8365163037378079, 0.2241438680420134, -0.12940952255126037},
        {-0.12940952255126037, -0.2241438680420134, 0.8365163037378079, -0.48296291314453416},
    };
    assert_int_equal(savu_wavelet_daubechies(&w, 2), 0);
    assert_int_equal(w.len, 4);
    const double *got[4] = {w.dec_lo, w.dec_hi, w.rec_lo, w.rec_hi};
    for (int f = 0; f < 4; f++)
        for (int k = 0; k < 4; k++)
            assert_true(got[f][k] == want[f][k]);
}

/* dwt2 then idwt2 of rows x cols random values with db`order`. */
static double round_trip_error(int order, long rows, long cols)
{
    struct savu_wavelet w;
    savu_wavelet_daubechies(&w, order);
    const long r1 = savu_dwt_len(rows, w.len), c1 = savu_dwt_len(cols, w.len);
    const long r2 = savu_idwt_len(r1, w.len), c2 = savu_idwt_len(c1, w.len);
    double *x = malloc(sizeof(double) * (size_t)(rows * cols));
    double *bands = malloc(sizeof(double) * (size_t)(4 * r1 * c1));
    double *y = malloc(sizeof(double) * (size_t)(r2 * c2));
    double *scratch = malloc(sizeof(double) * (size_t)savu_wavelet_scratch(r2, c2, w.len));
    assert_true(x && bands && y && scratch);
    assert_true(r2 >= rows && r2 <= rows + 1 && c2 >= cols && c2 <= cols + 1);
    srand(7);
    for (long i = 0; i < rows * cols; i++)
        x[i] = (double)rand() / RAND_MAX - 0.5;
    const long n = r1 * c1;
    savu_dwt2(&w, x, rows, cols, cols, bands, bands + n, bands + 2 * n, bands + 3 * n, scratch);
    savu_idwt2(&w, bands, c1, bands + n, bands + 2 * n, bands + 3 * n, r1, c1, y, scratch);
    double worst = 0.0;
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < cols; c++)
            worst = fmax(worst, fabs(y[r * c2 + c] - x[r * cols + c]));
    free(x);
    free(bands);
    free(y);
    free(scratch);
    return worst;
}

static void test_one_level_gives_the_data_back(void **state)
{
    (void)state;
    for (int order = 1; order <= SAVU_DAUBECHIES_MAX; order++) {
        double e = round_trip_error(order, 33, 40);
        if (e > 1e-11)
            fail_msg("db%d on 33 x 40: error %.3g", order, e);
    }
    /* sides shorter than the filter (symmetric extension repeated) */
    static const long sides[][2] = {{1, 1}, {2, 3}, {5, 7}, {16, 9}};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
        for (int order = 4; order <= SAVU_DAUBECHIES_MAX; order += 17) {
            double e = round_trip_error(order, sides[i][0], sides[i][1]);
            if (e > 1e-11)
                fail_msg("db%d on %ld x %ld: error %.3g", order, sides[i][0], sides[i][1], e);
        }
}

/* Both removals on a constant sinogram, on both workers. */
static void check_constant(savu_stripe_fft *s, long nrow, long ncol, double tolerance)
{
    assert_non_null(s);
    float *in = malloc(sizeof(float) * (size_t)(nrow * ncol));
    float *out[2] = {malloc(sizeof(float) * (size_t)(nrow * ncol)),
                     malloc(sizeof(float) * (size_t)(nrow * ncol))};
    assert_true(in && out[0] && out[1]);
    for (long i = 0; i < nrow * ncol; i++)
        in[i] = 0.625f;
    for (int worker = 0; worker < 2; worker++) {
        savu_stripe_fft_apply(s, worker, in, out[worker]);
        for (long i = 0; i < nrow * ncol; i++)
            if (fabs(out[worker][i] - 0.625) > tolerance)
                fail_msg("value %ld: %.9g", i, out[worker][i]);
    }
    assert_memory_equal(out[0], out[1], sizeof(float) * (size_t)(nrow * ncol));
    savu_stripe_fft_destroy(s);
    free(in);
    free(out[0]);
    free(out[1]);
}

static void test_constant_sinogram_is_unchanged(void **state)
{
    (void)state;
    savu_error err;
    struct savu_wavelet_fft_params wp = {.sigma = 1, .level = 4, .order = 8, .pad = 20};
    check_constant(savu_wavelet_fft_create(90, 101, &wp, 2, &err), 90, 101, 1e-6);
    wp = (struct savu_wavelet_fft_params){.sigma = 3, .level = 2, .order = 1, .pad = 0};
    check_constant(savu_wavelet_fft_create(40, 31, &wp, 2, &err), 40, 31, 1e-6);
    /* Raven: odd padded sides (the window is 1 at the zero frequency), the
     * direct way (v 1) and the 2-D one (v 9) */
    struct savu_raven_params rp = {.u = 20, .v = 1, .n = 8, .pad = 50};
    check_constant(savu_raven_create(91, 101, &rp, 2, &err), 91, 101, 1e-6);
    rp.v = 9;
    check_constant(savu_raven_create(91, 101, &rp, 2, &err), 91, 101, 1e-6);
    /* even: the window's centre one sample off, 1 / (1 + (1/u)^2n) at zero */
    rp = (struct savu_raven_params){.u = 20, .v = 1, .n = 8, .pad = 10};
    check_constant(savu_raven_create(90, 100, &rp, 2, &err), 90, 100, 1e-6);
}

static void test_limits(void **state)
{
    (void)state;
    /* 200 x 205 padded by 20: 240 rows, floor(log2 240) = 7 */
    assert_int_equal(savu_wavelet_fft_max_level(200, 205, 20), 7);
    assert_int_equal(savu_wavelet_fft_max_level(1, 1, 0), 0);
    /* ceil(rows / 2) - 1 of the padded rows */
    assert_int_equal(savu_raven_max_v(200, 50), 149);
    assert_int_equal(savu_raven_max_v(201, 50), 150);
    savu_error err;
    struct savu_wavelet_fft_params wp = {.sigma = 1, .level = 8, .order = 8, .pad = 20};
    assert_null(savu_wavelet_fft_create(200, 205, &wp, 1, &err));
    assert_non_null(strstr(err.msg, "level 8"));
    wp.level = 7;
    savu_stripe_fft *s = savu_wavelet_fft_create(200, 205, &wp, 1, &err);
    assert_non_null(s);
    savu_stripe_fft_destroy(s);
    wp.order = SAVU_DAUBECHIES_MAX + 1;
    assert_null(savu_wavelet_fft_create(200, 205, &wp, 1, &err));
    struct savu_raven_params rp = {.u = 20, .v = 150, .n = 8, .pad = 50};
    assert_null(savu_raven_create(200, 205, &rp, 1, &err));
    rp.v = 149;
    s = savu_raven_create(200, 205, &rp, 1, &err);
    assert_non_null(s);
    savu_stripe_fft_destroy(s);
    rp.u = 0;
    assert_null(savu_raven_create(200, 205, &rp, 1, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daubechies_filters_are_orthonormal),
        cmocka_unit_test(test_one_level_gives_the_data_back),
        cmocka_unit_test(test_constant_sinogram_is_unchanged),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
