/* rotate_90.c: Rotate90, whole (descriptor, set-up, CPU path). Turns every
 * frame of `pattern` by 90 degrees, anticlockwise (ACW, numpy.rot90) or
 * clockwise (CW), as Savu's plugin does (savu/plugins/basic_operations/
 * rotate_90.py), for detectors mounted on their side (Savu runs it on i23's
 * data before everything else). The frame's two dims swap sizes; each dim
 * keeps its label, so a projection turned upright gives sinograms along its
 * new rows (what Savu's pre-run gives once the rotated file is loaded
 * again). Before DarkFlatFieldCorrection the averaged dark and flat turn
 * with the projections. SINOGRAM frames are refused: turning them would
 * move the rotation angles onto the detector. */
#include "builtin_plugin.h"
#include "common_params.h"

static const char *const rotate_directions[] = {"ACW", "CW", NULL};

static const struct savu_param_def rotate_90_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "direction", .dtype = "str", .default_json = "\"ACW\"",
     .visibility = SAVU_VIS_BASIC,
     .summary = "Direction for the 90 degree rotation. CW (clockwise) or ACW (anti-clockwise).",
     .options = rotate_directions,
     .option_descriptions = (const char *const[]){
         "Anticlockwise: the frame's last column becomes its first row (numpy.rot90).",
         "Clockwise: the frame's first column becomes its first row, reversed.", NULL}},
    {.name = "pattern", .dtype = "str", .default_json = "\"PROJECTION\"",
     .visibility = SAVU_VIS_INTERMEDIATE, .summary = "Pattern to apply this to.",
     .verbose = "PROJECTION turns detector images (before or after dark/flat correction); "
                "VOLUME_XZ turns slices of a reconstruction. SINOGRAM, which Savu lists, is "
                "refused: it would swap rotation angles and detector columns.",
     .options = (const char *const[]){"PROJECTION", "SINOGRAM", "VOLUME_XZ", NULL},
     .option_descriptions = (const char *const[]){
         "Detector images: detector_y and detector_x swap sizes.",
         "Sinograms (refused: the angles would move).",
         "Slices of a reconstruction: voxel_x and voxel_z swap sizes.", NULL}},
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <stdlib.h>
#include <string.h>

struct rotation {
    long rows, cols;    /* of an input frame */
    bool clockwise;
};

/* One frame [rows][cols] into out [cols][rows]: numpy.rot90 with axes
 * (0, 1) (anticlockwise) or (1, 0) (clockwise). */
static void rotate_frame(const struct rotation *r, const float *in, float *out)
{
    for (long i = 0; i < r->cols; i++)
        for (long j = 0; j < r->rows; j++)
            out[i * r->rows + j] = r->clockwise ? in[(r->rows - 1 - j) * r->cols + i]
                                                : in[j * r->cols + r->cols - 1 - i];
}

/* The averaged dark and flat, turned as the projections are. */
static int rotate_dark_flat(struct savu_plugin_instance *inst, const struct rotation *r)
{
    const float *dark = savu_meta_dark(inst), *flat = savu_meta_flat(inst);
    if (!dark && !flat)
        return 0;
    const size_t n = (size_t)r->rows * r->cols;
    float *d = dark ? malloc(sizeof(float) * n) : NULL, *f = flat ? malloc(sizeof(float) * n) : NULL;
    int rc = (dark && !d) || (flat && !f) ? savu_fail(inst, "out of memory") : 0;
    if (rc == 0) {
        if (d)
            rotate_frame(r, dark, d);
        if (f)
            rotate_frame(r, flat, f);
        rc = savu_meta_set_dark_flat(inst, d, f);
    }
    free(d);
    free(f);
    return rc;
}

static int rotate_90_setup(struct savu_plugin_instance *inst)
{
    const enum savu_pattern pattern = savu_in_pattern(inst);
    if (pattern == SAVU_PATTERN_SINOGRAM)
        return savu_fail(inst, "parameter pattern: SINOGRAM frames would move the rotation "
                               "angles onto the detector; turn PROJECTION frames instead");
    const char *direction = savu_param_string(inst, "direction");
    if (!direction || (strcmp(direction, "ACW") != 0 && strcmp(direction, "CW") != 0))
        return savu_fail(inst, "parameter direction: '%s' is not ACW or CW",
                         direction ? direction : "");
    long shape[3];
    savu_in_shape(inst, shape);
    /* the frame's dims: 1 and 2 (PROJECTION) or 0 and 2 (VOLUME_XZ) */
    const int first = pattern == SAVU_PATTERN_PROJECTION ? 1 : 0;
    struct rotation *r = malloc(sizeof *r);
    if (!r)
        return savu_fail(inst, "out of memory");
    *r = (struct rotation){shape[first], shape[2], strcmp(direction, "CW") == 0};
    savu_set_private(inst, r);
    long out[3] = {shape[0], shape[1], shape[2]};
    out[first] = shape[2], out[2] = shape[first];
    if (savu_set_output(inst, out, NULL, NULL, pattern))
        return -1;
    if (pattern != SAVU_PATTERN_PROJECTION)
        return 0;
    /* the turned image is a detector of its own: whole, unit steps */
    savu_meta_set_detector_offsets(inst, 0, 1, 0, 1);
    return rotate_dark_flat(inst, r);
}

static void rotate_task(void *ctx, const float *in, float *out, int worker)
{
    (void)worker;
    rotate_frame(ctx, in, out);
}

static int rotate_90_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    savu_for_each_frame(inst, b, rotate_task, savu_private(inst));
    return 0;
}

static void rotate_90_teardown(struct savu_plugin_instance *inst)
{
    free(savu_private(inst));
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_rotate_90 = {
    .name = "Rotate90",
    .id = "savu.plugins.basic_operations.rotate_90",
    .synopsis = "A plugin to rotate an image 90 degrees clockwise or anticlockwise.",
    .info = "Each frame of the pattern turns by 90 degrees; its two dims swap sizes and keep "
            "their labels, so projections turned upright are reconstructed along their new "
            "rows. Placed before DarkFlatFieldCorrection it turns the dark and flat too.",
    .warning = "Unlike Savu, the dims keep their labels (Savu swaps them, so that later "
               "plugins in the same run see the data as before the turn): the result is what "
               "Savu gives when its pre-run has turned the data.",
    .category = SAVU_CAT_OTHER,
    .params = rotate_90_params,
    .n_params = SAVU_COUNT_OF(rotate_90_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(rotate_90_setup),
    .process = SAVU_RUN(rotate_90_process),
    .teardown = SAVU_RUN(rotate_90_teardown),
};
