/* test_parameters.c: parameters as users see and edit them (reference
 * savu-config.md §3.2): display order and numbering with hidden and
 * dependency-off parameters, lookup by number and name, `mod` with tuning,
 * validation that leaves the entry unchanged on error, preview
 * sub-addressing, `mod -d`, `mod -g` and `ref`. Test descriptors only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parameters.h"
#include "validate.h"

#define NOT_PRESENT "This parameter is not present in this plug in."

static const char *const algorithms[] = {"FBP", "CGLS", NULL};

/* Definition order differs from display order on purpose. */
static const struct savu_param_def recon_params[] = {
    {.name = "in_datasets", .dtype = "list[str]", .default_json = "[]", .visibility = SAVU_VIS_DATASETS},
    {.name = "out_datasets", .dtype = "list[str]", .default_json = "[]", .visibility = SAVU_VIS_DATASETS},
    {.name = "preview", .dtype = "preview", .default_json = "[]", .visibility = SAVU_VIS_BASIC},
    {.name = "algorithm", .dtype = "str", .default_json = "\"FBP\"", .visibility = SAVU_VIS_BASIC,
     .options = algorithms},
    {.name = "iterations", .dtype = "int", .default_json = "1", .visibility = SAVU_VIS_INTERMEDIATE,
     .dependency = "{\"algorithm\": [\"CGLS\"]}"},
    {.name = "centre", .dtype = "float", .default_json = "0.0", .visibility = SAVU_VIS_BASIC},
    {.name = "ratio", .dtype = "[float, None]", .default_json = "null", .visibility = SAVU_VIS_ADVANCED},
    {.name = "secret", .dtype = "int", .default_json = "3", .visibility = SAVU_VIS_HIDDEN},
    {.name = "filter", .dtype = "str", .default_json = "\"ramp\"", .visibility = SAVU_VIS_INTERMEDIATE},
};

static const struct savu_plugin recon = {
    .name = "TestRecon",
    .id = "test.test_recon",
    .params = recon_params,
    .n_params = SAVU_COUNT_OF(recon_params),
};

/* Shares `centre` with TestRecon, as an int. */
static const struct savu_param_def filter_params[] = {
    {.name = "centre", .dtype = "int", .default_json = "5", .visibility = SAVU_VIS_BASIC},
    {.name = "secret", .dtype = "int", .default_json = "3", .visibility = SAVU_VIS_HIDDEN},
};

static const struct savu_plugin filter = {
    .name = "TestFilter",
    .id = "test.test_filter",
    .params = filter_params,
    .n_params = SAVU_COUNT_OF(filter_params),
};

static savu_entry *new_entry(const struct savu_plugin *p)
{
    savu_error err;
    savu_entry *e = savu_entry_new_default(p, &err);
    assert_non_null(e);
    snprintf(e->pos, sizeof e->pos, "2");
    return e;
}

/* The parameter's value as compact JSON, for exact comparisons. */
static char *value_of(const savu_entry *e, const char *name)
{
    static char text[512];
    json_t *v = json_object_get(e->params, name);
    assert_non_null(v);
    char *dumped = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(text, sizeof text, "%s", dumped);
    free(dumped);
    return text;
}

/* Display order as "a b c". */
static char *order(const savu_entry *e, enum savu_visibility level)
{
    static char text[512];
    const struct savu_param_def *out[16];
    size_t n = savu_param_display_list(e->plugin, e->params, level, out, 16);
    text[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s%s", i ? " " : "", out[i]->name);
    }
    return text;
}

static void test_display_order_and_levels(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    assert_string_equal(order(e, SAVU_VIS_BASIC), "preview algorithm centre");
    assert_string_equal(order(e, SAVU_VIS_INTERMEDIATE), "preview algorithm centre filter");
    assert_string_equal(order(e, SAVU_VIS_ADVANCED),
                        "preview algorithm centre filter in_datasets out_datasets ratio");
    json_object_set_new(e->params, "algorithm", json_string("CGLS"));
    assert_string_equal(order(e, SAVU_VIS_ADVANCED),
                        "preview algorithm centre iterations filter in_datasets out_datasets ratio");
    /* the count is the full number even when out is short */
    const struct savu_param_def *two[2];
    assert_int_equal(savu_param_display_list(&recon, e->params, SAVU_VIS_ADVANCED, two, 2), 8);
    assert_string_equal(two[1]->name, "algorithm");
    assert_int_equal(savu_param_display_list(NULL, e->params, SAVU_VIS_ADVANCED, two, 2), 0);
    savu_entry_free(e);
}

static const char *resolved(const savu_entry *e, const char *key)
{
    static savu_error err;
    const struct savu_param_def *d = savu_param_resolve(e->plugin, e->params, key, &err);
    return d ? d->name : err.msg;
}

static void test_resolve_by_number_and_name(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    assert_string_equal(resolved(e, "1"), "preview");
    assert_string_equal(resolved(e, "3"), "centre");
    assert_string_equal(resolved(e, "4"), "filter");
    assert_string_equal(resolved(e, "7"), "ratio");
    assert_string_equal(resolved(e, "8"), NOT_PRESENT);
    assert_string_equal(resolved(e, "0"), NOT_PRESENT);
    assert_string_equal(resolved(e, "99999999999999999999"), NOT_PRESENT);
    assert_string_equal(resolved(e, "ratio"), "ratio");
    assert_string_equal(resolved(e, "in_datasets"), "in_datasets");
    assert_string_equal(resolved(e, "secret"), NOT_PRESENT); /* hidden: no number, no name */
    assert_string_equal(resolved(e, "nope"), NOT_PRESENT);
    assert_string_equal(resolved(e, ""), NOT_PRESENT);
    assert_string_equal(resolved(e, "iterations"),
                        "The parameter iterations is not in use with the current values: it depends "
                        "on {\"algorithm\": [\"CGLS\"]}.");
    json_object_set_new(e->params, "algorithm", json_string("CGLS"));
    assert_string_equal(resolved(e, "4"), "iterations"); /* numbers follow the dependency */
    assert_string_equal(resolved(e, "5"), "filter");
    assert_string_equal(resolved(e, "iterations"), "iterations");
    savu_entry_free(e);
}

/* Modifies and returns "ok" or the error. */
static const char *modify(savu_entry *e, const char *key, const char *text, bool *applied)
{
    static savu_error err;
    return savu_entry_modify(e, key, text, applied, &err) == 0 ? "ok" : err.msg;
}

static void test_modify(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    bool applied = true;
    assert_string_equal(modify(e, "centre", "85.5", &applied), "ok");
    assert_false(applied);
    assert_string_equal(value_of(e, "centre"), "85.5");
    assert_string_equal(modify(e, "3", "86", NULL), "ok"); /* by number */
    assert_string_equal(value_of(e, "centre"), "86");
    assert_string_equal(modify(e, "ratio", "None", NULL), "ok");
    assert_string_equal(value_of(e, "ratio"), "null");
    assert_string_equal(modify(e, "ratio", "0.25", NULL), "ok");
    assert_string_equal(value_of(e, "ratio"), "0.25");
    assert_string_equal(modify(e, "in_datasets", "[tomo]", NULL), "ok");
    assert_string_equal(value_of(e, "in_datasets"), "[\"tomo\"]");
    assert_string_equal(modify(e, "algorithm", "CGLS", NULL), "ok");
    assert_string_equal(modify(e, "iterations", "10", NULL), "ok");
    assert_string_equal(value_of(e, "iterations"), "10");
    savu_entry_free(e);
}

/* Each failing modification leaves the entry exactly as it was. */
static void test_modify_failures_leave_entry_unchanged(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    json_t *before = json_deep_copy(e->params);
    const struct {
        const char *key, *text, *error;
    } cases[] = {
        {"centre", "abc", "ERROR: The value abc for 2.centre is not correct. expected a number"},
        {"centre", "85;x", "ERROR: The value x for 2.centre is not correct. expected a number"},
        {"algorithm", "ART",
         "ERROR: The value ART for 2.algorithm is not correct. It does not match one of the "
         "required options. The options are: FBP, CGLS"},
        {"algorithm", "FBP;ART",
         "ERROR: The value ART for 2.algorithm is not correct. It does not match one of the "
         "required options. The options are: FBP, CGLS"},
        {"centre", "", "Please enter a value"},
        {"centre", "   ", "Please enter a value"},
        {"centre", NULL, "Please enter a value"},
        {"centre", "[1, 2", NULL /* the grammar's own message */},
        {"centre", "5:1:1;", "Ensure start:stop:step; values are valid."},
        {"secret", "4", NOT_PRESENT},
        {"nope", "4", NOT_PRESENT},
        {"9", "4", NOT_PRESENT},
        {"iterations", "4",
         "The parameter iterations is not in use with the current values: it depends on "
         "{\"algorithm\": [\"CGLS\"]}."},
        {"centre.dim1", "4", "The parameter centre has no part 'dim1'."},
        {"preview.dim0", "4", "Preview dimension 'dim0' is out of range: dim1 to dim32."},
        {"preview.dim33", "4", "Preview dimension 'dim33' is out of range: dim1 to dim32."},
        {"preview.dimx", "4",
         "Unknown preview part 'dimx': use dimN or dimN.start, .stop, .step or .chunk."},
        {"preview.dim1.middle", "4",
         "Unknown preview part 'dim1.middle': use dimN or dimN.start, .stop, .step or .chunk."},
        {"preview.dim1.stop", "1:2", "A preview stop takes one number or expression, not '1:2'."},
        {"preview.dim1", "[1, 2]",
         "A preview dimension takes one entry such as ':', 'mid' or '0:10:2', not '[1, 2]'."},
        {"preview.dim2", "0:10:0",
         "ERROR: The value [\":\", \"0:10:0\"] for 2.preview is not correct. preview dimension 2: "
         "step 0 must be at least 1 in preview entry '0:10:0'"},
        {"preview", "[:, 0:10:0]",
         "ERROR: The value [\":\", \"0:10:0\"] for 2.preview is not correct. preview dimension 2: "
         "step 0 must be at least 1 in preview entry '0:10:0'"},
        {NULL, "4", NOT_PRESENT},
        {".dim1", "4", NOT_PRESENT},
    };
    for (size_t i = 0; i < SAVU_COUNT_OF(cases); i++) {
        const char *got = modify(e, cases[i].key, cases[i].text, NULL);
        if (cases[i].error)
            assert_string_equal(got, cases[i].error);
        else
            assert_string_not_equal(got, "ok");
        assert_true(json_equal(e->params, before));
    }
    json_decref(before);
    savu_entry_free(e);
}

static void test_modify_tuning(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    bool applied = false;
    assert_string_equal(modify(e, "centre", "84:86:0.5", &applied), "ok");
    assert_true(applied); /* Savu's rule: two ':' and no ';' */
    assert_string_equal(value_of(e, "centre"), "\"84:86:0.5;\"");
    assert_string_equal(modify(e, "centre", "85;86;87", &applied), "ok");
    assert_false(applied);
    assert_string_equal(value_of(e, "centre"), "\"85;86;87\"");
    assert_string_equal(modify(e, "algorithm", "FBP;CGLS", &applied), "ok");
    assert_string_equal(value_of(e, "algorithm"), "\"FBP;CGLS\"");
    /* the tuning flag says what happened even when the value is then refused */
    assert_string_equal(modify(e, "algorithm", "1:3:1", &applied),
                        "ERROR: The value 1 for 2.algorithm is not correct. expected a string");
    assert_true(applied);
    /* preview values are never tuning values */
    assert_string_equal(modify(e, "preview", "[:, 0:10:2, :]", &applied), "ok");
    assert_false(applied);
    assert_string_equal(value_of(e, "preview"), "[\":\",\"0:10:2\",\":\"]");
    savu_entry_free(e);
}

static void test_preview_sub_addressing(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    assert_string_equal(modify(e, "preview.dim2", "mid", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\":\",\"mid\"]"); /* grown with ':' */
    assert_string_equal(modify(e, "preview.dim3.stop", "10", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\":\",\"mid\",\"0:10\"]");
    assert_string_equal(modify(e, "preview.dim3.chunk", "4", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\":\",\"mid\",\"0:10:1:4\"]");
    assert_string_equal(modify(e, "preview.dim3.step", "2", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\":\",\"mid\",\"0:10:2:4\"]");
    assert_string_equal(modify(e, "preview.dim2.start", "mid-5", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\":\",\"mid-5:mid+1\",\"0:10:2:4\"]");
    assert_string_equal(modify(e, "preview.dim1.step", "3", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\"0:end:3\",\"mid-5:mid+1\",\"0:10:2:4\"]");
    assert_string_equal(modify(e, "preview.dim1", "7", NULL), "ok"); /* stored as a string */
    assert_string_equal(value_of(e, "preview"), "[\"7\",\"mid-5:mid+1\",\"0:10:2:4\"]");
    assert_string_equal(modify(e, "preview.dim1.stop", "9", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\"7:9\",\"mid-5:mid+1\",\"0:10:2:4\"]");
    assert_string_equal(modify(e, "1.dim2", ":", NULL), "ok"); /* the preview by its number */
    assert_string_equal(value_of(e, "preview"), "[\"7:9\",\":\",\"0:10:2:4\"]");
    savu_entry_free(e);
}

static void test_opaque_entry(void **state)
{
    (void)state;
    savu_entry *e = savu_entry_new("Unknown", "somewhere.unknown", json_loads("{\"a\": 1, \"preview\": []}", 0, NULL));
    assert_non_null(e);
    snprintf(e->pos, sizeof e->pos, "4");
    assert_string_equal(modify(e, "a", "[1, 2]", NULL), "ok");
    assert_string_equal(value_of(e, "a"), "[1,2]");
    assert_string_equal(modify(e, "a", "anything at all", NULL), "ok");
    assert_string_equal(value_of(e, "a"), "\"anything at all\"");
    assert_string_equal(modify(e, "preview.dim2", "mid", NULL), "ok");
    assert_string_equal(value_of(e, "preview"), "[\":\",\"mid\"]");
    assert_string_equal(modify(e, "b", "1", NULL), NOT_PRESENT);
    assert_string_equal(modify(e, "1", "1", NULL), NOT_PRESENT);
    assert_string_equal(modify(e, "a.dim1", "1", NULL), "The parameter a has no part 'dim1'.");
    savu_error err;
    assert_int_equal(savu_entry_restore_default(e, "a", &err), -1);
    assert_string_equal(err.msg, "Plugin 4 (Unknown) is not known here, so its defaults are unknown.");
    savu_entry_free(e);
}

static void test_restore_default(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    savu_error err;
    assert_string_equal(modify(e, "centre", "5", NULL), "ok");
    assert_string_equal(modify(e, "filter", "hann", NULL), "ok");
    assert_int_equal(savu_entry_restore_default(e, "centre", &err), 0);
    assert_string_equal(value_of(e, "centre"), "0.0");
    assert_int_equal(savu_entry_restore_default(e, "4", &err), 0);
    assert_string_equal(value_of(e, "filter"), "\"ramp\"");
    assert_int_equal(savu_entry_restore_default(e, "secret", &err), -1);
    assert_string_equal(err.msg, NOT_PRESENT);
    savu_entry_free(e);
}

static savu_process_list *two_plugins_and_an_opaque_one(void)
{
    savu_process_list *pl = savu_plist_new();
    assert_int_equal(savu_plist_insert(pl, new_entry(&recon), NULL, NULL), 0);
    assert_int_equal(savu_plist_insert(pl, new_entry(&filter), NULL, NULL), 0);
    savu_entry *opaque = savu_entry_new("Unknown", "x.unknown", json_loads("{\"centre\": 1}", 0, NULL));
    assert_int_equal(savu_plist_insert(pl, opaque, NULL, NULL), 0);
    return pl;
}

static void test_set_global(void **state)
{
    (void)state;
    savu_process_list *pl = two_plugins_and_an_opaque_one();
    savu_error err;
    int count = -1;
    assert_int_equal(savu_plist_set_global(pl, "centre", "7", &count, &err), 0);
    assert_int_equal(count, 2); /* the opaque entry's plugin is unknown */
    assert_string_equal(value_of(pl->entries[0], "centre"), "7");
    assert_string_equal(value_of(pl->entries[1], "centre"), "7");
    assert_string_equal(value_of(pl->entries[2], "centre"), "1");

    /* invalid for one of them: nothing changes */
    assert_int_equal(savu_plist_set_global(pl, "centre", "7.5", &count, &err), -1);
    assert_string_equal(err.msg, "ERROR: The value 7.5 for 2.centre is not correct. expected an integer");
    assert_int_equal(count, 0);
    assert_string_equal(value_of(pl->entries[0], "centre"), "7");
    assert_string_equal(value_of(pl->entries[1], "centre"), "7");

    assert_int_equal(savu_plist_set_global(pl, "filter", "hann", &count, &err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(value_of(pl->entries[0], "filter"), "\"hann\"");

    assert_int_equal(savu_plist_set_global(pl, "nothing", "1", &count, &err), -1);
    assert_string_equal(err.msg, "No plugin in the list has the parameter nothing.");
    /* hidden and switched-off parameters are not set */
    assert_int_equal(savu_plist_set_global(pl, "secret", "1", &count, &err), -1);
    assert_string_equal(err.msg, "No plugin in the list has the parameter secret.");
    assert_int_equal(savu_plist_set_global(pl, "iterations", "4", &count, &err), -1);
    assert_string_equal(err.msg, "No plugin in the list has the parameter iterations.");
    assert_int_equal(savu_plist_set_global(pl, "centre", "", &count, &err), -1);
    assert_string_equal(err.msg, "Please enter a value");
    savu_plist_free(pl);
}

typedef struct {
    char lines[8][512];
    int n;
} notices;

static void collect(void *ctx, const char *line)
{
    notices *ns = ctx;
    assert_true(ns->n < 8);
    snprintf(ns->lines[ns->n++], sizeof ns->lines[0], "%s", line);
}

static void test_refresh(void **state)
{
    (void)state;
    savu_entry *e = new_entry(&recon);
    json_object_set_new(e->params, "centre", json_string("abc"));
    json_object_set_new(e->params, "algorithm", json_string("CGLS"));
    json_object_set_new(e->params, "iterations", json_string("1;2;x"));
    json_object_set_new(e->params, "ratio", json_string("0.5;0.75"));
    json_object_del(e->params, "filter");
    json_object_set_new(e->params, "old_name", json_integer(1));
    notices ns = {.n = 0};
    savu_entry_refresh(e, false, collect, &ns);
    assert_int_equal(ns.n, 4);
    assert_string_equal(ns.lines[0], "Plugin 2 TestRecon: the value x of iterations is not correct "
                                     "(expected an integer); using the default 1");
    assert_string_equal(ns.lines[1], "Plugin 2 TestRecon: the value abc of centre is not correct "
                                     "(expected a number); using the default 0.0");
    assert_string_equal(ns.lines[2], "Plugin 2 TestRecon: filter was missing; using the default ramp");
    assert_string_equal(ns.lines[3], "Plugin 2 TestRecon: unknown parameter old_name removed");
    assert_string_equal(value_of(e, "algorithm"), "\"CGLS\""); /* valid values are kept */
    assert_string_equal(value_of(e, "ratio"), "\"0.5;0.75\"");
    assert_string_equal(value_of(e, "centre"), "0.0");
    assert_string_equal(value_of(e, "iterations"), "1");
    assert_string_equal(value_of(e, "filter"), "\"ramp\"");
    assert_null(json_object_get(e->params, "old_name"));
    /* definition order */
    char *keys = json_dumps(e->params, JSON_COMPACT);
    assert_string_equal(keys, "{\"in_datasets\":[],\"out_datasets\":[],\"preview\":[],"
                              "\"algorithm\":\"CGLS\",\"iterations\":1,\"centre\":0.0,"
                              "\"ratio\":\"0.5;0.75\",\"secret\":3,\"filter\":\"ramp\"}");
    free(keys);

    /* a second refresh has nothing to say */
    ns.n = 0;
    savu_entry_refresh(e, false, collect, &ns);
    assert_int_equal(ns.n, 0);

    /* reset_all: every value becomes the default */
    savu_entry_refresh(e, true, collect, &ns);
    assert_int_equal(ns.n, 0);
    assert_string_equal(value_of(e, "algorithm"), "\"FBP\"");
    assert_string_equal(value_of(e, "ratio"), "null");
    savu_entry_refresh(e, false, NULL, NULL); /* no notice function */
    savu_entry_free(e);

    /* an opaque entry is left as it is */
    savu_entry *opaque = savu_entry_new("Unknown", "x.unknown", json_loads("{\"z\": 1}", 0, NULL));
    savu_entry_refresh(opaque, true, collect, &ns);
    assert_string_equal(value_of(opaque, "z"), "1");
    savu_entry_free(opaque);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_display_order_and_levels),
        cmocka_unit_test(test_resolve_by_number_and_name),
        cmocka_unit_test(test_modify),
        cmocka_unit_test(test_modify_failures_leave_entry_unchanged),
        cmocka_unit_test(test_modify_tuning),
        cmocka_unit_test(test_preview_sub_addressing),
        cmocka_unit_test(test_opaque_entry),
        cmocka_unit_test(test_restore_default),
        cmocka_unit_test(test_set_global),
        cmocka_unit_test(test_refresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
