/* test_tuning.c: parameter tuning values (reference savu-config.md §4.3):
 * recognising them, expanding sequences and numpy-style ranges (stop
 * excluded), the limits and messages, and Savu's rule that appends ';' to a
 * value with two or more ':'. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_format.h"
#include "value.h"

static void assert_expands(const char *raw, const char *expected)
{
    savu_error err = {""};
    json_t *values = savu_tuning_expand(raw, &err);
    if (!values)
        fail_msg("'%s' did not expand: %s", raw, err.msg);
    char *text = savu_json_dumps(values);
    assert_string_equal(text, expected);
    free(text);
    json_decref(values);
}

static void assert_expand_error(const char *raw, const char *expected)
{
    savu_error err = {""};
    assert_null(savu_tuning_expand(raw, &err));
    assert_string_equal(err.msg, expected);
}

static void test_is_tuned(void **state)
{
    (void)state;
    assert_true(savu_value_is_tuned("85;86;87"));
    assert_true(savu_value_is_tuned("84:86:0.5;"));
    assert_true(savu_value_is_tuned("[0,1];[1,2]"));
    assert_true(savu_value_is_tuned("it's;b"));
    assert_true(savu_value_is_tuned("'a;b';c"));
    assert_false(savu_value_is_tuned("85"));
    assert_false(savu_value_is_tuned("'a;b'"));
    assert_false(savu_value_is_tuned("[1;2]"));
    assert_false(savu_value_is_tuned("{a: 'x;y'}"));
    assert_false(savu_value_is_tuned("84:86:0.5"));
    assert_false(savu_value_is_tuned(NULL));
}

static void test_sequences(void **state)
{
    (void)state;
    assert_expands("85;86;87", "[85, 86, 87]");
    assert_expands("FBP;CGLS", "[\"FBP\", \"CGLS\"]");
    assert_expands("[0,1];[1,2]", "[[0, 1], [1, 2]]");
    assert_expands("1;;2;", "[1, 2]");
    assert_expands(" 0.5 ; True ; None ", "[0.5, true, null]");
    assert_expands("a ; 'b;c' ; [1;2]", "[\"a\", \"b;c\", [\"1;2\"]]");
    assert_expands("85", "[85]");
}

static void test_ranges_as_numpy_arange(void **state)
{
    (void)state;
    assert_expands("84:86:0.5;", "[84.0, 84.5, 85.0, 85.5]");
    assert_expands("1:4;", "[1, 2, 3]");
    assert_expands("0:10:3;", "[0, 3, 6, 9]");
    assert_expands("5:1:-1;", "[5, 4, 3, 2]");
    assert_expands("1.5:3;", "[1.5, 2.5]");
    assert_expands("0:1:0.25;", "[0.0, 0.25, 0.5, 0.75]");
    assert_expands(" 1 : 3 ;", "[1, 2]");
    assert_expands("1:3;7", "[1, 2, 7]");
    assert_expands("-9223372036854775807:-9223372036854775805;",
                   "[-9223372036854775807, -9223372036854775806]");
}

static void test_range_errors(void **state)
{
    (void)state;
    const char *invalid = "Ensure start:stop:step; values are valid.";
    assert_expand_error("5:1:1;", invalid);
    assert_expand_error("5:5;", invalid);
    assert_expand_error("1:2:0;", invalid);
    assert_expand_error("1:2:0.0;", invalid);
    assert_expand_error("1:5:-1;", invalid);
    assert_expand_error("a:b;", invalid);
    assert_expand_error("1:2:3:4;", invalid);
    assert_expand_error(":5;", invalid);
    assert_expand_error("True:3;", invalid);
    assert_expand_error("1:'3';", invalid);
}

static void test_limits_and_bad_items(void **state)
{
    (void)state;
    savu_error err;
    json_t *values = savu_tuning_expand("0:10000;", &err);
    assert_non_null(values);
    assert_int_equal(json_array_size(values), 10000);
    assert_int_equal(json_integer_value(json_array_get(values, 9999)), 9999);
    json_decref(values);
    assert_expand_error("0:10001;", "a tuning value may have at most 10000 values");
    assert_expand_error("0:10000;1", "a tuning value may have at most 10000 values");
    assert_expand_error("0:1e300:1e-300;", "a tuning value may have at most 10000 values");
    assert_expand_error(";", "the tuning value ';' has no values");
    assert_expand_error(" ; ;", "the tuning value ' ; ;' has no values");
    assert_expand_error("1;[2", "missing ']' for '[' at column 1 of '[2'");
    assert_expand_error("1;'x", "unterminated string starting at column 1 of ''x'");
    assert_expand_error(NULL, "Please enter a value");
}

static void assert_normalised(const char *raw, bool is_preview, const char *expected,
                              bool expect_applied)
{
    bool applied = !expect_applied;
    char *out = savu_tuning_normalise(raw, is_preview, &applied);
    assert_non_null(out);
    assert_string_equal(out, expected);
    assert_true(applied == expect_applied);
    free(out);
}

static void test_normalise(void **state)
{
    (void)state;
    assert_normalised("84:86:0.5", false, "84:86:0.5;", true);
    assert_normalised("mid-5:mid+6:2 ", false, "mid-5:mid+6:2;", true);
    assert_normalised("84:86:0.5", true, "84:86:0.5", false);
    assert_normalised("1:2", false, "1:2", false);
    assert_normalised("84:86:0.5;", false, "84:86:0.5;", false);
    assert_normalised("85;86", false, "85;86", false);
    assert_normalised("[:, :, :]", false, "[:, :, :]", false);
    assert_normalised("'a:b:c'", false, "'a:b:c'", false);
    bool applied = true;
    assert_null(savu_tuning_normalise(NULL, false, &applied));
    assert_false(applied);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_tuned),
        cmocka_unit_test(test_sequences),
        cmocka_unit_test(test_ranges_as_numpy_arange),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_limits_and_bad_items),
        cmocka_unit_test(test_normalise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
