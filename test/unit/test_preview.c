/* test_preview.c: preview entries (reference savu-config.md §4.2): ':',
 * single indices, start:stop:step:chunk with defaults, expressions in start,
 * mid and end, clamping, and the exact messages for bad entries, with and
 * without a dimension length, and for whole preview values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "preview.h"

static void assert_slice(const char *entry, long len, long start, long stop, long step, long chunk)
{
    savu_error err = {""};
    savu_slice s;
    if (savu_preview_eval(entry, len, &s, &err) < 0)
        fail_msg("'%s' (length %ld) failed: %s", entry, len, err.msg);
    assert_int_equal(s.start, start);
    assert_int_equal(s.stop, stop);
    assert_int_equal(s.step, step);
    assert_int_equal(s.chunk, chunk);
}

static void assert_eval_error(const char *entry, long len, const char *expected)
{
    savu_error err = {""};
    savu_slice s;
    assert_int_equal(savu_preview_eval(entry, len, &s, &err), -1);
    assert_string_equal(err.msg, expected);
}

static void test_whole_and_single_index(void **state)
{
    (void)state;
    assert_slice(":", 10, 0, 10, 1, 1);
    assert_slice("5", 10, 5, 6, 1, 1);
    assert_slice("mid", 10, 5, 6, 1, 1);
    assert_slice("mid", 135, 67, 68, 1, 1);
    assert_slice("end-1", 10, 9, 10, 1, 1);
    assert_slice("start", 10, 0, 1, 1, 1);
}

static void test_ranges_and_defaults(void **state)
{
    (void)state;
    assert_slice("0:2", 135, 0, 2, 1, 1);
    assert_slice("mid-5:mid+6", 20, 5, 16, 1, 1);
    assert_slice("::2", 10, 0, 10, 2, 1);
    assert_slice(":::", 10, 0, 10, 1, 1);
    assert_slice("1:end-1:2:3", 10, 1, 9, 2, 3);
    assert_slice(" start : end ", 7, 0, 7, 1, 1);
    assert_slice("3:", 10, 3, 10, 1, 1);
    assert_slice(":4", 10, 0, 4, 1, 1);
}

static void test_expressions(void **state)
{
    (void)state;
    assert_slice("end//3:end/2", 10, 3, 5, 1, 1);
    assert_slice("(mid-1)*2:", 10, 8, 10, 1, 1);
    assert_slice("end + -7//2", 10, 6, 7, 1, 1);   /* floor: -7//2 = -4 */
    assert_slice("2*3+1:2*(3+1)", 10, 7, 8, 1, 1);
    assert_slice("--3:+4", 10, 3, 4, 1, 1);
    assert_slice("mid - mid // 2 : mid + mid // 2", 100, 25, 75, 1, 1);
}

static void test_clamping(void **state)
{
    (void)state;
    assert_slice("0:100", 50, 0, 50, 1, 1);
    assert_slice("-5:3", 10, 0, 3, 1, 1);
    assert_eval_error("60:70", 50, "preview entry '60:70' selects nothing of a dimension of length 50");
    assert_eval_error("10", 10, "preview entry '10' selects nothing of a dimension of length 10");
    assert_eval_error(":", 0, "preview entry ':' selects nothing of a dimension of length 0");
}

static void test_eval_errors(void **state)
{
    (void)state;
    assert_eval_error("", 10, "empty preview entry");
    assert_eval_error("  ", 10, "empty preview entry");
    assert_eval_error(NULL, 10, "empty preview entry");
    assert_eval_error("5:3", 10, "stop 3 is before start 5 in preview entry '5:3'");
    assert_eval_error("0:10:0", 10, "step 0 must be at least 1 in preview entry '0:10:0'");
    assert_eval_error("::mid-6", 10, "step -1 must be at least 1 in preview entry '::mid-6'");
    assert_eval_error("0:10:1:0", 10, "chunk 0 must be at least 1 in preview entry '0:10:1:0'");
    assert_eval_error("1:2:3:4:5", 10,
                      "more than 4 fields (start:stop:step:chunk) in preview entry '1:2:3:4:5'");
    assert_eval_error("end//0", 10, "division by zero in preview entry 'end//0'");
    assert_eval_error("end//(mid-5)", 10, "division by zero in preview entry 'end//(mid-5)'");
    assert_eval_error("mid-", 10,
                      "expected a number, start, mid or end at column 5 in preview entry 'mid-'");
    assert_eval_error("0:mid*:2", 10,
                      "expected a number, start, mid or end at column 7 in preview entry '0:mid*:2'");
    assert_eval_error("middle", 10, "unknown name 'middle' at column 1 (use start, mid or end) in "
                                    "preview entry 'middle'");
    assert_eval_error("(mid", 10, "missing ')' for '(' at column 1 in preview entry '(mid'");
    assert_eval_error("(mid 1)", 10, "unexpected '1' at column 6 in preview entry '(mid 1)'");
    assert_eval_error("5.0", 10, "unexpected '.' at column 2 in preview entry '5.0'");
    assert_eval_error("5a", 10, "unexpected 'a' at column 2 in preview entry '5a'");
    assert_eval_error("mid)", 10, "unexpected ')' at column 4 in preview entry 'mid)'");
    assert_eval_error("1\x01", 10, "unexpected '\\x01' at column 2 in preview entry '1\x01'");
    assert_eval_error("99999999999999999999", 10,
                      "number too large in preview entry '99999999999999999999'");
    assert_eval_error("4611686018427387904*2", 10,
                      "number too large in preview entry '4611686018427387904*2'");
    assert_eval_error(":", -1, "dimension length -1 is negative");
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char entry[200], expected[400];
    int n = 70;
    memset(entry, '(', (size_t)n);
    entry[n] = '1';
    memset(entry + n + 1, ')', (size_t)n);
    entry[2 * n + 1] = '\0';
    snprintf(expected, sizeof expected, "expression nested more than 64 deep in preview entry '%s'",
             entry);
    assert_eval_error(entry, 10, expected);

    memset(entry, '-', (size_t)n);
    entry[n] = '1';
    entry[n + 1] = '\0';
    snprintf(expected, sizeof expected, "expression nested more than 64 deep in preview entry '%s'",
             entry);
    assert_eval_error(entry, 10, expected);

    n = 60;
    memset(entry, '(', (size_t)n);
    entry[n] = '1';
    memset(entry + n + 1, ')', (size_t)n);
    entry[2 * n + 1] = '\0';
    assert_slice(entry, 10, 1, 2, 1, 1);
}

static void assert_check_error(const char *entry, const char *expected)
{
    savu_error err = {""};
    assert_int_equal(savu_preview_check(entry, &err), -1);
    assert_string_equal(err.msg, expected);
}

static void test_check_without_length(void **state)
{
    (void)state;
    const char *good[] = {":", "5", "mid", "mid-5:mid+6", "0:2", "end//(mid-3)", "::mid",
                          "1:end:2:4", "-3:end"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        savu_error err = {""};
        if (savu_preview_check(good[i], &err) < 0)
            fail_msg("'%s' failed: %s", good[i], err.msg);
    }
    assert_check_error("5:3", "stop 3 is before start 5 in preview entry '5:3'");
    assert_check_error("0:end:0", "step 0 must be at least 1 in preview entry '0:end:0'");
    assert_check_error("0:end:1:-2", "chunk -2 must be at least 1 in preview entry '0:end:1:-2'");
    assert_check_error("end//0", "division by zero in preview entry 'end//0'");
    assert_check_error("a", "unknown name 'a' at column 1 (use start, mid or end) in preview entry 'a'");
    assert_check_error("", "empty preview entry");
}

static void assert_value_error(json_t *value, const char *expected)
{
    savu_error err = {""};
    assert_int_equal(savu_preview_check_value(value, &err), -1);
    assert_string_equal(err.msg, expected);
    json_decref(value);
}

static void assert_value_ok(json_t *value)
{
    savu_error err = {""};
    if (savu_preview_check_value(value, &err) < 0)
        fail_msg("refused: %s", err.msg);
    json_decref(value);
}

static void test_check_value(void **state)
{
    (void)state;
    assert_value_ok(json_array());
    assert_value_ok(json_pack("[s,s,s]", ":", "mid", ":"));
    assert_value_ok(json_pack("[s,i,s]", ":", 5, "0:2"));
    assert_value_error(json_string(":"), "the preview must be a list with one entry per dimension, "
                                         "e.g. [\":\", \"mid\", \":\"]");
    assert_value_error(json_pack("[s,s]", ":", "5:3"),
                       "preview dimension 2: stop 3 is before start 5 in preview entry '5:3'");
    assert_value_error(json_pack("[f]", 1.5),
                       "preview dimension 1: expected a string or an integer, not a float");
    assert_value_error(json_pack("[s,s,n]", ":", ":"),
                       "preview dimension 3: expected a string or an integer, not None");
    assert_value_error(json_pack("[s,[]]", ":"),
                       "preview dimension 2: expected a string or an integer, not a list");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_and_single_index),
        cmocka_unit_test(test_ranges_and_defaults),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_clamping),
        cmocka_unit_test(test_eval_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_check_without_length),
        cmocka_unit_test(test_check_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
