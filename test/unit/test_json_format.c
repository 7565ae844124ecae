/* test_json_format.c: savu_json_dumps writes what Python's json.dumps writes
 * (expected texts produced by Python 3), and every `data` string of the real
 * Savu process lists in test/data/savu-lists reads and writes back unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_format.h"

static void assert_double_text(double v, const char *expected)
{
    char out[32];
    savu_format_double(v, out);
    assert_string_equal(out, expected);
}

static void test_format_double_as_python_repr(void **state)
{
    (void)state;
    assert_double_text(1.0, "1.0");
    assert_double_text(0.95, "0.95");
    assert_double_text(1e-05, "1e-05");
    assert_double_text(2.5e-05, "2.5e-05");
    assert_double_text(1.23e-7, "1.23e-07");
    assert_double_text(0.0001, "0.0001");
    assert_double_text(0.007, "0.007");
    assert_double_text(1e16, "1e+16");
    assert_double_text(1e15, "1000000000000000.0");
    assert_double_text(9007199254740993.0, "9007199254740992.0");
    assert_double_text(1e22, "1e+22");
    assert_double_text(123e18, "1.23e+20");
    assert_double_text(1.5e300, "1.5e+300");
    assert_double_text(1.7976931348623157e308, "1.7976931348623157e+308");
    assert_double_text(5e-324, "5e-324");
    assert_double_text(0.1, "0.1");
    assert_double_text(0.1 + 0.2, "0.30000000000000004");
    assert_double_text(1.0 / 3, "0.3333333333333333");
    assert_double_text(2.0 / 3, "0.6666666666666666");
    assert_double_text(123456789.123, "123456789.123");
    assert_double_text(12345.678, "12345.678");
    assert_double_text(100.0, "100.0");
    assert_double_text(1.28, "1.28");
    assert_double_text(0.0, "0.0");
    assert_double_text(-0.0, "-0.0");
    assert_double_text(-2.5, "-2.5");
    assert_double_text(NAN, "NaN");
    assert_double_text(INFINITY, "Infinity");
    assert_double_text(-INFINITY, "-Infinity");
}

static void assert_dumps(json_t *value, const char *expected)
{
    char *text = savu_json_dumps(value);
    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
    json_decref(value);
}

static void test_dumps_scalars_and_containers(void **state)
{
    (void)state;
    assert_dumps(json_null(), "null");
    assert_dumps(json_true(), "true");
    assert_dumps(json_false(), "false");
    assert_dumps(json_integer(-9223372036854775807LL - 1), "-9223372036854775808");
    assert_dumps(json_real(53.0), "53.0");
    assert_dumps(json_array(), "[]");
    assert_dumps(json_object(), "{}");
    assert_dumps(json_pack("{s:[i,f,n,b,b,s],s:{},s:[]}", "b", 1, 2.5, 1, 0, "x", "a", "c"),
                 "{\"b\": [1, 2.5, null, true, false, \"x\"], \"a\": {}, \"c\": []}");
    assert_dumps(json_pack("[[[i]],{s:{s:f}}]", 1, "k", "z", 1e-5),
                 "[[[1]], {\"k\": {\"z\": 1e-05}}]");
}

static void test_dumps_strings_ensure_ascii(void **state)
{
    (void)state;
    assert_dumps(json_string("a\"b\\c\n\t\r\b\f\x01\x7f/\xc3\xa9\xf0\x9f\x98\x80"),
                 "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u007f/\\u00e9\\ud83d\\ude00\"");
    assert_dumps(json_stringn("a\0b", 3), "\"a\\u0000b\"");
    assert_dumps(json_pack("{s:s}", "cl\xc3\xa9", "\xe2\x82\xac"), "{\"cl\\u00e9\": \"\\u20ac\"}");
}

static void test_dumps_refuses_null_and_runaway_depth(void **state)
{
    (void)state;
    assert_null(savu_json_dumps(NULL));
    json_t *deep = json_array();
    for (int i = 0; i < 3000; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, deep);
        deep = outer;
    }
    assert_null(savu_json_dumps(deep));
    json_decref(deep);
}

/* Reading back and writing again gives the identical text. */
static void assert_round_trip(const char *text)
{
    json_error_t error;
    json_t *value = json_loads(text, 0, &error);
    if (!value)
        fail_msg("'%s' is not JSON: %s", text, error.text);
    char *again = savu_json_dumps(value);
    assert_non_null(again);
    assert_string_equal(again, text);
    free(again);
    json_decref(value);
}

static void test_round_trip_of_known_savu_strings(void **state)
{
    (void)state;
    assert_round_trip("{\"preview\": [\":\", \"0:2\", \":\"], \"name\": \"tomo\", \"data_path\": "
                      "\"entry1/tomo_entry/data/data\", \"image_key_path\": "
                      "\"entry1/tomo_entry/instrument/detector/image_key\", \"dark\": [null, null, "
                      "1], \"flat\": [null, null, 1], \"angles\": null, \"3d_to_4d\": false, "
                      "\"ignore_flats\": null}");
    assert_round_trip("{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": "
                      "\"86;87;88\", \"init_vol\": null, \"log\": true, \"preview\": [], "
                      "\"force_zero\": [null, null], \"ratio\": 0.95, \"log_func\": "
                      "\"np.nan_to_num(-np.log(sino))\", \"vol_shape\": \"fixed\", "
                      "\"n_iterations\": 1, \"outer_pad\": false, \"centre_pad\": true, "
                      "\"algorithm\": \"FBP;CGLS\", \"projector\": \"line\"}");
    assert_round_trip("{\"in_datasets\": [], \"out_datasets\": [\"tomo_paganin\"], \"Ratio\": 250.0, "
                      "\"Energy\": 53.0, \"Distance\": 1.0, \"Resolution\": 1.28, "
                      "\"Padtopbottom\": 100, \"Padleftright\": 100, \"Padmethod\": \"edge\", "
                      "\"increment\": 0.0}");
    assert_round_trip("{\"in_datasets\": [], \"out_datasets\": [\"cor_raw\", \"cor_fit\"], "
                      "\"preview\": [], \"start_pixel\": 82, \"search_area\": [-5, 5], \"ratio\": "
                      "2.0, \"search_radius\": 3, \"step\": 1, \"datasets_to_populate\": [], "
                      "\"broadcast_method\": \"median\", \"row_drop\": 20, \"average_radius\": 5}");
    assert_round_trip("{\"artifacts_stripes_variability\": 0.007, \"artifacts_noise_amplitude\": "
                      "100000, \"artifacts_fresnel_wavelenght\": 0.003, \"outlier_mu\": 0.1}");
}

/* ---- every `data` string of the real lists ---- */

/* The first string of a one-element string dataset, fixed or variable length. */
static char *read_string_dataset(hid_t group, const char *name)
{
    hid_t dset = H5Dopen2(group, name, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t ftype = H5Dget_type(dset);
    hid_t space = H5Dget_space(dset);
    hssize_t count = H5Sget_simple_extent_npoints(space);
    assert_true(count >= 1);
    char *text;
    if (H5Tis_variable_str(ftype) > 0) {
        char **items = calloc((size_t)count, sizeof *items);
        hid_t mtype = H5Tcopy(H5T_C_S1);
        H5Tset_size(mtype, H5T_VARIABLE);
        assert_true(H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, items) >= 0);
        text = strdup(items[0]);
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, items);
        H5Tclose(mtype);
        free(items);
    } else {
        size_t size = H5Tget_size(ftype);
        char *raw = calloc((size_t)count, size + 1);
        hid_t mtype = H5Tcopy(H5T_C_S1);
        H5Tset_size(mtype, size);
        H5Tset_strpad(mtype, H5T_STR_NULLPAD); /* all `size` characters, no terminator */
        assert_true(H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0);
        text = strndup(raw, size);
        H5Tclose(mtype);
        free(raw);
    }
    H5Sclose(space);
    H5Tclose(ftype);
    H5Dclose(dset);
    return text;
}

/* Round-trips the data string of every plugin in one file; returns how many. */
static int round_trip_file(const char *path)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t plugins = H5Gopen2(file, "/entry/plugin", H5P_DEFAULT);
    assert_true(plugins >= 0);
    H5G_info_t info;
    assert_true(H5Gget_info(plugins, &info) >= 0);
    int checked = 0;
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char name[256], data_path[300];
        assert_true(H5Lget_name_by_idx(plugins, ".", H5_INDEX_NAME, H5_ITER_INC, i, name,
                                       sizeof name, H5P_DEFAULT) > 0);
        snprintf(data_path, sizeof data_path, "%s/data", name);
        char *text = read_string_dataset(plugins, data_path);
        assert_round_trip(text);
        free(text);
        checked++;
    }
    H5Gclose(plugins);
    H5Fclose(file);
    return checked;
}

static void test_round_trip_of_every_real_list(void **state)
{
    (void)state;
    DIR *dir = opendir(SAVU_LISTS_DIR);
    assert_non_null(dir);
    int files = 0, strings = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".nxs") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", SAVU_LISTS_DIR, e->d_name);
        int n = round_trip_file(path);
        assert_true(n >= 2);
        strings += n;
        files++;
    }
    closedir(dir);
    assert_true(files >= 10);
    assert_true(strings >= 33);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_double_as_python_repr),
        cmocka_unit_test(test_dumps_scalars_and_containers),
        cmocka_unit_test(test_dumps_strings_ensure_ascii),
        cmocka_unit_test(test_dumps_refuses_null_and_runaway_depth),
        cmocka_unit_test(test_round_trip_of_known_savu_strings),
        cmocka_unit_test(test_round_trip_of_every_real_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
