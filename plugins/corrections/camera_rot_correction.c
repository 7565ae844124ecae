/* camera_rot_correction.c: CameraRotCorrection, whole (descriptor, set-up,
 * CPU path). Each projection rotated by `angle` degrees, for a camera that
 * is not square to the rotation axis, as Savu does it
 * (savu/plugins/corrections/camera_rot_correction.py, read, not copied:
 * skimage.transform.rotate, bilinear, mode 'reflect', then cropped): the
 * points of the rotation are made once at set-up (kernels/cpu/rotation.h)
 * and every projection is interpolated at them (kernels/cpu/remap.h; the
 * run code shared with DistortionCorrection is remap_run.h).
 *
 * With use_auto_centre (the default) the rotation is about the middle of
 * the whole detector ((columns - 1) / 2, (rows - 1) / 2), in the previewed
 * frame's pixels. Savu means the same but gets it wrong: it takes
 * (h // 2 - 0.5 (h % 2), w // 2 - 0.5 (w % 2)) less the preview's start and
 * hands this (row, column) pair to skimage, which reads it as (x, y) — the
 * middle only for odd square frames seen whole; on a 2560 x 2160 detector
 * it turns about (1080, 1280), which shifts the result by a pixel or two.
 * Without use_auto_centre the rotation is about the documented point
 * (center_x, centre_y) of the whole detector (Savu itself fails there: its
 * code reads a parameter centre_x that it does not define). auto_crop's
 * window is Savu's rule for the frame's own corners turned about the
 * centre. crop_edges (when auto_crop
 * is off) removes that many pixels from every side. The output's detector
 * offsets move with the crop. Values are not clipped to the input's range
 * as skimage's are (bilinear values lie within it, to rounding). */
#include "builtin_plugin.h"
#include "common_params.h"
#include "remap_run.h"

static const struct savu_param_def camera_rot_correction_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "angle", .dtype = "float", .default_json = "0.0", .visibility = SAVU_VIS_BASIC,
     .summary = "The rotation angle for the output image in degrees.",
     .verbose = "As skimage.transform.rotate's angle: the image turns counter-clockwise for "
                "positive angles."},
    {.name = "crop_edges", .dtype = "int", .default_json = "0",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "Pixels cropped from each edge of the rotated projections.",
     .verbose = "When a rotation is applied to any image, the result will contain unused values "
                "around the edges (here: the image mirrored), which can be removed by cropping "
                "the edges by a specified number of pixels. Ignored with auto_crop.",
     .range = "0 or more, less than half the projection's height and width"},
    {.name = "auto_crop", .dtype = "bool", .default_json = "false", .visibility = SAVU_VIS_BASIC,
     .summary = "Crop the rotated image to the region that holds data.",
     .verbose = "If activated, this feature will automatically crop the image to eliminate any "
                "regions without data (because of the rotation), by Savu's rule."},
    {.name = "use_auto_centre", .dtype = "bool", .default_json = "true",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "Rotate about the centre of the image.",
     .verbose = "The middle of the whole detector, whatever the preview (Savu's own centre is "
                "off by up to a pixel or two, see savu(1)). If set to False, the values from "
                "center_x and centre_y are used."},
    {.name = "center_x", .dtype = "float", .default_json = "1279.5",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "If not use_auto_centre, the detector x coordinate (column) of the centre of "
                "rotation.",
     .verbose = "A column of the whole detector, whatever the loader's preview."},
    {.name = "centre_y", .dtype = "float", .default_json = "1079.5",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "If not use_auto_centre, the detector y coordinate (row) of the centre of "
                "rotation.",
     .verbose = "A row of the whole detector, whatever the loader's preview."},
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdlib.h>
#include "cpu/rotation.h"

/* Savu's auto_crop window [*r0, *r1) x [*c0, *c1) for a rotation by angle
 * about (x, y) = (col, row) of an image of rows x cols whose corners are
 * taken at x in {0, cols} and y in {0, corner_y}. */
static void auto_crop_window(double angle_deg, double row, double col, long rows, long cols,
                             double corner_y, long *r0, long *r1, long *c0, long *c1)
{
    const double xs[4] = {0, 0, (double)cols, (double)cols};
    const double ys[4] = {0, corner_y, corner_y, 0};
    double xp[4], yp[4];
    for (int i = 0; i < 4; i++) {
        const double r = sqrt((xs[i] - col) * (xs[i] - col) + (ys[i] - row) * (ys[i] - row));
        const double theta = M_PI + atan2(xs[i] - col, ys[i] - row) + angle_deg / 180.0 * M_PI;
        xp[i] = col - sin(theta) * r;
        yp[i] = row - cos(theta) * r;
    }
    for (int i = 1; i < 4; i++) /* sort both, as numpy.sort */
        for (int j = i; j > 0 && xp[j] < xp[j - 1]; j--) {
            double t = xp[j];
            xp[j] = xp[j - 1], xp[j - 1] = t;
        }
    for (int i = 1; i < 4; i++)
        for (int j = i; j > 0 && yp[j] < yp[j - 1]; j--) {
            double t = yp[j];
            yp[j] = yp[j - 1], yp[j - 1] = t;
        }
    *c0 = (long)ceil(fmax(fmax(xp[0], xp[1]), 0));
    *c1 = (long)floor(fmin(fmin(xp[2], xp[3]), (double)cols));
    *r0 = (long)ceil(fmax(fmax(yp[0], yp[1]), 0));
    *r1 = (long)floor(fmin(fmin(yp[2], yp[3]), (double)rows));
}

/* The manual centre in the frame's pixels; it must lie on the detector. */
static int manual_centre(struct savu_plugin_instance *inst, double *cx, double *cy)
{
    long x0, dx, y0, dy;
    savu_meta_detector_offsets(inst, &x0, &dx, &y0, &dy);
    const double x = savu_param_number(inst, "center_x"), y = savu_param_number(inst, "centre_y");
    char range[64];
    const int d = remap_run_off_detector(inst, x, y, range);
    if (d >= 0)
        return savu_fail(inst, "parameter %s: %g is outside the detector (%s)",
                         d ? "center_x" : "centre_y", d ? x : y, range);
    *cx = (x - (double)x0) / (double)dx;
    *cy = (y - (double)y0) / (double)dy;
    return 0;
}

static int camera_rot_correction_setup(struct savu_plugin_instance *inst)
{
    long shape[3], x0, dx, y0, dy, crop;
    savu_in_shape(inst, shape);
    savu_meta_detector_offsets(inst, &x0, &dx, &y0, &dy);
    const long rows = shape[1], cols = shape[2];
    const double angle = savu_param_number(inst, "angle");
    if (!isfinite(angle))
        return savu_fail(inst, "parameter angle: expected a number of degrees");
    const bool auto_crop = savu_param_bool(inst, "auto_crop");
    if (remap_run_crop_edges(inst, rows, cols, !auto_crop, &crop) != 0)
        return -1;
    /* The rotation centre as skimage takes it (x, y), and the centre and
     * corner height auto_crop works with. */
    double cx = 0, cy = 0, crop_row, crop_col, corner_y;
    if (savu_param_bool(inst, "use_auto_centre")) {
        /* the middle of the whole detector (of the frame when the loader
         * does not give the detector's size), in the frame's pixels */
        long n = 0;
        const double *det = savu_meta_get(inst, "detector_shape", &n);
        const double det_rows = n == 2 ? det[0] : (double)(y0 + rows * dy);
        const double det_cols = n == 2 ? det[1] : (double)(x0 + cols * dx);
        cx = ((det_cols - 1) / 2.0 - (double)x0) / (double)dx;
        cy = ((det_rows - 1) / 2.0 - (double)y0) / (double)dy;
    } else if (manual_centre(inst, &cx, &cy) != 0) {
        return -1;
    }
    crop_row = cy, crop_col = cx, corner_y = (double)rows;
    long r0 = 0, r1 = rows, c0 = 0, c1 = cols;
    if (auto_crop) {
        auto_crop_window(angle, crop_row, crop_col, rows, cols, corner_y, &r0, &r1, &c0, &c1);
        if (r1 <= r0 || c1 <= c0)
            return savu_fail(inst, "parameter auto_crop: rotating by %g degrees leaves no "
                                   "region without edges in projections of %ld x %ld",
                             angle, rows, cols);
    } else if (crop > 0) {
        r0 = c0 = crop, r1 = rows - crop, c1 = cols - crop;
    }
    savu_error err;
    savu_remap *plan =
        savu_rotation_remap(rows, cols, angle, cx, cy, r0, c0, r1 - r0, c1 - c0, &err);
    return remap_run_start(inst, plan, err.msg, r0, c0, r1 - r0, c1 - c0);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_camera_rot_correction = {
    .name = "CameraRotCorrection",
    .id = "savu.plugins.corrections.camera_rot_correction",
    .synopsis = "A plugin to apply a rotation to projection images, for example to correct for "
                "missing camera alignment.",
    .info = "Each projection is rotated by angle degrees (bilinear, the image mirrored beyond "
            "its edges, as skimage's rotate in Savu), then optionally cropped.",
    .warning = "use_auto_centre rotates about the detector's true middle; Savu's centre is "
               "off by up to a pixel or two, so results differ from Savu's by that shift.",
    .category = SAVU_CAT_CORRECTION,
    .params = camera_rot_correction_params,
    .n_params = SAVU_COUNT_OF(camera_rot_correction_params),
    .pattern = SAVU_PATTERN_PROJECTION,
    .max_frames = 0,
    .scratch_fixed_frames = 3, /* the plan: an offset and two weights a pixel */
    .setup = SAVU_RUN(camera_rot_correction_setup),
    .process = SAVU_RUN(remap_run_process),
    .teardown = SAVU_RUN(remap_run_teardown),
};
