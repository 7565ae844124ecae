/* test_phantom_nxtomo.c: the files savu_phantom writes — the NXtomo layout
 * (shapes, types, chunks, image keys, angles, links, NeXus classes), the
 * counts (flats, darks, projections), the parameter record, Poisson noise
 * statistics, rings and zingers, the same file for any thread count, and
 * the one-line errors of writing and reading. */
#include "phantom_test_util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phantom_model.h"
#include "phantom_nxtomo.h"
#include "phantom_params.h"

static void assert_attr(hid_t file, const char *object, const char *name, const char *expected)
{
    hid_t attr = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(attr >= 0);
    hid_t type = H5Aget_type(attr);
    char value[128] = "";
    assert_true(H5Tget_size(type) < sizeof value);
    assert_true(H5Aread(attr, type, value) >= 0);
    assert_string_equal(value, expected);
    H5Tclose(type);
    H5Aclose(attr);
}

static void test_file_layout(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.darks = 2;
    p.flats = 3;
    p.range = 360;
    p.cor_offset = 1.5;
    const char *path = temp_path("layout.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    assert_false(hidden_files());

    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t data = H5Dopen2(file, SAVU_PHANTOM_DATA_PATH, H5P_DEFAULT);
    hid_t type = H5Dget_type(data), space = H5Dget_space(data), dcpl = H5Dget_create_plist(data);
    hsize_t dims[3], chunk[3];
    assert_int_equal(H5Sget_simple_extent_dims(space, dims, NULL), 3);
    assert_int_equal(dims[0], 20);
    assert_int_equal(dims[1], 6);
    assert_int_equal(dims[2], 24);
    assert_true(H5Tequal(type, H5T_STD_U16LE) > 0);
    assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
    assert_int_equal(H5Pget_chunk(dcpl, 3, chunk), 3);
    assert_int_equal(chunk[0], 1);
    assert_int_equal(chunk[1], 6);
    assert_int_equal(chunk[2], 24);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(data);

    hid_t key = H5Dopen2(file, SAVU_PHANTOM_KEY_PATH, H5P_DEFAULT);
    type = H5Dget_type(key);
    assert_true(H5Tequal(type, H5T_IEEE_F64LE) > 0);
    H5Tclose(type);
    H5Dclose(key);

    /* the standard NXtomo paths are soft links to the same objects */
    const char *links[2][2] = {
        {"/entry1/tomo_entry/instrument/detector/data", SAVU_PHANTOM_DATA_PATH},
        {"/entry1/tomo_entry/sample/rotation_angle", SAVU_PHANTOM_ANGLE_PATH},
    };
    for (int i = 0; i < 2; i++) {
        H5L_info_t link;
        assert_true(H5Lget_info(file, links[i][0], &link, H5P_DEFAULT) >= 0);
        assert_int_equal(link.type, H5L_TYPE_SOFT);
        H5O_info_t a, b;
        assert_true(H5Oget_info_by_name2(file, links[i][0], &a, H5O_INFO_BASIC, H5P_DEFAULT) >= 0);
        assert_true(H5Oget_info_by_name2(file, links[i][1], &b, H5O_INFO_BASIC, H5P_DEFAULT) >= 0);
        assert_true(a.addr == b.addr);
    }
    assert_attr(file, "/entry1", "NX_class", "NXentry");
    assert_attr(file, "/entry1/tomo_entry", "NX_class", "NXsubentry");
    assert_attr(file, "/entry1/tomo_entry/data", "NX_class", "NXdata");
    assert_attr(file, "/entry1/tomo_entry/data", "signal", "data");
    assert_attr(file, "/entry1/tomo_entry/instrument", "NX_class", "NXinstrument");
    assert_attr(file, "/entry1/tomo_entry/instrument/detector", "NX_class", "NXdetector");
    assert_attr(file, "/entry1/tomo_entry/sample", "NX_class", "NXsample");
    assert_attr(file, "/entry1/phantom", "NX_class", "NXcollection");
    assert_attr(file, SAVU_PHANTOM_ANGLE_PATH, "units", "degree");
    hid_t definition = H5Dopen2(file, "/entry1/tomo_entry/definition", H5P_DEFAULT);
    type = H5Dget_type(definition);
    char text[32] = "";
    assert_true(H5Dread(definition, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) >= 0);
    assert_string_equal(text, "NXtomo");
    H5Tclose(type);
    H5Dclose(definition);
    H5Fclose(file);

    size_t n, n_linked;
    double *keys = read_all(path, SAVU_PHANTOM_KEY_PATH, &n);
    double *angles = read_all(path, "/entry1/tomo_entry/sample/rotation_angle", &n_linked);
    assert_int_equal(n, 20);
    assert_int_equal(n_linked, 20);
    for (int f = 0; f < 20; f++) {
        savu_frame_info info = savu_phantom_frame(&p, f);
        assert_true(keys[f] == info.key);
        assert_true(angles[f] == info.angle);
    }
    double *frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    double *linked = read_all(path, "/entry1/tomo_entry/instrument/detector/data", &n_linked);
    assert_int_equal(n, 20 * 6 * 24);
    assert_memory_equal(frames, linked, n * sizeof *frames);
    size_t frame_size = 6 * 24;
    for (int f = 0; f < 20; f++) {
        if (keys[f] == 0)
            continue;
        double expected = keys[f] == 1 ? 40000 : 100;
        for (size_t i = 0; i < frame_size; i++)
            assert_true(frames[f * frame_size + i] == expected);
    }
    /* projections: dark + (flat - dark) exp(-p), rounded */
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    int nonzero = 0;
    for (int f = 5; f < 15; f++) {
        double th = angles[f] * M_PI / 180;
        for (int v = 0; v < 6; v++)
            for (int u = 0; u < 24; u++) {
                double line = savu_phantom_ray(&ph, th, u, v);
                double expected = 100 + 39900 * exp(-line);
                assert_close(frames[f * frame_size + (size_t)v * 24 + u], expected, 0.5 + 1e-6);
                nonzero += line > 0.1;
            }
    }
    assert_true(nonzero > 200);
    free(keys);
    free(angles);
    free(frames);
    free(linked);

    savu_phantom_params back;
    assert_int_equal(savu_phantom_read_record(path, &back, &err), 0);
    assert_int_equal(back.width, 24);
    assert_int_equal(back.rows, 6);
    assert_int_equal(back.angles, 10);
    assert_int_equal(back.range, 360);
    assert_int_equal(back.darks, 2);
    assert_int_equal(back.flats, 3);
    assert_true(back.cor_offset == 1.5);
    assert_true(back.scale == 3.6 / 24);
    assert_true(back.flat_level == 40000 && back.dark_level == 100);
    assert_false(back.noise);
    assert_int_equal(back.response, SAVU_PIXEL_POINT);
}

static void test_record_round_trip(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.noise = true;
    p.seed = 0xfedcba9876543210ULL;
    p.rings = 0.01;
    p.zingers = 0.001;
    p.scale = 0.125;
    p.flat_level = 30000;
    p.dark_level = 50;
    p.response = SAVU_PIXEL_AREA;
    const char *path = temp_path("record.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    savu_phantom_params back;
    assert_int_equal(savu_phantom_read_record(path, &back, &err), 0);
    assert_true(back.noise);
    assert_true(back.seed == 0xfedcba9876543210ULL);
    assert_true(back.rings == 0.01 && back.zingers == 0.001 && back.scale == 0.125);
    assert_true(back.flat_level == 30000 && back.dark_level == 50);
    assert_int_equal(back.response, SAVU_PIXEL_AREA);
    size_t n;
    double *cor = read_all(path, "/entry1/phantom/cor", &n);
    assert_true(n == 1 && cor[0] == 11.5);
    free(cor);
}

static void test_noise_statistics(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 64;
    p.rows = 16;
    p.angles = 1;
    p.darks = 10;
    p.flats = 10;
    p.noise = true;
    p.seed = 7;
    const char *path = temp_path("noise.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    size_t n, nk;
    double *frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    double *keys = read_all(path, SAVU_PHANTOM_KEY_PATH, &nk);
    size_t frame_size = 64 * 16;
    for (int key = 1; key <= 2; key++) {
        double level = key == 1 ? 40000 : 100, sum = 0, sum_sq = 0;
        size_t count = 0;
        for (size_t f = 0; f < nk; f++) {
            if (keys[f] != key)
                continue;
            for (size_t i = 0; i < frame_size; i++) {
                double x = frames[f * frame_size + i];
                sum += x;
                sum_sq += x * x;
                count++;
            }
        }
        assert_int_equal(count, 20 * frame_size);
        double mean = sum / count, variance = sum_sq / count - mean * mean;
        assert_close(mean, level, 0.005 * level);
        assert_close(variance, level, 0.05 * level);
    }
    free(frames);
    free(keys);
}

/* Pixel order and thread count do not change the file; the seed does. */
static void test_deterministic(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 40;
    p.rows = 5;
    p.angles = 9;
    p.noise = true;
    p.rings = 0.02;
    p.zingers = 0.01;
    p.seed = 11;
    savu_error err;
    p.threads = 1;
    assert_int_equal(savu_phantom_write_nxtomo(&p, temp_path("one.nxs"), &err), 0);
    p.threads = 3;
    assert_int_equal(savu_phantom_write_nxtomo(&p, temp_path("three.nxs"), &err), 0);
    p.seed = 12;
    assert_int_equal(savu_phantom_write_nxtomo(&p, temp_path("other.nxs"), &err), 0);
    size_t n1, n3, n_other;
    double *one = read_all(temp_path("one.nxs"), SAVU_PHANTOM_DATA_PATH, &n1);
    double *three = read_all(temp_path("three.nxs"), SAVU_PHANTOM_DATA_PATH, &n3);
    double *other = read_all(temp_path("other.nxs"), SAVU_PHANTOM_DATA_PATH, &n_other);
    assert_int_equal(n1, n3);
    assert_memory_equal(one, three, n1 * sizeof *one);
    assert_true(memcmp(one, other, n1 * sizeof *one) != 0);
    free(one);
    free(three);
    free(other);
}

static void test_rings_and_zingers(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 64;
    p.rows = 16;
    p.angles = 20;
    p.darks = 1;
    p.flats = 1;
    p.rings = 0.05;
    const char *path = temp_path("rings.nxs");
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    size_t n;
    double *frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    size_t frame_size = 64 * 16;
    for (size_t i = 0; i < frame_size; i++) { /* flats keep no gain errors */
        assert_true(frames[0 * frame_size + i] == 100 && frames[23 * frame_size + i] == 100);
        assert_true(frames[1 * frame_size + i] == 40000 && frames[22 * frame_size + i] == 40000);
    }
    /* the flat-field-corrected projection is p - log(gain): the same gain
     * for a pixel at every angle (a ring), within [0.95, 1.05] */
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    double sum = 0, sum_sq = 0;
    for (int v = 0; v < 16; v++)
        for (int u = 0; u < 64; u++) {
            double gains[2];
            for (int i = 0; i < 2; i++) {
                int projection = i * 13;
                double counts = frames[(size_t)(2 + projection) * frame_size + v * 64 + u];
                double line = savu_phantom_ray(&ph, savu_phantom_angle(&p, projection) * M_PI / 180,
                                               u, v);
                gains[i] = (counts - 100) / 39900 / exp(-line);
            }
            assert_close(gains[0], gains[1], 1e-3);
            assert_true(gains[0] > 0.95 - 1e-4 && gains[0] < 1.05 + 1e-4);
            sum += gains[0];
            sum_sq += gains[0] * gains[0];
        }
    double mean = sum / frame_size, sd = sqrt(sum_sq / frame_size - mean * mean);
    assert_close(sd, 0.05 / sqrt(3), 0.005); /* uniform in [1-A, 1+A] */
    free(frames);

    p.rings = 0;
    p.zingers = 0.02;
    path = temp_path("zingers.nxs");
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), 0);
    frames = read_all(path, SAVU_PHANTOM_DATA_PATH, &n);
    size_t saturated = 0;
    for (size_t f = 0; f < 24; f++)
        for (size_t i = 0; i < frame_size; i++) {
            bool hit = frames[f * frame_size + i] == 65535;
            if (f < 2 || f >= 22)
                assert_false(hit);
            saturated += hit;
        }
    /* 2% of 20480 projection pixels: 410 +- 20 */
    assert_true(saturated > 330 && saturated < 490);
    free(frames);
}

static void test_write_errors(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    savu_error err;
    assert_int_equal(savu_phantom_write_nxtomo(&p, "/nonexistent-dir/x.nxs", &err), -1);
    assert_string_equal(err.msg, "cannot write /nonexistent-dir/x.nxs: No such file or directory");
    char dir_path[600];
    snprintf(dir_path, sizeof dir_path, "%s/", temp_dir);
    assert_int_equal(savu_phantom_write_nxtomo(&p, dir_path, &err), -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: Is a directory", dir_path);
    assert_string_equal(err.msg, expected);
    /* bad parameters: nothing is created, an existing file is kept */
    const char *path = temp_path("kept.nxs");
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);
    p.width = 0;
    assert_int_equal(savu_phantom_write_nxtomo(&p, path, &err), -1);
    assert_string_equal(err.msg, "--width must be a whole number from 1 to 32768, got 0");
    char text[8] = "";
    f = fopen(path, "r");
    assert_non_null(fgets(text, sizeof text, f));
    fclose(f);
    assert_string_equal(text, "old");
    assert_false(hidden_files());
}

static void test_read_record_errors(void **state)
{
    (void)state;
    savu_phantom_params p;
    savu_error err;
    const char *missing = temp_path("missing.nxs");
    assert_int_equal(savu_phantom_read_record(missing, &p, &err), -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot read %s: No such file or directory", missing);
    assert_string_equal(err.msg, expected);

    const char *plain = temp_path("plain.h5");
    hid_t file = H5Fcreate(plain, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t group = H5Gcreate2(file, "entry1", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t record = H5Gcreate2(group, "phantom", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(record);
    H5Gclose(group);
    H5Fclose(file);
    assert_int_equal(savu_phantom_read_record(plain, &p, &err), -1);
    snprintf(expected, sizeof expected,
             "%s: no readable /entry1/phantom/width (not written by savu_phantom?)", plain);
    assert_string_equal(err.msg, expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_layout),
        cmocka_unit_test(test_record_round_trip),
        cmocka_unit_test(test_noise_statistics),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_rings_and_zingers),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_read_record_errors),
    };
    return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
