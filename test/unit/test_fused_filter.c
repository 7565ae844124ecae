/* test_fused_filter.c: the algorithm of the one-kernel GPU filter
 * (kernels/cuda/fft_shared.cuh, cuda_filter_fused.cu), run on the host with
 * the kernel's own code, thread after thread — no GPU needed:
 *   - its shared-memory Stockham FFT against a direct DFT in double, for
 *     lengths with every radix (16, 8, 4, 2, 3, 5), both directions;
 *   - the filter (two real rows through one complex transform, the response
 *     mirrored over N/2, row weights) against the CPU filter (FFTW R2C/C2R,
 *     kernels/cpu/fbp_filter.c) for every filter name, odd and even row
 *     counts, widths whose padded lengths take every radix;
 *   - lengths it cannot take are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/fbp_filter.h"
#include "cuda/cuda_filter_fused.h"

static const char *const all_filters[] = {"ramp", "ram-lak", "none", "shepp-logan",
                                          "cosine", "hamming", "hann", "parzen"};
#define N_FILTERS (sizeof all_filters / sizeof all_filters[0])

/* deterministic values in [-1, 1) */
static float noise(unsigned *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (float)((*state >> 8) / 8388608.0 - 1.0);
}

/* ---- the FFT ---- */

static double fft_error(int n, int sign)
{
    float *x = malloc(sizeof(float) * 2 * (size_t)n);
    double *ref = calloc(2 * (size_t)n, sizeof(double));
    unsigned state = (unsigned)n * 7u + (unsigned)(sign + 1);
    for (int i = 0; i < 2 * n; i++)
        x[i] = noise(&state);
    for (int q = 0; q < n; q++)
        for (int m = 0; m < n; m++) {
            double a = sign * 2.0 * M_PI * (double)(((long long)m * q) % n) / n;
            ref[2 * q] += x[2 * m] * cos(a) - x[2 * m + 1] * sin(a);
            ref[2 * q + 1] += x[2 * m] * sin(a) + x[2 * m + 1] * cos(a);
        }
    assert_int_equal(savu_fft_shared_host(x, n, sign), 0);
    double diff = 0, norm = 0;
    for (int i = 0; i < 2 * n; i++) {
        diff += (x[i] - ref[i]) * (x[i] - ref[i]);
        norm += ref[i] * ref[i];
    }
    free(x);
    free(ref);
    return sqrt(diff / norm);
}

static void test_fft_against_direct_dft(void **state)
{
    (void)state;
    /* radices: 2 | 3 | 4 | 5 | 2,3 | 8 | 16 | 16,4,3 | 16,5 | 8,3,3,5 | 4,5,5,5 | 16,16,2 |
     * 16,2,5,5,5 | 16,16,16 | 16,16,4,5 | 4,3,3,3,3,5,5 */
    static const int lengths[] = {2, 3, 4, 5, 6, 8, 16, 192, 80, 360, 500, 512,
                                  2000, 4096, 5120, 8100};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        for (int sign = -1; sign <= 1; sign += 2) {
            double e = fft_error(lengths[i], sign);
            if (!(e < 2e-6))
                fail_msg("FFT of length %d, sign %d: relative L2 error %.3g", lengths[i], sign, e);
        }
}

static void test_fft_refuses_other_lengths(void **state)
{
    (void)state;
    float x[2 * 16390];
    memset(x, 0, sizeof x);
    static const int bad[] = {0, 1, 7, 14, 22, 16384 + 2, 13 * 16};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(savu_fft_shared_host(x, bad[i], -1), -1);
    assert_int_equal(savu_fft_shared_host(x, 16384, -1), 0);
}

/* ---- the filter ---- */

/* R[j] / N of the CPU filter for rows of `width`. */
static float *gain_of(int width, const char *filter, int *padded)
{
    savu_error err;
    savu_fbp_filter_plan *plan = savu_fbp_filter_create(width, 1, filter, 1, &err);
    assert_non_null(plan);
    int n_bins;
    const float *response = savu_fbp_filter_response(plan, &n_bins);
    *padded = savu_fbp_filter_length(plan);
    float *gain = malloc(sizeof(float) * (size_t)n_bins);
    for (int j = 0; j < n_bins; j++)
        gain[j] = (float)((double)response[j] / *padded);
    savu_fbp_filter_destroy(plan);
    return gain;
}

/* Relative L2 difference between the emulated kernel and FFTW for n_rows
 * rows of `width` (2 sinograms' worth of angles when n_rows allows). */
static double filter_error(int width, const char *filter, int n_rows)
{
    int padded, n_angles = n_rows > 2 ? (n_rows + 1) / 2 : n_rows;
    float *gain = gain_of(width, filter, &padded);
    size_t in_pitch = (size_t)width + 3, out_pitch = (size_t)width + 5;
    float *in = malloc(sizeof(float) * in_pitch * (size_t)n_rows);
    float *out = malloc(sizeof(float) * out_pitch * (size_t)n_rows);
    float *ref = malloc(sizeof(float) * (size_t)width * (size_t)n_rows);
    float *weights = malloc(sizeof(float) * (size_t)n_angles);
    unsigned state = (unsigned)width * 31u + (unsigned)n_rows;
    for (int a = 0; a < n_angles; a++)
        weights[a] = 0.5f + 0.25f * (float)a;
    for (size_t i = 0; i < in_pitch * (size_t)n_rows; i++)
        in[i] = noise(&state);
    for (size_t i = 0; i < out_pitch * (size_t)n_rows; i++)
        out[i] = NAN;
    for (int r = 0; r < n_rows; r++)
        memcpy(ref + (size_t)r * width, in + (size_t)r * in_pitch, sizeof(float) * (size_t)width);
    savu_error err;
    savu_fbp_filter_plan *cpu = savu_fbp_filter_create(width, n_rows, filter, 1, &err);
    assert_non_null(cpu);
    assert_int_equal(savu_fbp_filter_apply(cpu, ref, n_rows), 0);
    savu_fbp_filter_destroy(cpu);
    if (savu_fused_filter_host(in, in_pitch, out, out_pitch, width, (unsigned)n_rows, n_angles,
                               weights, gain, padded, &err) != 0)
        fail_msg("fused filter: %s", err.msg);
    double diff = 0, norm = 0;
    for (int r = 0; r < n_rows; r++)
        for (int x = 0; x < width; x++) {
            double want = (double)ref[(size_t)r * width + x] * weights[r % n_angles];
            double got = out[(size_t)r * out_pitch + x];
            diff += (got - want) * (got - want);
            norm += want * want;
        }
    /* nothing written past the width */
    for (int r = 0; r < n_rows; r++)
        for (size_t x = (size_t)width; x < out_pitch; x++)
            assert_true(isnan(out[(size_t)r * out_pitch + x]));
    free(gain);
    free(in);
    free(out);
    free(ref);
    free(weights);
    return norm > 0 ? sqrt(diff / norm) : sqrt(diff);
}

static void check_filter(int width, const char *filter, int n_rows)
{
    double e = filter_error(width, filter, n_rows);
    if (!(e < 2e-6))
        fail_msg("width %d, filter %s, %d rows: relative L2 difference from FFTW %.3g", width,
                 filter, n_rows, e);
}

static void test_filter_matches_fftw_every_filter(void **state)
{
    (void)state;
    for (size_t f = 0; f < N_FILTERS; f++) {
        check_filter(256, all_filters[f], 7);  /* N = 512: 16, 16, 2 */
        check_filter(250, all_filters[f], 6);  /* N = 500: 4, 5, 5, 5 */
    }
}

static void test_filter_matches_fftw_every_radix(void **state)
{
    (void)state;
    /* padded lengths: 2 (2), 6 (2,3), 80 (16,5), 90 (2,3,3,5), 2000 (16,5,5,5),
     * 4096 (16,16,16), 5120 (16,16,4,5), 8100 (4,3,3,3,3,5,5) */
    static const int widths[] = {1, 3, 37, 45, 1000, 2048, 2560, 4050};
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        check_filter(widths[i], "ramp", 5);
        check_filter(widths[i], "hann", 2);
    }
    check_filter(2048, "shepp-logan", 1);
}

static void test_filter_refuses_bad_sizes(void **state)
{
    (void)state;
    float row[16] = {0}, w = 1, gain[9] = {0};
    savu_error err;
    assert_int_equal(savu_fused_filter_host(row, 16, row, 16, 9, 1, 1, &w, gain, 16, &err), -1);
    assert_non_null(strstr(err.msg, "width 9 does not fit half of 16"));
    assert_int_equal(savu_fused_filter_host(row, 16, row, 16, 4, 1, 1, &w, gain, 14, &err), -1);
    assert_non_null(strstr(err.msg, "padded length 14 is not 2^a 3^b 5^c"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fft_against_direct_dft),
        cmocka_unit_test(test_fft_refuses_other_lengths),
        cmocka_unit_test(test_filter_matches_fftw_every_filter),
        cmocka_unit_test(test_filter_matches_fftw_every_radix),
        cmocka_unit_test(test_filter_refuses_bad_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
