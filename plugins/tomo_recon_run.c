/* tomo_recon_run.c: TomoRecon on the CPU. Setup works out the centre of
 * rotation of every row (the parameter in whole-detector pixels, a straight
 * line fitted through a {row: centre} dictionary, the value a centring plugin
 * left in the metadata, or the middle of the data) and plans the filtered
 * back-projection (kernels/cpu/fbp.h); process takes minus the logarithm
 * (parameter log), reconstructs each sinogram into a voxel_x x voxel_z slice
 * and applies force_zero. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "builtin_runs.h"
#include "geometry.h"
#include "cpu/fbp.h"

/* Below this, a normalised intensity is taken as this before the logarithm:
 * zero or negative values (noise on an opaque region) would give infinity. */
#define MIN_TRANSMISSION 1e-6f

struct tomo_recon_state {
    savu_fbp_plan *plan;
    double *cor;          /* per row of the input, in its own pixels */
    bool take_log;
    double zero_low, zero_high;
    bool force_zero;
};

static const char *const volume_labels[3] = {"voxel_x", "voxel_y", "voxel_z"};
static const char *const volume_units[3] = {"pixel", "pixel", "pixel"};

/* Least-squares line centre = a + b * row through a {"row": centre} dict. */
static int fit_cor_line(struct savu_plugin_instance *inst, const json_t *dict, double *a,
                        double *b)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)dict, key, value) {
        char *end;
        double x = strtod(key, &end);
        if (*end || !json_is_number(value))
            return savu_fail(inst, "centre_of_rotation: expected {row: centre, ...} with "
                                   "numbers, found the entry '%s'", key);
        double y = json_number_value(value);
        n++, sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    if (n == 0)
        return savu_fail(inst, "centre_of_rotation: the dictionary is empty");
    double det = n * sxx - sx * sx;
    *b = (n > 1 && det != 0) ? (n * sxy - sx * sy) / det : 0.0;
    *a = (sy - *b * sx) / n;
    return 0;
}

/* The centre of each of the rows, in the input's own (previewed) pixels. */
static int rows_cor(struct savu_plugin_instance *inst, long rows, long cols, double *cor)
{
    long x0, dx, y0, dy;
    savu_meta_detector_offsets(inst, &x0, &dx, &y0, &dy);
    json_t *value = json_loads(savu_param_json(inst, "centre_of_rotation"),
                               JSON_DECODE_ANY, NULL);
    int rc = 0;
    if (json_is_object(value)) {
        double a, b;
        rc = fit_cor_line(inst, value, &a, &b);
        for (long r = 0; rc == 0 && r < rows; r++)
            cor[r] = (a + b * (double)(y0 + r * dy) - x0) / dx;
    } else if (json_is_number(value) && json_number_value(value) != 0.0) {
        for (long r = 0; r < rows; r++)
            cor[r] = (json_number_value(value) - x0) / dx;
    } else if (json_is_number(value) || json_is_null(value)) {
        const double *meta = savu_meta_centre_of_rotation(inst);
        for (long r = 0; r < rows; r++)
            cor[r] = meta ? meta[r] : savu_default_cor((int)cols);
    } else {
        rc = savu_fail(inst, "centre_of_rotation: expected a number or {row: centre, ...}");
    }
    json_decref(value);
    return rc;
}

static int read_force_zero(struct savu_plugin_instance *inst, struct tomo_recon_state *st)
{
    json_t *fz = json_loads(savu_param_json(inst, "force_zero"), JSON_DECODE_ANY, NULL);
    int rc = 0;
    if (json_is_array(fz) && json_array_size(fz) == 2 &&
        json_is_number(json_array_get(fz, 0)) && json_is_number(json_array_get(fz, 1))) {
        st->force_zero = true;
        st->zero_low = json_number_value(json_array_get(fz, 0));
        st->zero_high = json_number_value(json_array_get(fz, 1));
    } else if (!(json_is_array(fz) && json_is_null(json_array_get(fz, 0)))) {
        rc = savu_fail(inst, "force_zero: expected [low, high] or [None, None]");
    }
    json_decref(fz);
    return rc;
}

static int check_shape(struct savu_plugin_instance *inst, const long shape[3])
{
    long n_angles;
    savu_meta_angles(inst, &n_angles);
    if (n_angles != shape[0])
        return savu_fail(inst, "%ld rotation angles for %ld projections", n_angles, shape[0]);
    const char *vol = savu_param_string(inst, "vol_shape");
    if (!vol) {
        double n = savu_param_number(inst, "vol_shape");
        if (n != (double)shape[2])
            return savu_fail(inst, "vol_shape: only 'fixed' (or the detector width, %ld) is "
                                   "supported, not %g", shape[2], n);
    } else if (strcmp(vol, "fixed") != 0) {
        return savu_fail(inst, "vol_shape: expected 'fixed' or an integer, not '%s'", vol);
    }
    const char *algorithm = savu_param_string(inst, "algorithm");
    if (!algorithm || strcmp(algorithm, "FBP") != 0)
        return savu_fail(inst, "algorithm: '%s' is not available; use FBP",
                         algorithm ? algorithm : "None");
    return 0;
}

int tomo_recon_setup(struct savu_plugin_instance *inst)
{
    long shape[3];
    savu_in_shape(inst, shape);
    if (check_shape(inst, shape) != 0)
        return -1;
    struct tomo_recon_state *st = calloc(1, sizeof *st);
    if (!st || !(st->cor = malloc(sizeof(double) * shape[1]))) {
        free(st);
        return savu_fail(inst, "out of memory");
    }
    savu_set_private(inst, st);
    st->take_log = savu_param_bool(inst, "log");
    if (rows_cor(inst, shape[1], shape[2], st->cor) != 0 || read_force_zero(inst, st) != 0)
        return -1;
    savu_error err;
    const double *angles = savu_meta_angles(inst, NULL);
    st->plan = savu_fbp_create((int)shape[2], (int)shape[0], angles,
                               savu_param_string(inst, "filter"),
                               savu_param_number(inst, "ratio"), savu_threads(inst), &err);
    if (!st->plan)
        return savu_fail(inst, "%s", err.msg);
    const long out_shape[3] = {shape[2], shape[1], shape[2]};
    if (savu_set_output(inst, out_shape, volume_labels, volume_units, SAVU_PATTERN_VOLUME_XZ))
        return -1;
    return savu_meta_set_centre_of_rotation(inst, st->cor, shape[1]);
}

int tomo_recon_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    struct tomo_recon_state *st = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    const long frames = savu_block_frames(b), n = frames * shape[0] * shape[2];
    const float *sino = savu_block_in(b);
    float *logged = NULL;
    if (st->take_log) {
        logged = malloc(sizeof(float) * n);
        if (!logged)
            return savu_fail(inst, "out of memory for %ld sinograms", frames);
        for (long i = 0; i < n; i++) {
            float v = sino[i];
            logged[i] = (v > MIN_TRANSMISSION) ? -logf(v) : (isnan(v) ? 0.0f : -logf(MIN_TRANSMISSION));
        }
        sino = logged;
    }
    savu_error err;
    float *out = savu_block_out(b);
    int rc = savu_fbp_execute(st->plan, sino, (int)frames, st->cor + savu_block_first(b), out, &err);
    free(logged);
    if (rc != 0)
        return savu_fail(inst, "%s", err.msg);
    if (st->force_zero) {
        const long m = frames * shape[2] * shape[2];
        for (long i = 0; i < m; i++)
            if (out[i] < st->zero_low || out[i] > st->zero_high)
                out[i] = 0.0f;
    }
    return 0;
}

void tomo_recon_teardown(struct savu_plugin_instance *inst)
{
    struct tomo_recon_state *st = savu_private(inst);
    if (!st)
        return;
    savu_fbp_destroy(st->plan);
    free(st->cor);
    free(st);
}
