/* test_cpu_placement.c: which CPUs a rank's compute threads get
 * (engine/accel/cpu_placement.h): runs of `threads` CPUs in rank order, taken
 * from the CPUs the process may use, only when every rank of the node
 * fits; and placing the calling thread, leaving and returning, on this
 * machine's CPUs. */
#define _GNU_SOURCE
#include <sched.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "cpu_placement.h"

static void test_runs_in_rank_order(void **state)
{
    (void)state;
    const int cpus[] = {0, 1, 2, 3, 4, 5, 6, 7};
    int mine[4];
    assert_true(cpu_placement_choose(cpus, 8, 0, 8, 1, mine)); /* 8 ranks x 1 */
    assert_int_equal(mine[0], 0);
    assert_true(cpu_placement_choose(cpus, 8, 7, 8, 1, mine));
    assert_int_equal(mine[0], 7);
    assert_true(cpu_placement_choose(cpus, 8, 1, 2, 4, mine)); /* 2 ranks x 4 */
    assert_int_equal(mine[0], 4);
    assert_int_equal(mine[3], 7);
}

static void test_takes_the_allowed_cpus_in_order(void **state)
{
    (void)state;
    const int cpus[] = {2, 3, 8, 9, 12, 13}; /* a cpuset with holes */
    int mine[2];
    assert_true(cpu_placement_choose(cpus, 6, 1, 3, 2, mine));
    assert_int_equal(mine[0], 8);
    assert_int_equal(mine[1], 9);
    assert_true(cpu_placement_choose(cpus, 6, 2, 3, 2, mine));
    assert_int_equal(mine[0], 12);
}

static void test_not_when_the_node_does_not_fit(void **state)
{
    (void)state;
    const int cpus[] = {0, 1, 2, 3};
    int mine[4];
    assert_false(cpu_placement_choose(cpus, 4, 0, 3, 2, mine)); /* 6 threads, 4 CPUs */
    assert_false(cpu_placement_choose(cpus, 4, 4, 4, 1, mine)); /* rank outside */
    assert_false(cpu_placement_choose(cpus, 4, -1, 2, 1, mine));
    assert_false(cpu_placement_choose(cpus, 4, 0, 2, 0, mine));
}

static int affinity_count(void)
{
    cpu_set_t set;
    return pthread_getaffinity_np(pthread_self(), sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
}

/* On this machine: a second rank of two, one thread each, lands on the
 * process's second CPU; leaving restores them all. Needs 2 CPUs. */
static void test_apply_leave_return(void **state)
{
    (void)state;
    cpu_set_t before;
    assert_int_equal(sched_getaffinity(0, sizeof before, &before), 0);
    int n = CPU_COUNT(&before);
    if (n < 2)
        skip();
    int second = -1, seen = 0;
    for (int c = 0; c < CPU_SETSIZE && second < 0; c++)
        if (CPU_ISSET(c, &before) && seen++ == 1)
            second = c;
    assert_int_equal(cpu_placement_apply(1, 2, 1), 1);
    cpu_set_t now;
    assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof now, &now), 0);
    assert_int_equal(CPU_COUNT(&now), 1);
    assert_true(CPU_ISSET(second, &now));
    char text[64];
    cpu_placement_describe(text, sizeof text);
    char expected[16];
    snprintf(expected, sizeof expected, "%d", second);
    assert_string_equal(text, expected);
    cpu_placement_leave();
    assert_int_equal(affinity_count(), n);
    cpu_placement_return();
    assert_int_equal(affinity_count(), 1);
    cpu_placement_leave();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_in_rank_order),
        cmocka_unit_test(test_takes_the_allowed_cpus_in_order),
        cmocka_unit_test(test_not_when_the_node_does_not_fit),
        cmocka_unit_test(test_apply_leave_return),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
