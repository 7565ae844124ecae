/* test_block_schedule.c: how a rank's frames are cut into blocks
 * (engine/run/block_schedule.h): full blocks, then the last block halved while
 * the halves keep the minimum; the blocks cover a rank's frames once, in
 * order, for the largest range and for one frame fewer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "block_schedule.h"

static void assert_blocks(long frames, long block, long min, const long *expected, long n)
{
    struct block_schedule s;
    block_schedule_init(&s, frames, block, min);
    assert_int_equal(s.n_blocks, n);
    for (long b = 0; b < n; b++)
        assert_int_equal(block_schedule_length(&s, b, frames), expected[b]);
    assert_int_equal(block_schedule_length(&s, n, frames), 0);
}

static void test_the_last_block_is_halved(void **state)
{
    (void)state;
    assert_blocks(256, 64, 16, (const long[]){64, 64, 64, 32, 16, 16}, 6);
    assert_blocks(64, 64, 16, (const long[]){32, 16, 16}, 3);
    assert_blocks(232, 64, 16, (const long[]){64, 64, 64, 20, 20}, 5); /* tail 40 */
    assert_blocks(225, 64, 16, (const long[]){64, 64, 64, 17, 16}, 5); /* tail 33 */
}

static void test_small_tails_stay_whole(void **state)
{
    (void)state;
    assert_blocks(64, 16, 16, (const long[]){16, 16, 16, 16}, 4);
    assert_blocks(70, 16, 16, (const long[]){16, 16, 16, 16, 6}, 5);
    assert_blocks(30, 64, 16, (const long[]){30}, 1);
    assert_blocks(1, 1, 1, (const long[]){1}, 1);
}

static void test_no_frames_no_blocks(void **state)
{
    (void)state;
    struct block_schedule s;
    block_schedule_init(&s, 0, 16, 16);
    assert_int_equal(s.n_blocks, 0);
    assert_int_equal(block_schedule_length(&s, 0, 0), 0);
}

/* For every shape: blocks in order, each starting where the last ended, none
 * longer than the block, tail pieces no shorter than min unless the tail
 * was, covering the rank's frames exactly (the largest range, and one frame
 * fewer: that rank's last block is shorter or empty). */
static void test_blocks_cover_the_frames_once(void **state)
{
    (void)state;
    for (long frames = 1; frames <= 300; frames += 7)
        for (long block = 1; block <= 80; block += 9)
            for (long min = 1; min <= 24; min += 5) {
                struct block_schedule s;
                block_schedule_init(&s, frames, block, min);
                for (long count = frames - 1; count <= frames; count++) {
                    long at = 0;
                    for (long b = 0; b < s.n_blocks; b++) {
                        long n = block_schedule_length(&s, b, count);
                        assert_true(n <= block);
                        if (n > 0)
                            assert_int_equal(block_schedule_start(&s, b), at);
                        if (b >= s.n_full && n > 0 && count == frames && s.tail >= min)
                            assert_true(n >= min);
                        at += n;
                    }
                    assert_int_equal(at, count);
                }
            }
}

static void test_tail_described(void **state)
{
    (void)state;
    struct block_schedule s;
    char buf[64];
    block_schedule_init(&s, 256, 64, 16);
    assert_string_equal(block_schedule_describe_tail(&s, buf, sizeof buf), "32, 16, 16");
    block_schedule_init(&s, 64, 16, 16);
    assert_string_equal(block_schedule_describe_tail(&s, buf, sizeof buf), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_last_block_is_halved),
        cmocka_unit_test(test_small_tails_stay_whole),
        cmocka_unit_test(test_no_frames_no_blocks),
        cmocka_unit_test(test_blocks_cover_the_frames_once),
        cmocka_unit_test(test_tail_described),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
