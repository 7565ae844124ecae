/* test_validate.c: checking parameter values against their definitions
 * (reference savu-config.md §4.2, §4.3): dtype and options with the exact
 * Savu messages, the default always accepted, each value of a tuning
 * sequence or range checked on its own, dependencies, lookup by name. The
 * plugin here is a test descriptor, not a real one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "savu_plugin.h"
#include "validate.h"

static const char *const algorithms[] = {"FBP", "CGLS", "SIRT", NULL};
static const char *const levels[] = {"1", "2", "4", NULL};
static const char *const ratios[] = {"0.5", "1", NULL};
static const char *const switches[] = {"True", "False", NULL};

static const struct savu_param_def params[] = {
    {.name = "algorithm", .dtype = "str", .default_json = "\"FBP\"", .options = algorithms},
    {.name = "n_iterations", .dtype = "int", .default_json = "1",
     .dependency = "{\"algorithm\": [\"CGLS\", \"SIRT\"]}"},
    {.name = "centre", .dtype = "float", .default_json = "0.0"},
    {.name = "level", .dtype = "int", .default_json = "1", .options = levels},
    {.name = "ratio", .dtype = "float", .default_json = "1.0", .options = ratios},
    {.name = "out_file", .dtype = "filepath", .default_json = "\"/nonexistent/default.h5\""},
    {.name = "pad", .dtype = "[list[int], None]", .default_json = "null"},
    {.name = "label", .dtype = "str", .default_json = "\"\""},
    {.name = "flag", .dtype = "bool", .default_json = "false", .options = switches},
    {.name = "on_level", .dtype = "int", .default_json = "0", .dependency = "{\"level\": 2}"},
    {.name = "on_flag", .dtype = "int", .default_json = "0", .dependency = "{\"flag\": [true]}"},
    {.name = "broken", .dtype = "lst[int]", .default_json = "[]"},
    {.name = "broken_dependency", .dtype = "int", .default_json = "0", .dependency = "{oops"},
    {.name = "broken_default", .dtype = "int", .default_json = "{oops"},
};

static const struct savu_plugin plugin = {
    .name = "TestRecon",
    .id = "test.test_recon",
    .params = params,
    .n_params = SAVU_COUNT_OF(params),
};

static const struct savu_param_def *def(const char *name)
{
    const struct savu_param_def *d = savu_param_find(&plugin, name);
    assert_non_null(d);
    return d;
}

/* Validates the JSON text `value` for `name` at position 3: "ok" or the message. */
static const char *validate(const char *name, const char *value)
{
    static savu_error err;
    json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    int rc = savu_param_validate(def(name), v, "3", &err);
    json_decref(v);
    return rc == 0 ? "ok" : err.msg;
}

static void test_dtype_messages(void **state)
{
    (void)state;
    assert_string_equal(validate("centre", "85.5"), "ok");
    assert_string_equal(validate("centre", "86"), "ok");
    assert_string_equal(validate("centre", "\"abc\""),
                        "ERROR: The value abc for 3.centre is not correct. expected a number");
    assert_string_equal(validate("centre", "[1, 2]"),
                        "ERROR: The value [1, 2] for 3.centre is not correct. expected a number");
    assert_string_equal(validate("pad", "[1, 2.5]"),
                        "ERROR: The value [1, 2.5] for 3.pad is not correct. item 2: expected an integer");
    assert_string_equal(validate("out_file", "\"/nope\""),
                        "ERROR: The value /nope for 3.out_file is not correct. the file /nope does not exist");
    savu_error err;
    json_t *v = json_string("x");
    assert_int_equal(savu_param_validate(def("n_iterations"), v, NULL, &err), -1);
    assert_string_equal(err.msg, "ERROR: The value x for n_iterations is not correct. expected an integer");
    json_decref(v);
}

static void test_options(void **state)
{
    (void)state;
    assert_string_equal(validate("algorithm", "\"CGLS\""), "ok");
    assert_string_equal(validate("algorithm", "\"ART\""),
                        "ERROR: The value ART for 3.algorithm is not correct. It does not match one "
                        "of the required options. The options are: FBP, CGLS, SIRT");
    assert_string_equal(validate("algorithm", "\"fbp\""),
                        "ERROR: The value fbp for 3.algorithm is not correct. It does not match one "
                        "of the required options. The options are: FBP, CGLS, SIRT");
    /* numbers compare by value */
    assert_string_equal(validate("level", "4"), "ok");
    assert_string_equal(validate("level", "3"),
                        "ERROR: The value 3 for 3.level is not correct. It does not match one of "
                        "the required options. The options are: 1, 2, 4");
    assert_string_equal(validate("ratio", "1"), "ok");
    assert_string_equal(validate("ratio", "0.5"), "ok");
    assert_string_equal(validate("ratio", "0.25"),
                        "ERROR: The value 0.25 for 3.ratio is not correct. It does not match one of "
                        "the required options. The options are: 0.5, 1");
    /* the type is checked before the options */
    assert_string_equal(validate("level", "2.0"),
                        "ERROR: The value 2.0 for 3.level is not correct. expected an integer");
    assert_string_equal(validate("flag", "true"), "ok");
    assert_string_equal(validate("flag", "false"), "ok");
}

static void test_default_is_always_accepted(void **state)
{
    (void)state;
    /* the default file does not exist here, but it is the default */
    assert_string_equal(validate("out_file", "\"/nonexistent/default.h5\""), "ok");
    assert_string_equal(validate("ratio", "1.0"), "ok");
    assert_string_equal(validate("pad", "null"), "ok");
}

static void test_tuning_each_value(void **state)
{
    (void)state;
    assert_string_equal(validate("centre", "\"85;86;87\""), "ok");
    assert_string_equal(validate("centre", "\"84:86:0.5;\""), "ok");
    assert_string_equal(validate("centre", "\"85;abc;87\""),
                        "ERROR: The value abc for 3.centre is not correct. expected a number");
    assert_string_equal(validate("centre", "\"5:1:1;\""),
                        "ERROR: The value 5:1:1; for 3.centre is not correct. Ensure start:stop:step; "
                        "values are valid.");
    assert_string_equal(validate("n_iterations", "\"1;2;3\""), "ok");
    assert_string_equal(validate("n_iterations", "\"1;2.5\""),
                        "ERROR: The value 2.5 for 3.n_iterations is not correct. expected an integer");
    assert_string_equal(validate("n_iterations", "\"1:4:1;\""), "ok");
    /* a range with a float step gives floats: 1.0 is already not an int */
    assert_string_equal(validate("n_iterations", "\"1:2:0.5;\""),
                        "ERROR: The value 1.0 for 3.n_iterations is not correct. expected an integer");
    /* each value must be one of the options */
    assert_string_equal(validate("algorithm", "\"FBP;CGLS\""), "ok");
    assert_string_equal(validate("algorithm", "\"FBP;ART\""),
                        "ERROR: The value ART for 3.algorithm is not correct. It does not match one "
                        "of the required options. The options are: FBP, CGLS, SIRT");
    assert_string_equal(validate("level", "\"1;4\""), "ok");
    assert_string_equal(validate("pad", "\"[1,2];[3,4]\""), "ok");
    assert_string_equal(validate("pad", "\"[1,2];[3,x]\""),
                        "ERROR: The value [3, \"x\"] for 3.pad is not correct. item 2: expected an integer");
    /* a plain string parameter takes a ';' as it is */
    assert_string_equal(validate("label", "\"a;b\""), "ok");
}

static void test_check_gives_reason_and_value_at_fault(void **state)
{
    (void)state;
    savu_error err;
    json_t *bad = NULL;
    json_t *v = json_string("85;x;87");
    assert_int_equal(savu_param_check(def("centre"), v, &bad, &err), -1);
    assert_string_equal(err.msg, "expected a number");
    assert_true(json_is_string(bad));
    assert_string_equal(json_string_value(bad), "x");
    json_decref(bad);
    json_decref(v);

    v = json_integer(7);
    assert_int_equal(savu_param_check(def("algorithm"), v, &bad, &err), -1);
    assert_ptr_equal(bad, v);
    json_decref(bad);
    assert_int_equal(savu_param_check(def("centre"), v, &bad, &err), 0);
    assert_null(bad);
    assert_int_equal(savu_param_check(def("centre"), v, NULL, &err), 0);
    json_decref(v);
    assert_int_equal(savu_param_check(def("centre"), NULL, NULL, &err), -1);
    assert_string_equal(err.msg, "no value");
}

static void test_broken_definitions(void **state)
{
    (void)state;
    assert_string_equal(validate("broken", "[1]"),
                        "ERROR: The value [1] for 3.broken is not correct. the definition of broken "
                        "is broken: bad dtype 'lst[int]': unknown type 'lst'");
    savu_error err;
    assert_null(savu_param_default(def("broken_default"), &err));
    assert_int_equal(strncmp(err.msg, "the default of parameter broken_default is not valid JSON: ", 59), 0);
    json_t *dflt = savu_param_default(def("centre"), &err);
    assert_true(json_is_real(dflt));
    assert_true(json_real_value(dflt) == 0.0);
    json_decref(dflt);
}

static json_t *values(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    return v;
}

static void test_dependencies(void **state)
{
    (void)state;
    json_t *p = values("{\"algorithm\": \"FBP\", \"level\": 1, \"flag\": false}");
    assert_true(savu_param_is_active(def("centre"), p)); /* no dependency */
    assert_false(savu_param_is_active(def("n_iterations"), p));
    assert_false(savu_param_is_active(def("on_level"), p));
    assert_false(savu_param_is_active(def("on_flag"), p));
    json_object_set_new(p, "algorithm", json_string("SIRT"));
    json_object_set_new(p, "level", json_real(2.0)); /* a single wanted value, compared as a number */
    json_object_set_new(p, "flag", json_true());
    assert_true(savu_param_is_active(def("n_iterations"), p));
    assert_true(savu_param_is_active(def("on_level"), p));
    assert_true(savu_param_is_active(def("on_flag"), p));
    /* a tuned parent: in use when any of its values is wanted */
    json_object_set_new(p, "algorithm", json_string("FBP;CGLS"));
    assert_true(savu_param_is_active(def("n_iterations"), p));
    json_object_set_new(p, "algorithm", json_string("FBP;FBP"));
    assert_false(savu_param_is_active(def("n_iterations"), p));
    /* no parent value: not in use */
    json_object_del(p, "algorithm");
    assert_false(savu_param_is_active(def("n_iterations"), p));
    /* a broken dependency in the table does not hide the parameter */
    assert_true(savu_param_is_active(def("broken_dependency"), p));
    json_decref(p);
}

static void test_find_and_value_text(void **state)
{
    (void)state;
    assert_ptr_equal(savu_param_find(&plugin, "centre"), &params[2]);
    assert_null(savu_param_find(&plugin, "Centre"));
    assert_null(savu_param_find(&plugin, "nope"));
    assert_null(savu_param_find(NULL, "centre"));
    assert_null(savu_param_find(&plugin, NULL));
    const struct {
        const char *json, *text;
    } cases[] = {{"\"ramp\"", "ramp"}, {"[1, \"a\"]", "[1, \"a\"]"}, {"null", "null"},
                 {"0.95", "0.95"},     {"{\"1\": 2.0}", "{\"1\": 2.0}"}};
    for (size_t i = 0; i < SAVU_COUNT_OF(cases); i++) {
        json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        char *text = savu_param_value_text(v);
        assert_string_equal(text, cases[i].text);
        free(text);
        json_decref(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dtype_messages),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_default_is_always_accepted),
        cmocka_unit_test(test_tuning_each_value),
        cmocka_unit_test(test_check_gives_reason_and_value_at_fault),
        cmocka_unit_test(test_broken_definitions),
        cmocka_unit_test(test_dependencies),
        cmocka_unit_test(test_find_and_value_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
