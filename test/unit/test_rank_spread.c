/* test_rank_spread.c: a figure's least, median and most over the ranks, and
 * which ranks hold the extremes (engine/accel/rank_spread.h); the gather on
 * whatever ranks the test runs on (one without mpirun). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "rank_spread.h"

static void test_odd_count(void **state)
{
    (void)state;
    const double v[] = {3.0, 1.5, 9.0, 2.0, 4.0};
    struct rank_spread s;
    rank_spread_of(v, 5, &s);
    assert_true(s.min == 1.5 && s.min_rank == 1);
    assert_true(s.max == 9.0 && s.max_rank == 2);
    assert_true(s.median == 3.0);
}

static void test_even_count_takes_the_middle_mean(void **state)
{
    (void)state;
    const double v[] = {4.0, 1.0, 2.0, 8.0};
    struct rank_spread s;
    rank_spread_of(v, 4, &s);
    assert_true(s.median == 3.0);
    assert_true(s.min_rank == 1 && s.max_rank == 3);
}

static void test_one_rank_and_ties(void **state)
{
    (void)state;
    struct rank_spread s;
    rank_spread_of((const double[]){7.5}, 1, &s);
    assert_true(s.min == 7.5 && s.median == 7.5 && s.max == 7.5);
    assert_int_equal(s.min_rank, 0);
    rank_spread_of((const double[]){2.0, 2.0, 2.0}, 3, &s);
    assert_int_equal(s.min_rank, 0); /* the first of equals */
    assert_int_equal(s.max_rank, 0);
}

/* Rank r gives (r + 1, 10 - r): on rank 0 the spreads follow. */
static void test_gather(void **state)
{
    (void)state;
    int rank, ranks;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    const double mine[2] = {rank + 1.0, 10.0 - rank};
    struct rank_spread s[2] = {{0}};
    assert_int_equal(rank_spread_gather(MPI_COMM_WORLD, mine, 2, s), 0);
    if (rank != 0)
        return;
    assert_true(s[0].min == 1.0 && s[0].min_rank == 0);
    assert_true(s[0].max == ranks && s[0].max_rank == ranks - 1);
    assert_true(s[0].median == (ranks + 1) / 2.0);
    assert_true(s[1].max == 10.0 && s[1].max_rank == 0);
    assert_true(s[1].min == 11.0 - ranks && s[1].min_rank == ranks - 1);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odd_count),
        cmocka_unit_test(test_even_count_takes_the_middle_mean),
        cmocka_unit_test(test_one_rank_and_ties),
        cmocka_unit_test(test_gather),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    MPI_Finalize();
    return failed;
}
