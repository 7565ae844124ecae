/* test_paganin.c: the Paganin kernel (kernels/cpu/paganin.h) on closed
 * forms: a constant frame, whose spectrum is its mean alone, comes out as
 * -ratio/2 log(c / (G(0) sqrt 2) + increment), where G(0) on Savu's grid is
 * 1 along an odd padded size and 1 + scale (1 / (n pixel))^2 along an even
 * one (the grid's centre sits one bin off); the same on every worker; and
 * the padding indices of numpy.pad's modes (sequences printed by numpy
 * 1.24's np.pad(np.arange(3), (5, 5), mode)). engine-paganin.test checks
 * whole projections against Savu's definition in numpy. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "cpu/paganin.h"

static void test_constant_frame(void **state)
{
    (void)state;
    enum { ROWS = 5, COLS = 6 }; /* padded 9 x 12: rows odd, columns even */
    const struct savu_paganin_params p = {.energy_kev = 30, .distance_m = 0.8,
                                          .resolution_um = 2.5, .ratio = 120,
                                          .increment = 0.25, .pad_rows = 2, .pad_cols = 3,
                                          .pad_mode = SAVU_PAD_EDGE};
    savu_error err;
    savu_paganin *pg = savu_paganin_create(ROWS, COLS, &p, 2, &err);
    assert_non_null(pg);
    float in[ROWS * COLS], out[ROWS * COLS];
    for (int i = 0; i < ROWS * COLS; i++)
        in[i] = 0.37f;
    const double wavelength = 1240.0 / (p.energy_kev * 1000.0) * 1e-9;
    const double dpx = 1.0 / (12 * p.resolution_um * 1e-6);
    const double g0 = 1.0 + p.ratio * M_PI * wavelength * p.distance_m * dpx * dpx;
    const double want = -0.5 * p.ratio * log(0.37 / (g0 * sqrt(2.0)) + p.increment);
    for (int worker = 0; worker < 2; worker++) {
        savu_paganin_apply(pg, worker, in, out);
        for (int i = 0; i < ROWS * COLS; i++)
            assert_true(fabs(out[i] - want) <= 1e-5 * fabs(want));
    }
    savu_paganin_destroy(pg);
}

static void test_bad_plans(void **state)
{
    (void)state;
    struct savu_paganin_params p = {.energy_kev = 30, .distance_m = 1, .resolution_um = 1,
                                    .ratio = 10, .pad_rows = -1};
    savu_error err;
    assert_null(savu_paganin_create(4, 4, &p, 1, &err));
    p.pad_rows = 0;
    assert_null(savu_paganin_create(0, 4, &p, 1, &err));
}

static void test_pad_indices(void **state)
{
    (void)state;
    static const long reflect[] = {1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1};
    static const long symmetric[] = {1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1};
    static const long wrap[] = {1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1};
    static const long edge[] = {0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2};
    for (long i = -5; i < 8; i++) {
        assert_int_equal(savu_pad_index(i, 3, SAVU_PAD_REFLECT), reflect[i + 5]);
        assert_int_equal(savu_pad_index(i, 3, SAVU_PAD_SYMMETRIC), symmetric[i + 5]);
        assert_int_equal(savu_pad_index(i, 3, SAVU_PAD_WRAP), wrap[i + 5]);
        assert_int_equal(savu_pad_index(i, 3, SAVU_PAD_EDGE), edge[i + 5]);
        assert_int_equal(savu_pad_index(i, 3, SAVU_PAD_CONSTANT), i >= 0 && i < 3 ? i : -1);
        assert_int_equal(savu_pad_index(i, 1, SAVU_PAD_REFLECT), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_frame),
        cmocka_unit_test(test_bad_plans),
        cmocka_unit_test(test_pad_indices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
