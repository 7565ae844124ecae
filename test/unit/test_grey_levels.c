/* test_grey_levels.c: the preview's grey range and image
 * (engine/report/grey_levels.h). The percentiles against sorting (random values
 * of both signs and many magnitudes, many ties, NaN and infinities left
 * out, -0 and +0), on 1, 3 and 8 threads; the composed image against the
 * grey level of each value at its place, on 1 and 5 threads. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "grey_levels.h"

static int by_value(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The k-th of the sorted finite values. */
static float reference(const grey_panel *p, int n, double fraction)
{
    size_t total = 0, m = 0;
    for (int k = 0; k < n; k++)
        total += (size_t)(p[k].rows * p[k].cols);
    float *v = malloc(total * sizeof *v);
    for (int k = 0; k < n; k++)
        for (long i = 0; i < p[k].rows * p[k].cols; i++)
            if (isfinite(p[k].values[i]))
                v[m++] = p[k].values[i];
    qsort(v, m, sizeof *v, by_value);
    float r = m ? v[(size_t)(fraction * (double)(m - 1) + 0.5)] : 0;
    free(v);
    return r;
}

static float *random_values(long n, int kind)
{
    float *v = malloc((size_t)n * sizeof *v);
    for (long i = 0; i < n; i++) {
        double u = rand() / (double)RAND_MAX;
        switch (kind) {
        case 0: v[i] = (float)((u - 0.3) * pow(10.0, rand() % 12 - 6)); break;
        case 1: v[i] = (float)(rand() % 5) - 2.0f; break; /* ties */
        default:
            v[i] = i % 7 == 0 ? NAN : i % 11 == 0 ? INFINITY : i % 13 == 0 ? -INFINITY
                 : i % 2 ? -0.0f : (float)(u * 1e-3);
        }
    }
    return v;
}

static void test_percentiles_against_sorting(void **state)
{
    (void)state;
    srand(11);
    for (int kind = 0; kind < 3; kind++) {
        grey_panel p[3] = {{random_values(301 * 77, kind), 301, 77},
                           {random_values(5 * 3, kind), 5, 3},
                           {random_values(90 * 211, kind), 90, 211}};
        const int threads[] = {1, 3, 8};
        for (int t = 0; t < 3; t++) {
            savu_error err;
            savu_thread_pool *pool = threads[t] > 1 ? savu_thread_pool_create(threads[t], &err)
                                                    : NULL;
            const double fractions[][2] = {{0.005, 0.995}, {0, 1}, {0.5, 0.5}, {0.25, 0.9}};
            for (int f = 0; f < 4; f++) {
                float lo, hi;
                assert_int_equal(grey_percentile_range(p, 3, fractions[f][0], fractions[f][1],
                                                       pool, &lo, &hi), 0);
                assert_true(lo == reference(p, 3, fractions[f][0]));
                assert_true(hi == reference(p, 3, fractions[f][1]));
            }
            savu_thread_pool_destroy(pool);
        }
        for (int k = 0; k < 3; k++)
            free((float *)p[k].values);
    }
}

static void test_no_finite_values(void **state)
{
    (void)state;
    float v[4] = {NAN, INFINITY, -INFINITY, NAN};
    grey_panel p = {v, 2, 2};
    float lo = 1, hi = 1;
    assert_int_equal(grey_percentile_range(&p, 1, 0.005, 0.995, NULL, &lo, &hi), 0);
    assert_true(lo == 0 && hi == 0);
}

static void test_compose_places_every_value(void **state)
{
    (void)state;
    srand(5);
    grey_panel p[3] = {{random_values(40 * 30, 0), 40, 30}, {random_values(55 * 20, 2), 55, 20},
                       {random_values(10 * 9, 1), 10, 9}};
    savu_error err;
    savu_thread_pool *pool = savu_thread_pool_create(5, &err);
    for (int run = 0; run < 2; run++) {
        long w, h;
        unsigned char *img = grey_compose(p, 3, 4, 255, -0.5f, 0.5f, run ? pool : NULL, &w, &h);
        assert_non_null(img);
        assert_int_equal(w, 30 + 20 + 9 + 2 * 4);
        assert_int_equal(h, 55);
        long left = 0;
        for (int k = 0; k < 3; k++) {
            for (long r = 0; r < h; r++)
                for (long c = 0; c < p[k].cols + (k < 2 ? 4 : 0); c++) {
                    unsigned char want = r < p[k].rows && c < p[k].cols
                        ? grey_level(p[k].values[r * p[k].cols + c], -0.5f, 0.5f) : 255;
                    assert_int_equal(img[r * w + left + c], want);
                }
            left += p[k].cols + 4;
        }
        free(img);
    }
    savu_thread_pool_destroy(pool);
    assert_int_equal(grey_level(NAN, 0, 1), 0);
    assert_int_equal(grey_level(0.5f, 1, 1), 128);
    assert_int_equal(grey_level(-1, 0, 1), 0);
    assert_int_equal(grey_level(2, 0, 1), 255);
    assert_int_equal(grey_level(0.5f, 0, 1), 128); /* 127.5 rounds up */
    for (int k = 0; k < 3; k++)
        free((float *)p[k].values);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles_against_sorting),
        cmocka_unit_test(test_no_finite_values),
        cmocka_unit_test(test_compose_places_every_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
