/* test_dataset_pattern.c: the patterns of datasets (engine/plan/
 * dataset_pattern.c): Savu's defaults of a 3-D dataset, declared patterns of
 * a 4-D time series, frames and frame sizes, whether two patterns cut the
 * same frames, bad declarations, and the frame runs of a block checked
 * against a brute-force walk of the dataset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "dataset.h"

static struct dataset *make(int ndim, const long *shape)
{
    struct dataset *ds = dataset_new("tomo", NULL);
    assert_non_null(ds);
    dataset_set_shape(ds, ndim, shape);
    return ds;
}

static void test_defaults_of_a_3d_dataset(void **state)
{
    (void)state;
    struct dataset *ds = make(3, (const long[]){91, 5, 7});
    assert_int_equal(dataset_frames(ds, SAVU_PATTERN_PROJECTION), 91);
    assert_int_equal(dataset_frame_size(ds, SAVU_PATTERN_PROJECTION), 35);
    assert_int_equal(dataset_frames(ds, SAVU_PATTERN_SINOGRAM), 5);
    assert_int_equal(dataset_frame_size(ds, SAVU_PATTERN_SINOGRAM), 91 * 7);
    assert_int_equal(dataset_frames(ds, SAVU_PATTERN_TANGENTOGRAM), 7);
    assert_int_equal(dataset_slice_dim(ds, SAVU_PATTERN_VOLUME_XZ), 1);
    assert_int_equal(dataset_slice_dim(ds, SAVU_PATTERN_VOLUME_XY), 2);
    assert_int_equal(dataset_slice_dim(ds, SAVU_PATTERN_VOLUME_YZ), 0);
    assert_null(dataset_pattern(ds, SAVU_PATTERN_SPECTRUM));
    assert_true(dataset_simple_3d(ds, SAVU_PATTERN_SINOGRAM));
    assert_false(dataset_simple_3d(ds, SAVU_PATTERN_TANGENTOGRAM));
    assert_true(dataset_same_frames(ds, SAVU_PATTERN_SINOGRAM, ds, SAVU_PATTERN_VOLUME_XZ));
    assert_false(dataset_same_frames(ds, SAVU_PATTERN_SINOGRAM, ds, SAVU_PATTERN_PROJECTION));
    const struct pattern_dims *p = dataset_pattern(ds, SAVU_PATTERN_PROJECTION);
    assert_int_equal(p->core[0], 2); /* Savu's order: detector_x first */
    assert_int_equal(p->core[1], 1);
    dataset_free(ds);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(pattern_from_name("VOLUME_YZ"), SAVU_PATTERN_VOLUME_YZ);
    assert_int_equal(pattern_from_name("TIMESERIES"), SAVU_PATTERN_TIMESERIES);
    assert_int_equal(pattern_from_name("projection"), SAVU_PATTERN_NONE);
    assert_int_equal(pattern_from_name(NULL), SAVU_PATTERN_NONE);
    assert_string_equal(pattern_name(SAVU_PATTERN_DIFFRACTION), "DIFFRACTION");
    assert_string_equal(pattern_name(SAVU_PATTERN_FROM_PARAMETER), "NONE");
}

/* A time series (rotation_angle, detector_y, detector_x, scan) with Savu's
 * 4-D patterns: scan added to the slice dims. */
static struct dataset *time_series(void)
{
    struct dataset *ds = make(4, (const long[]){6, 3, 4, 5});
    char why[160];
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_PROJECTION, (const int[]){2, 1}, 2,
                                         (const int[]){0, 3}, 2, why), 0);
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_SINOGRAM, (const int[]){2, 0}, 2,
                                         (const int[]){1, 3}, 2, why), 0);
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_TIMESERIES, (const int[]){3}, 1,
                                         (const int[]){0, 1, 2}, 3, why), 0);
    return ds;
}

static void test_declared_4d_patterns(void **state)
{
    (void)state;
    struct dataset *ds = time_series();
    assert_int_equal(dataset_frames(ds, SAVU_PATTERN_PROJECTION), 30);
    assert_int_equal(dataset_frame_size(ds, SAVU_PATTERN_PROJECTION), 12);
    assert_int_equal(dataset_frames(ds, SAVU_PATTERN_SINOGRAM), 15);
    assert_int_equal(dataset_frames(ds, SAVU_PATTERN_TIMESERIES), 72);
    assert_int_equal(dataset_frame_size(ds, SAVU_PATTERN_TIMESERIES), 5);
    assert_null(dataset_pattern(ds, SAVU_PATTERN_VOLUME_XZ)); /* declared: no defaults */
    assert_false(dataset_simple_3d(ds, SAVU_PATTERN_PROJECTION));
    char names[128];
    dataset_pattern_names(ds, names, sizeof names);
    assert_string_equal(names, "PROJECTION, SINOGRAM, TIMESERIES");
    /* A derived dataset keeps them; a new shape forgets them. */
    struct dataset *derived = dataset_new("tomo", ds);
    assert_true(dataset_same_frames(ds, SAVU_PATTERN_SINOGRAM, derived, SAVU_PATTERN_SINOGRAM));
    dataset_set_shape(derived, 3, (const long[]){6, 3, 4});
    assert_non_null(dataset_pattern(derived, SAVU_PATTERN_VOLUME_XZ));
    assert_false(dataset_same_frames(ds, SAVU_PATTERN_SINOGRAM, derived, SAVU_PATTERN_SINOGRAM));
    dataset_free(derived);
    dataset_free(ds);
}

static void test_bad_declarations(void **state)
{
    (void)state;
    struct dataset *ds = make(4, (const long[]){6, 3, 4, 5});
    char why[160];
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_PROJECTION, (const int[]){2, 1}, 2,
                                         (const int[]){0}, 1, why), -1);
    assert_string_equal(why, "pattern PROJECTION: 2 core and 1 slice dims for a 4-D dataset");
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_PROJECTION, (const int[]){2, 2}, 2,
                                         (const int[]){0, 3}, 2, why), -1);
    assert_string_equal(why, "pattern PROJECTION: dim 2 is named twice");
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_SINOGRAM, (const int[]){2, 4}, 2,
                                         (const int[]){0, 1}, 2, why), -1);
    assert_string_equal(why, "pattern SINOGRAM: dim 4 is not a dim of the dataset");
    assert_int_equal(dataset_add_pattern(ds, SAVU_PATTERN_FROM_PARAMETER, (const int[]){2, 1}, 2,
                                         (const int[]){0, 3}, 2, why), -1);
    assert_false(ds->patterns_declared);
    dataset_free(ds);
}

/* The flat index of the element at coordinates x of ds. */
static long flat_index(const struct dataset *ds, const long *x)
{
    long i = 0;
    for (int d = 0; d < ds->ndim; d++)
        i = i * ds->shape[d] + x[d];
    return i;
}

/* Where element e of frame f of p lies in ds, walking the frame's core
 * dims in dataset order (the layout savu_plugin.h promises). */
static long element_of_frame(const struct dataset *ds, enum savu_pattern p, long f, long e)
{
    const struct pattern_dims *pd = dataset_pattern(ds, p);
    long x[DATASET_MAX_DIMS] = {0};
    for (int i = 0; i < pd->n_slice; i++) {
        x[pd->slice[i]] = f % ds->shape[pd->slice[i]];
        f /= ds->shape[pd->slice[i]];
    }
    for (int d = ds->ndim - 1; d >= 0; d--) {
        bool core = false;
        for (int i = 0; i < pd->n_core; i++)
            core = core || pd->core[i] == d;
        if (core) {
            x[d] = e % ds->shape[d];
            e /= ds->shape[d];
        }
    }
    return flat_index(ds, x);
}

/* Every block [first, first + n) of every pattern: its runs tile it, and
 * element (a, f, b) of each run's box, [before][frames][after] in the box's
 * own order, is element a * after + b of the block's frame f. */
static void check_runs(const struct dataset *ds, enum savu_pattern p)
{
    const long frames = dataset_frames(ds, p), size = dataset_frame_size(ds, p);
    for (long first = 0; first < frames; first++)
        for (long n = 1; first + n <= frames; n++) {
            long done = 0;
            while (done < n) {
                struct frame_run run;
                dataset_frame_run(ds, p, first + done, n - done, &run);
                assert_true(run.frames >= 1 && run.frames <= n - done);
                assert_int_equal(run.before * run.after, size);
                long x[DATASET_MAX_DIMS];
                long k = 0;
                for (long a = 0; a < run.before; a++)
                    for (long f = 0; f < run.frames; f++)
                        for (long b = 0; b < run.after; b++, k++) {
                            /* the k-th element of the box in row-major order */
                            long rest = k;
                            for (int d = ds->ndim - 1; d >= 0; d--) {
                                x[d] = run.start[d] + rest % run.count[d];
                                rest /= run.count[d];
                            }
                            assert_int_equal(flat_index(ds, x),
                                             element_of_frame(ds, p, first + done + f,
                                                              a * run.after + b));
                        }
                done += run.frames;
            }
        }
}

static void test_frame_runs(void **state)
{
    (void)state;
    struct dataset *ds = make(3, (const long[]){4, 3, 5});
    for (enum savu_pattern p = SAVU_PATTERN_PROJECTION; p < SAVU_PATTERN_COUNT; p++)
        if (dataset_pattern(ds, p))
            check_runs(ds, p);
    dataset_free(ds);
    ds = time_series();
    check_runs(ds, SAVU_PATTERN_PROJECTION);
    check_runs(ds, SAVU_PATTERN_SINOGRAM);
    check_runs(ds, SAVU_PATTERN_TIMESERIES);
    /* A block across scans splits where the scan changes. */
    struct frame_run run;
    dataset_frame_run(ds, SAVU_PATTERN_PROJECTION, 4, 5, &run);
    assert_int_equal(run.frames, 2);
    assert_int_equal(run.start[0], 4);
    assert_int_equal(run.start[3], 0);
    dataset_frame_run(ds, SAVU_PATTERN_PROJECTION, 6, 3, &run);
    assert_int_equal(run.start[3], 1);
    assert_int_equal(run.frames, 3);
    dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_of_a_3d_dataset),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_declared_4d_patterns),
        cmocka_unit_test(test_bad_declarations),
        cmocka_unit_test(test_frame_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
