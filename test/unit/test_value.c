/* test_value.c: the value grammar (value.h) — every example of reference
 * savu-config.md §4.1, the rest of the grammar (numbers, keywords, quoted
 * strings and escapes, bare words, nesting, dict keys), exact error messages
 * with columns, and how a value is stored for a parameter. Values are
 * compared as the JSON text Savu would store. */
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

static void assert_json_text(json_t *value, const char *expected)
{
    assert_non_null(value);
    char *text = savu_json_dumps(value);
    assert_string_equal(text, expected);
    free(text);
    json_decref(value);
}

static void assert_parses(const char *input, const char *expected)
{
    savu_error err = {""};
    json_t *v = savu_value_parse(input, &err);
    if (!v)
        fail_msg("'%s' did not parse: %s", input, err.msg);
    assert_json_text(v, expected);
}

static void assert_parse_error(const char *input, const char *expected)
{
    savu_error err = {""};
    json_t *v = savu_value_parse(input, &err);
    assert_null(v);
    assert_string_equal(err.msg, expected);
}

static void test_reference_examples(void **state)
{
    (void)state;
    assert_parses("85", "85");
    assert_parses("1e3", "1000.0");
    assert_parses("None", "null");
    assert_parses("True", "true");
    assert_parses("[:, mid-5:mid+6, :]", "[\":\", \"mid-5:mid+6\", \":\"]");
    assert_parses("[tomo]", "[\"tomo\"]");
    assert_parses("(1,2)", "[1, 2]");
    assert_parses("{1: 2.0}", "{\"1\": 2.0}");
    assert_parses("hello", "\"hello\"");
}

static void test_numbers(void **state)
{
    (void)state;
    assert_parses("-5", "-5");
    assert_parses("+7", "7");
    assert_parses("0", "0");
    assert_parses("010", "10");
    assert_parses(".5", "0.5");
    assert_parses("2.", "2.0");
    assert_parses("-1.5e-3", "-0.0015");
    assert_parses("1E5", "100000.0");
    assert_parses("0.95", "0.95");
    assert_parses("1e-5", "1e-05");
    assert_parses("9223372036854775807", "9223372036854775807");
    assert_parses("-9223372036854775808", "-9223372036854775808");
    /* not numbers: kept as strings */
    assert_parses("1e", "\"1e\"");
    assert_parses("1.2.3", "\"1.2.3\"");
    assert_parses("-", "\"-\"");
    assert_parses("inf", "\"inf\"");
    assert_parses("0x10", "\"0x10\"");
}

static void test_keywords(void **state)
{
    (void)state;
    assert_parses("true", "true");
    assert_parses("False", "false");
    assert_parses("false", "false");
    assert_parses("null", "null");
    assert_parses("  None  ", "null");
    assert_parses("TRUE", "\"TRUE\"");
    assert_parses("none", "\"none\"");
}

static void test_bare_words_at_top_level(void **state)
{
    (void)state;
    assert_parses("  hello world  ", "\"hello world\"");
    assert_parses("np.nan_to_num(-np.log(sino))", "\"np.nan_to_num(-np.log(sino))\"");
    assert_parses("mid-5:mid+6", "\"mid-5:mid+6\"");
    assert_parses("entry1/tomo_entry/data/data", "\"entry1/tomo_entry/data/data\"");
    assert_parses("it's", "\"it's\"");
    assert_parses("1, 2", "\"1, 2\"");
    assert_parses("caf\xc3\xa9", "\"caf\\u00e9\"");
}

static void test_quoted_strings_and_escapes(void **state)
{
    (void)state;
    assert_parses("'85'", "\"85\"");
    assert_parses("\"a b\"", "\"a b\"");
    assert_parses("''", "\"\"");
    assert_parses("'it\\'s'", "\"it's\"");
    assert_parses("\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"");
    assert_parses("'a\"b'", "\"a\\\"b\"");
    assert_parses("'a\\nb\\tc'", "\"a\\nb\\tc\"");
    assert_parses("'\\\\'", "\"\\\\\"");
    assert_parses("'\\x41\\101'", "\"AA\"");
    assert_parses("'\\u00e9'", "\"\\u00e9\"");
    assert_parses("'\\U0001F600'", "\"\\ud83d\\ude00\"");
    assert_parses("'C:\\data'", "\"C:\\\\data\"");
    assert_parses("'a\\\nb'", "\"ab\"");
    assert_parses("' padded '", "\" padded \"");
}

static void test_lists_and_tuples(void **state)
{
    (void)state;
    assert_parses("[]", "[]");
    assert_parses("[ ]", "[]");
    assert_parses("()", "[]");
    assert_parses("(1,)", "[1]");
    assert_parses("(tomo)", "\"tomo\"");
    assert_parses("(1)", "1");
    assert_parses("[1, 2,]", "[1, 2]");
    assert_parses("[None, None, 1]", "[null, null, 1]");
    assert_parses("[ 1 , 'a' , b c ]", "[1, \"a\", \"b c\"]");
    assert_parses("[[1, 2], (3,), {}, []]", "[[1, 2], [3], {}, []]");
    assert_parses("[np.log(x, 2), 3]", "[\"np.log(x, 2)\", 3]");
    assert_parses("[-5, 5]", "[-5, 5]");
    assert_parses("['a,b', \"c]\"]", "[\"a,b\", \"c]\"]");
    assert_parses("  [1, 2]  ", "[1, 2]");
}

static void test_dicts(void **state)
{
    (void)state;
    assert_parses("{}", "{}");
    assert_parses("{'a': 1, b: [x, y], 2.5: c}", "{\"a\": 1, \"b\": [\"x\", \"y\"], \"2.5\": \"c\"}");
    assert_parses("{True: 1, None: 2, -3: 4}", "{\"true\": 1, \"null\": 2, \"-3\": 4}");
    assert_parses("{1: 2, 3: 4, 1: 5}", "{\"1\": 5, \"3\": 4}");
    assert_parses("{a: mid-5:mid+6}", "{\"a\": \"mid-5:mid+6\"}");
    assert_parses("{\"k\": {\"n\": (1, 2)},}", "{\"k\": {\"n\": [1, 2]}}");
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char text[200], expected[400];
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    text[128] = '\0';
    json_t *v = savu_value_parse(text, NULL);
    assert_non_null(v);
    json_decref(v);

    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    text[130] = '\0';
    snprintf(expected, sizeof expected, "values nested more than 64 deep at column 65 of '%s'", text);
    assert_parse_error(text, expected);
}

static void test_errors_name_problem_and_column(void **state)
{
    (void)state;
    assert_parse_error("[1, 2]]", "unexpected ']' at column 7 of '[1, 2]]'");
    assert_parse_error("[1, 'abc", "unterminated string starting at column 5 of '[1, 'abc'");
    assert_parse_error("'abc\\", "unterminated string starting at column 1 of ''abc\\'");
    assert_parse_error("[1, 2", "missing ']' for '[' at column 1 of '[1, 2'");
    assert_parse_error("(1, [2]", "missing ')' for '(' at column 1 of '(1, [2]'");
    assert_parse_error("{1: 2", "missing '}' for '{' at column 1 of '{1: 2'");
    assert_parse_error("{1:", "missing '}' for '{' at column 1 of '{1:'");
    assert_parse_error("[1,,2]", "unexpected ',' at column 4 of '[1,,2]'");
    assert_parse_error("[,]", "unexpected ',' at column 2 of '[,]'");
    assert_parse_error("[1, 2)", "unexpected ')' at column 6 of '[1, 2)'");
    assert_parse_error("]", "unexpected ']' at column 1 of ']'");
    assert_parse_error("['a' 'b']", "unexpected ''' at column 6 of '['a' 'b']'");
    assert_parse_error("[1, 2]\x01", "unexpected '\\x01' at column 7 of '[1, 2]\x01'");
    assert_parse_error("{1 2}", "expected ':' after the dict key at column 5 of '{1 2}'");
    assert_parse_error("{[1]: 2}", "a dict key must be a string, a number, true/false or None, "
                                   "not a list at column 2 of '{[1]: 2}'");
    assert_parse_error("{a:}", "unexpected '}' at column 4 of '{a:}'");
    assert_parse_error("[99999999999999999999]",
                       "the integer 99999999999999999999 is too large (the limit is "
                       "9223372036854775807) at column 2 of '[99999999999999999999]'");
    assert_parse_error("1e999", "the number 1e999 is too large at column 1 of '1e999'");
    assert_parse_error("'\\x4'", "truncated \\x escape (it needs 2 hex digits) at column 2 of "
                                 "''\\x4''");
    assert_parse_error("'\\0'", "a string may not contain the NUL character at column 2 of "
                                "''\\0''");
    assert_parse_error("'\\ud800'", "escape \\ud800 is not a valid character at column 2 of "
                                    "''\\ud800''");
    assert_parse_error("ab\xff", "the value is not valid UTF-8 (byte 3)");
}

static void test_empty_input(void **state)
{
    (void)state;
    assert_parse_error("", "Please enter a value");
    assert_parse_error(" \t\n", "Please enter a value");
    assert_parse_error(NULL, "Please enter a value");
}

static void test_long_input_is_cut_in_messages(void **state)
{
    (void)state;
    char text[400], expected[600];
    text[0] = '[';
    memset(text + 1, 'x', 298);
    text[299] = '\0';
    snprintf(expected, sizeof expected, "missing ']' for '[' at column 1 of '%.200s...'", text);
    assert_parse_error(text, expected);
}

static void assert_stored(const char *raw, bool is_preview, const char *expected)
{
    savu_error err = {""};
    json_t *v = savu_value_for_parameter(raw, is_preview, &err);
    if (!v)
        fail_msg("'%s' was refused: %s", raw, err.msg);
    assert_json_text(v, expected);
}

static void test_value_for_parameter(void **state)
{
    (void)state;
    assert_stored("85;86;87", false, "\"85;86;87\"");
    assert_stored("  FBP;CGLS  ", false, "\"FBP;CGLS\"");
    assert_stored("84:86:0.5;", false, "\"84:86:0.5;\"");
    assert_stored("[1, 2]", false, "[1, 2]");
    assert_stored("[:, 5, :]", true, "[\":\", \"5\", \":\"]");
    assert_stored("[0, 5, 1]", true, "[\"0\", \"5\", \"1\"]");
    assert_stored("[]", true, "[]");
    assert_stored("1;2", true, "\"1;2\"");

    savu_error err = {""};
    assert_null(savu_value_for_parameter("5:1:1;", false, &err));
    assert_string_equal(err.msg, "Ensure start:stop:step; values are valid.");
    assert_null(savu_value_for_parameter("1;[2", false, &err));
    assert_string_equal(err.msg, "missing ']' for '[' at column 1 of '[2'");
    assert_null(savu_value_for_parameter("[1", true, &err));
    assert_string_equal(err.msg, "missing ']' for '[' at column 1 of '[1'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_examples),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_bare_words_at_top_level),
        cmocka_unit_test(test_quoted_strings_and_escapes),
        cmocka_unit_test(test_lists_and_tuples),
        cmocka_unit_test(test_dicts),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_errors_name_problem_and_column),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_long_input_is_cut_in_messages),
        cmocka_unit_test(test_value_for_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
