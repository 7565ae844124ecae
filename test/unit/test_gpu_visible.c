/* test_gpu_visible.c: the CUDA_VISIBLE_DEVICES entry each process of a node
 * keeps (engine/accel/gpu_visible.h): round-robin over the driver's GPUs or over
 * the entries the user gave (indices or UUIDs), and no change where there is
 * one GPU or fewer, no local rank, or an entry CUDA would have to judge. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "gpu_visible.h"

static const char *own(const char *visible, int driver_gpus, int local_rank)
{
    static char out[64];
    strcpy(out, "unchanged");
    if (!gpu_own_entry(visible, driver_gpus, local_rank, out, sizeof out))
        assert_string_equal(out, "unchanged");
    return out;
}

static void test_driver_gpus_round_robin(void **state)
{
    (void)state;
    assert_string_equal(own(NULL, 2, 0), "0");
    assert_string_equal(own(NULL, 2, 1), "1");
    assert_string_equal(own(NULL, 2, 2), "0");
    assert_string_equal(own(NULL, 4, 7), "3");
    assert_string_equal(own(NULL, 8, 5), "5");
}

static void test_user_list_round_robin(void **state)
{
    (void)state;
    assert_string_equal(own("2,3", 8, 0), "2");
    assert_string_equal(own("2,3", 8, 1), "3");
    assert_string_equal(own("2,3", 8, 2), "2");
    assert_string_equal(own("GPU-aa11,GPU-bb22,GPU-cc33", 0, 4), "GPU-bb22");
    assert_string_equal(own("5,1,", 8, 1), "1"); /* a trailing comma ends the list */
}

static void test_nothing_to_narrow(void **state)
{
    (void)state;
    assert_string_equal(own(NULL, 0, 0), "unchanged");   /* no driver */
    assert_string_equal(own(NULL, 1, 3), "unchanged");   /* one GPU: all share it */
    assert_string_equal(own("1", 8, 1), "unchanged");    /* already one */
    assert_string_equal(own("", 8, 1), "unchanged");     /* none: CUDA says so */
    assert_string_equal(own(NULL, 4, -1), "unchanged");  /* no launcher */
    assert_string_equal(own("0,,1", 4, 1), "unchanged"); /* an empty entry */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_driver_gpus_round_robin),
        cmocka_unit_test(test_user_list_round_robin),
        cmocka_unit_test(test_nothing_to_narrow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
