/* test_dtype.c: the Savu dtype grammar (reference savu-config.md §4.2):
 * every simple type with good and bad values and the exact reasons, file and
 * directory checks against real paths, list[t], list[t1,t2], dict{k:v},
 * unions, nesting, and malformed dtype strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dtype.h"

/* Checks the JSON text `value` against `dtype`; returns the reason, or "ok". */
static const char *check(const char *dtype, const char *value)
{
    static savu_error err;
    savu_error parse_err;
    savu_dtype *t = savu_dtype_parse(dtype, &parse_err);
    assert_non_null(t);
    json_error_t jerr;
    json_t *v = json_loads(value, JSON_DECODE_ANY, &jerr);
    assert_non_null(v);
    int rc = savu_dtype_check(t, v, &err);
    json_decref(v);
    savu_dtype_free(t);
    return rc == 0 ? "ok" : err.msg;
}

/* The error of parsing a bad dtype. */
static const char *parse_error(const char *dtype)
{
    static savu_error err;
    savu_dtype *t = savu_dtype_parse(dtype, &err);
    assert_null(t);
    return err.msg;
}

static void test_int_and_float(void **state)
{
    (void)state;
    assert_string_equal(check("int", "3"), "ok");
    assert_string_equal(check("int", "-7"), "ok");
    assert_string_equal(check("int", "1.5"), "expected an integer");
    assert_string_equal(check("int", "1.0"), "expected an integer");
    assert_string_equal(check("int", "true"), "expected an integer");
    assert_string_equal(check("int", "\"3\""), "expected an integer");
    assert_string_equal(check("float", "1.5"), "ok");
    assert_string_equal(check("float", "2"), "ok"); /* an int is a float */
    assert_string_equal(check("float", "null"), "expected a number");
    assert_string_equal(check("float", "false"), "expected a number");
}

static void test_str_bool_none_list_dict(void **state)
{
    (void)state;
    assert_string_equal(check("str", "\"ramp\""), "ok");
    assert_string_equal(check("str", "\"\""), "ok");
    assert_string_equal(check("str", "5"), "expected a string");
    assert_string_equal(check("bool", "true"), "ok");
    assert_string_equal(check("bool", "false"), "ok");
    assert_string_equal(check("bool", "1"), "expected a boolean (true or false)");
    assert_string_equal(check("bool", "\"true\""), "expected a boolean (true or false)");
    assert_string_equal(check("None", "null"), "ok");
    assert_string_equal(check("None", "0"), "expected None");
    assert_string_equal(check("list", "[]"), "ok");
    assert_string_equal(check("list", "[1, \"a\", null]"), "ok");
    assert_string_equal(check("list", "{}"), "expected a list");
    assert_string_equal(check("dict", "{\"a\": [1]}"), "ok");
    assert_string_equal(check("dict", "[]"), "expected a dictionary");
}

static void test_filepath_and_dir(void **state)
{
    (void)state;
    char file[] = "/tmp/test_dtype_XXXXXX";
    int fd = mkstemp(file);
    assert_true(fd >= 0);
    close(fd);
    char value[128];
    snprintf(value, sizeof value, "\"%s\"", file);
    assert_string_equal(check("filepath", value), "ok");
    char expected[160];
    snprintf(expected, sizeof expected, "%s is not a directory", file);
    assert_string_equal(check("dir", value), expected);
    unlink(file);
    snprintf(expected, sizeof expected, "the file %s does not exist", file);
    assert_string_equal(check("filepath", value), expected);

    assert_string_equal(check("filepath", "\"/nope\""), "the file /nope does not exist");
    assert_string_equal(check("filepath", "\"/tmp\""), "/tmp is a directory, not a file");
    assert_string_equal(check("filepath", "\"\""), "expected a file path");
    assert_string_equal(check("filepath", "3"), "expected a file path");
    assert_string_equal(check("dir", "\"/tmp\""), "ok");
    assert_string_equal(check("dir", "\"/nope/x\""), "the directory /nope/x does not exist");
    assert_string_equal(check("dir", "null"), "expected a directory path");
}

static void test_h5path(void **state)
{
    (void)state;
    assert_string_equal(check("h5path", "\"entry1/tomo_entry/data/data\""), "ok");
    assert_string_equal(check("h5path", "\"/entry/x\""), "ok");
    assert_string_equal(check("h5path", "\"data\""), "ok");
    const char *bad[] = {"\"\"", "\"/\"", "\"a//b\"", "\"/entry/\"", "\"a b\"", "5", "[\"/a\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_string_equal(check("h5path", bad[i]),
                            "expected an HDF5 path such as /entry/data/data");
}

static void test_preview(void **state)
{
    (void)state;
    assert_string_equal(check("preview", "[]"), "ok");
    assert_string_equal(check("preview", "[\":\", \"mid-5:mid+6\", \":\"]"), "ok");
    assert_string_equal(check("preview", "[\"0:10:2:1\", \"5\", 3]"), "ok");
    assert_string_equal(check("preview", "\":\""), "expected a preview list");
    /* the entry's own problem comes from the preview grammar */
    const char *reason = check("preview", "[\":\", 1.5]");
    assert_string_equal(reason, "preview dimension 2: expected a string or an integer, not a float");
    assert_int_equal(strncmp(check("preview", "[\":\", \"abc\"]"), "preview dimension 2: ", 21), 0);
}

static void test_list_of_any_length(void **state)
{
    (void)state;
    assert_string_equal(check("list[int]", "[]"), "ok");
    assert_string_equal(check("list[int]", "[1, 2, 3]"), "ok");
    assert_string_equal(check("list[int]", "[1, \"a\"]"), "item 2: expected an integer");
    assert_string_equal(check("list[int]", "5"), "expected a list of integers");
    assert_string_equal(check("list[float]", "[1, 2.5]"), "ok");
    assert_string_equal(check("list[str]", "[\"a\", null]"), "item 2: expected a string");
    /* Savu's in_datasets/out_datasets type: an empty list or a list of names */
    assert_string_equal(check("list[]", "[]"), "ok");
    assert_string_equal(check("list[]", "[1]"), "expected an empty list, got 1 item");
    assert_string_equal(check("[list[],list[str]]", "[]"), "ok");
    assert_string_equal(check("[list[],list[str]]", "[\"tomo\"]"), "ok");
    assert_string_equal(check("[list[],list[str]]", "[3]"), "expected an empty list or a list of strings");
}

static void test_list_of_exact_length(void **state)
{
    (void)state;
    assert_string_equal(check("list[int, str]", "[1, \"a\"]"), "ok");
    assert_string_equal(check("list[int,str]", "[1]"), "expected a list of 2 items, got 1 item");
    assert_string_equal(check("list[int,str]", "[1, \"a\", 2]"),
                        "expected a list of 2 items, got 3 items");
    assert_string_equal(check("list[int,str]", "[\"a\", 1]"), "item 1: expected an integer");
    assert_string_equal(check("list[int,str]", "{}"), "expected a list of 2 items");
    assert_string_equal(check("list[float,float,float]", "[1, 2, 3.5]"), "ok");
}

static void test_dict_of(void **state)
{
    (void)state;
    assert_string_equal(check("dict{int:float}", "{\"1\": 2.0, \"20\": 3}"), "ok");
    assert_string_equal(check("dict{int:float}", "{}"), "ok");
    assert_string_equal(check("dict{int:float}", "{\"a\": 1}"), "key 'a': expected an integer");
    assert_string_equal(check("dict{int:float}", "{\"1.5\": 1}"), "key '1.5': expected an integer");
    assert_string_equal(check("dict{float:float}", "{\"1.5\": 1}"), "ok");
    assert_string_equal(check("dict{int:float}", "{\"1\": \"x\"}"),
                        "value of key '1': expected a number");
    assert_string_equal(check("dict{str:int}", "{\"12\": 1}"), "ok");
    assert_string_equal(check("dict{int:float}", "[]"), "expected a dictionary");
}

static void test_unions(void **state)
{
    (void)state;
    assert_string_equal(check("[int, None]", "3"), "ok");
    assert_string_equal(check("[int, None]", "null"), "ok");
    assert_string_equal(check("[int, None]", "1.5"), "expected an integer or None");
    assert_string_equal(check("[list[float], None]", "[1, 2.5]"), "ok");
    assert_string_equal(check("[list[float], None]", "null"), "ok");
    /* only one alternative is a list: its own reason is the useful one */
    assert_string_equal(check("[list[float], None]", "[1, \"a\"]"), "item 2: expected a number");
    assert_string_equal(check("[list[float], None]", "\"x\""),
                        "expected a list of numbers or None");
    assert_string_equal(check("[str, int, None]", "\"a\""), "ok");
    assert_string_equal(check("[str, int, None]", "1.5"),
                        "expected a string or an integer or None");
    assert_string_equal(check("[filepath, None]", "\"/nope\""), "the file /nope does not exist");
    assert_string_equal(check("[int, float]", "\"x\""), "expected an integer or a number");
    assert_string_equal(check("[int]", "2"), "ok"); /* a union of one is that type */
    assert_string_equal(check("[int]", "2.5"), "expected an integer");
}

static void test_nesting_and_spaces(void **state)
{
    (void)state;
    assert_string_equal(check("list[list[int]]", "[[1], [2, 3]]"), "ok");
    assert_string_equal(check("list[list[int]]", "[[1], [2, \"x\"]]"),
                        "item 2: item 2: expected an integer");
    assert_string_equal(check("list[list[int]]", "[1]"), "item 1: expected a list of integers");
    assert_string_equal(check("list[[int, None]]", "[1, null, 3]"), "ok");
    assert_string_equal(check("dict{str:list[int,int]}", "{\"a\": [1, 2]}"), "ok");
    assert_string_equal(check("dict{str:list[int,int]}", "{\"a\": [1]}"),
                        "value of key 'a': expected a list of 2 items, got 1 item");
    assert_string_equal(check("[list[[int, str]], dict{str:bool}]", "{\"k\": true}"), "ok");
    assert_string_equal(check("  list [ int , float ]  ", "[1, 2.5]"), "ok");
    assert_string_equal(check("list[list[int], list[str]]", "5"), "expected a list of 2 items");
    assert_string_equal(check("[list[list[int]], None]", "0"),
                        "expected a list of lists of integers or None");
}

static void test_bad_dtype_strings(void **state)
{
    (void)state;
    assert_string_equal(parse_error(""), "bad dtype '': expected a type name or '[' at the end");
    assert_string_equal(parse_error("integer"), "bad dtype 'integer': unknown type 'integer'");
    assert_string_equal(parse_error("none"), "bad dtype 'none': unknown type 'none'");
    assert_string_equal(parse_error("list[int"), "bad dtype 'list[int': expected ',' or ']' at the end");
    assert_string_equal(parse_error("[int,]"),
                        "bad dtype '[int,]': expected a type name or '[' at column 6 (']')");
    assert_string_equal(parse_error("[]"),
                        "bad dtype '[]': expected a type name or '[' at column 2 (']')");
    assert_string_equal(parse_error("list[,]"),
                        "bad dtype 'list[,]': expected a type name or '[' at column 6 (',')");
    assert_string_equal(parse_error("dict{int}"), "bad dtype 'dict{int}': expected ':' at column 9 ('}')");
    assert_string_equal(parse_error("dict{int:str"), "bad dtype 'dict{int:str': expected '}' at the end");
    assert_string_equal(parse_error("int float"),
                        "bad dtype 'int float': unexpected text at column 5 ('f')");
    assert_string_equal(parse_error("int]"), "bad dtype 'int]': unexpected text at column 4 (']')");
    assert_string_equal(parse_error("list(int)"),
                        "bad dtype 'list(int)': unexpected text at column 5 ('(')");
    assert_string_equal(parse_error("3"), "bad dtype '3': expected a type name or '[' at column 1 ('3')");
    savu_error err;
    assert_null(savu_dtype_parse(NULL, &err));
    assert_string_equal(err.msg, "bad dtype: none given");
    assert_null(savu_dtype_parse("x", NULL)); /* no error record: still fails cleanly */
}

static void test_nesting_is_capped(void **state)
{
    (void)state;
    char deep[256] = "";
    for (int i = 0; i < 20; i++)
        strcat(deep, "list[");
    strcat(deep, "int");
    for (int i = 0; i < 20; i++)
        strcat(deep, "]");
    char expected[400];
    snprintf(expected, sizeof expected, "bad dtype '%s': nested more than 16 deep", deep);
    assert_string_equal(parse_error(deep), expected);
    char brackets[2100];
    memset(brackets, '[', 2000);
    brackets[2000] = '\0';
    savu_error err;
    assert_null(savu_dtype_parse(brackets, &err));
}

static void test_every_simple_name_parses(void **state)
{
    (void)state;
    const char *names[] = {"int", "float", "str", "bool", "filepath", "dir",
                           "h5path", "preview", "list", "dict", "None"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        savu_error err;
        savu_dtype *t = savu_dtype_parse(names[i], &err);
        assert_non_null(t);
        savu_dtype_free(t);
    }
    savu_dtype_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_and_float),
        cmocka_unit_test(test_str_bool_none_list_dict),
        cmocka_unit_test(test_filepath_and_dir),
        cmocka_unit_test(test_h5path),
        cmocka_unit_test(test_preview),
        cmocka_unit_test(test_list_of_any_length),
        cmocka_unit_test(test_list_of_exact_length),
        cmocka_unit_test(test_dict_of),
        cmocka_unit_test(test_unions),
        cmocka_unit_test(test_nesting_and_spaces),
        cmocka_unit_test(test_bad_dtype_strings),
        cmocka_unit_test(test_nesting_is_capped),
        cmocka_unit_test(test_every_simple_name_parses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
