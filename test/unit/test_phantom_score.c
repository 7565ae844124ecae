/* test_phantom_score.c: scoring reconstructions — RMSE 0, PSNR inf and SSIM
 * 1 for the phantom itself, a perturbation's RMSE by hand, values outside
 * the field of view ignored, the same bits for any thread count, SSIM
 * against its definition with direct windows, result files (by path or by
 * shape, with their one-line errors) and the ideal-reconstruction file. */
#include "phantom_test_util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phantom_model.h"
#include "phantom_result.h"
#include "phantom_score.h"
#include "phantom_truth.h"

typedef struct memory_volume {
    int width;
    int fail_at;    /* the row that cannot be read, or -1 */
    double *values; /* [v][ix][iz] */
} memory_volume;

static int read_memory_slice(void *ctx, int v, double *out, savu_error *err)
{
    memory_volume *m = ctx;
    if (v == m->fail_at)
        return savu_error_set(err, "cannot read row %d", v);
    size_t n = (size_t)m->width * m->width;
    memcpy(out, m->values + (size_t)v * n, n * sizeof *out);
    return 0;
}

static void fill_truth(const savu_phantom *ph, memory_volume *m)
{
    size_t n = (size_t)ph->width * ph->width;
    m->width = ph->width;
    m->fail_at = -1;
    m->values = malloc(n * ph->rows * sizeof *m->values);
    assert_non_null(m->values);
    for (int v = 0; v < ph->rows; v++) {
        savu_phantom_sample_slice(ph, v, m->values + v * n);
        for (size_t i = 0; i < n; i++)
            m->values[v * n + i] *= ph->scale;
    }
}

static void test_score_of_the_phantom_itself(void **state)
{
    (void)state;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, 48, 6, 23.5, 0.05);
    memory_volume m;
    fill_truth(&ph, &m);
    savu_scores s;
    savu_error err;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, 2, &s, &err), 0);
    assert_true(s.rmse == 0.0);
    assert_true(isinf(s.psnr) && s.psnr > 0);
    assert_true(s.ssim == 1.0);
    assert_close(s.range, 1.0, 1e-12);
    int in_disc = 0;
    for (int ix = 0; ix < 48; ix++)
        for (int iz = 0; iz < 48; iz++)
            in_disc += savu_score_in_fov(&ph, ix, iz);
    assert_int_equal(s.voxels, 6 * in_disc);
    assert_true(in_disc > 1700 && in_disc < M_PI * 23.5 * 23.5 + 100);

    /* values outside the disc never count, not even NaN */
    size_t n = 48 * 48;
    for (int v = 0; v < 6; v++)
        for (int ix = 0; ix < 48; ix++)
            for (int iz = 0; iz < 48; iz++)
                if (!savu_score_in_fov(&ph, ix, iz))
                    m.values[v * n + ix * 48 + iz] = (ix + iz) % 2 ? NAN : 1e6;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, 2, &s, &err), 0);
    assert_true(s.rmse == 0.0 && s.ssim == 1.0);

    /* +0.1 (phantom units) on every voxel of the disc on one row of six:
     * RMSE = 0.1 / sqrt(6), PSNR = 20 log10(range / RMSE) */
    for (size_t i = 0; i < n; i++)
        if (savu_score_in_fov(&ph, (int)(i / 48), (int)(i % 48)))
            m.values[2 * n + i] += 0.1 * 0.05;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, 2, &s, &err), 0);
    assert_close(s.rmse, 0.1 / sqrt(6), 1e-12);
    assert_close(s.psnr, 20 * log10(s.range / (0.1 / sqrt(6))), 1e-9);
    assert_true(s.ssim < 1.0 && s.ssim > 0.5);

    /* slices are added in order: any number of threads gives the same bits */
    for (size_t i = 0; i < n * 6; i++)
        m.values[i] += 0.01 * sin(i * 0.37);
    savu_scores one, many;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, 1, &one, &err), 0);
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, 5, &many, &err), 0);
    assert_memory_equal(&one, &many, sizeof one);
    assert_true(one.ssim < s.ssim);

    /* a slice that cannot be read stops the scoring with its error */
    m.fail_at = 3;
    assert_int_equal(savu_score_volume(&ph, read_memory_slice, &m, 4, &s, &err), -1);
    assert_string_equal(err.msg, "cannot read row 3");
    free(m.values);

    /* a disc that holds no voxel */
    savu_phantom_init(&ph, NULL, 0, 48, 6, 0, 0.05);
    savu_score acc;
    assert_int_equal(savu_score_init(&acc, &ph, 1, &err), -1);
    assert_string_equal(err.msg, "the field of view is empty (centre of rotation at pixel 0)");
}

/* SSIM of one slice by its definition, with direct (unseparated) masked
 * Gaussian windows: the separable filter must agree. */
static void test_ssim_against_direct_windows(void **state)
{
    (void)state;
    int w = 20;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, w, 1, (w - 1) / 2.0, 1);
    double recon[400], truth[400];
    savu_phantom_sample_slice(&ph, 0, truth);
    for (int i = 0; i < w * w; i++)
        recon[i] = truth[i] + 0.05 * sin(i * 0.7) + 0.02;
    savu_score acc;
    savu_error err;
    assert_int_equal(savu_score_init(&acc, &ph, 1, &err), 0);
    savu_score_add_slice(&acc, 0, recon);
    savu_scores s;
    savu_score_result(&acc, &s);
    savu_score_free(&acc);

    double range = s.range, c1 = pow(0.01 * range, 2), c2 = pow(0.03 * range, 2), total = 0;
    int count = 0;
    for (int ix = 0; ix < w; ix++)
        for (int iz = 0; iz < w; iz++) {
            if (!savu_score_in_fov(&ph, ix, iz))
                continue;
            double sw = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int dx = -5; dx <= 5; dx++)
                for (int dz = -5; dz <= 5; dz++) {
                    int jx = ix + dx, jz = iz + dz;
                    if (jx < 0 || jz < 0 || jx >= w || jz >= w || !savu_score_in_fov(&ph, jx, jz))
                        continue;
                    double g = exp(-(dx * dx + dz * dz) / (2 * 1.5 * 1.5));
                    double x = recon[jx * w + jz], y = truth[jx * w + jz];
                    sw += g;
                    sx += g * x;
                    sy += g * y;
                    sxx += g * x * x;
                    syy += g * y * y;
                    sxy += g * x * y;
                }
            double mx = sx / sw, my = sy / sw;
            double vx = sxx / sw - mx * mx, vy = syy / sw - my * my, cxy = sxy / sw - mx * my;
            total += (2 * mx * my + c1) * (2 * cxy + c2) /
                     ((mx * mx + my * my + c1) * (vx + vy + c2));
            count++;
        }
    assert_int_equal(s.voxels, count);
    assert_close(s.ssim, total / count, 1e-12);
}

/* A float64 dataset `path` of shape dims filled from values (or zeros). */
static void write_dataset(const char *file_name, const char *path, const hsize_t dims[3],
                          const double *values, bool create)
{
    hid_t file = create ? H5Fcreate(file_name, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)
                        : H5Fopen(file_name, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t space = H5Screate_simple(3, dims, NULL);
    hid_t set = H5Dcreate2(file, path, H5T_IEEE_F64LE, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(set >= 0);
    size_t n = dims[0] * dims[1] * dims[2];
    double *buffer = calloc(n, sizeof *buffer);
    if (values)
        memcpy(buffer, values, n * sizeof *buffer);
    assert_true(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer) >= 0);
    free(buffer);
    H5Dclose(set);
    H5Sclose(space);
    H5Pclose(lcpl);
    H5Fclose(file);
}

static void assert_open_fails(const char *spec, int width, int rows, const char *message)
{
    savu_result_volume r;
    savu_error err;
    assert_int_equal(savu_result_open(&r, spec, width, rows, &err), -1);
    assert_string_equal(err.msg, message);
}

static void test_score_result_file(void **state)
{
    (void)state;
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, 32, 4, 15.5, 0.1);
    memory_volume m;
    fill_truth(&ph, &m);
    /* to the file's (voxel_x, voxel_y, voxel_z) order */
    double *volume = malloc(32 * 4 * 32 * sizeof *volume);
    for (int v = 0; v < 4; v++)
        for (int ix = 0; ix < 32; ix++)
            for (int iz = 0; iz < 32; iz++)
                volume[(ix * 4 + v) * 32 + iz] = m.values[(v * 32 + ix) * 32 + iz];
    const char *file = temp_path("result.h5");
    const hsize_t dims[3] = {32, 4, 32}, other[3] = {3, 4, 5};
    write_dataset(file, "/entry/result/data", dims, volume, true);
    write_dataset(file, "/entry/bad", other, NULL, false);

    char spec[700], message[1200];
    savu_error err;
    savu_result_volume r;
    savu_scores s;
    assert_int_equal(savu_result_open(&r, file, 32, 4, &err), 0); /* found by its shape */
    assert_string_equal(r.path, "/entry/result/data");
    assert_int_equal(savu_score_volume(&ph, savu_result_read_slice, &r, 3, &s, &err), 0);
    savu_result_close(&r);
    assert_true(s.rmse == 0.0 && isinf(s.psnr) && s.ssim == 1.0);

    snprintf(spec, sizeof spec, "%s:/entry/result/data", file);
    assert_int_equal(savu_result_open(&r, spec, 32, 4, &err), 0);
    assert_int_equal(savu_score_volume(&ph, savu_result_read_slice, &r, 3, &s, &err), 0);
    savu_result_close(&r);
    assert_true(s.rmse == 0.0);

    snprintf(spec, sizeof spec, "%s:/entry/bad", file);
    snprintf(message, sizeof message, "%s:/entry/bad has shape (3, 4, 5), expected (32, 4, 32)",
             file);
    assert_open_fails(spec, 32, 4, message);
    snprintf(spec, sizeof spec, "%s:/entry/nothing", file);
    snprintf(message, sizeof message, "%s has no dataset /entry/nothing", file);
    assert_open_fails(spec, 32, 4, message);
    snprintf(message, sizeof message,
             "%s has no dataset of shape (33, 4, 33); name one as %s:/path", file, file);
    assert_open_fails(file, 33, 4, message);
    const char *missing = temp_path("missing.h5");
    snprintf(message, sizeof message, "cannot read %s: No such file or directory", missing);
    assert_open_fails(missing, 32, 4, message);
    const char *text = temp_path("text.h5");
    FILE *f = fopen(text, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    snprintf(message, sizeof message, "cannot read %s: not an HDF5 file", text);
    assert_open_fails(text, 32, 4, message);

    write_dataset(file, "/entry/copy", dims, volume, false);
    snprintf(message, sizeof message,
             "%s has several datasets of shape (32, 4, 32): /entry/copy, /entry/result/data; "
             "name one as %s:/path", file, file);
    assert_open_fails(file, 32, 4, message);
    free(volume);
    free(m.values);
}

static void test_truth_file(void **state)
{
    (void)state;
    savu_phantom_params p = small_params();
    p.width = 40;
    p.rows = 7;
    const char *path = temp_path("truth.h5");
    savu_error err;
    assert_int_equal(savu_phantom_write_truth(&p, path, &err), 0);
    p.scale = savu_phantom_params_scale(&p);
    savu_phantom ph;
    savu_phantom_params_model(&p, &ph);
    savu_result_volume r;
    savu_scores s;
    assert_int_equal(savu_result_open(&r, path, 40, 7, &err), 0);
    assert_string_equal(r.path, SAVU_PHANTOM_TRUTH_PATH);
    assert_int_equal(savu_score_volume(&ph, savu_result_read_slice, &r, 3, &s, &err), 0);
    savu_result_close(&r);
    assert_true(s.rmse < 1e-7); /* float32 rounding only */
    assert_true(s.psnr > 140);
    assert_close(s.ssim, 1.0, 1e-9);
    assert_int_equal(savu_phantom_write_truth(&p, "/nonexistent-dir/t.h5", &err), -1);
    assert_string_equal(err.msg, "cannot write /nonexistent-dir/t.h5: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_of_the_phantom_itself),
        cmocka_unit_test(test_ssim_against_direct_windows),
        cmocka_unit_test(test_score_result_file),
        cmocka_unit_test(test_truth_file),
    };
    return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
