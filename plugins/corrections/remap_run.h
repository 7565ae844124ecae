/* remap_run.h: what DistortionCorrection and CameraRotCorrection share
 * (both resample each projection at points fixed once: kernels/cpu/
 * remap.h): Savu's crop_edges check when the run is planned, the check
 * that a centre lies on the detector, the output a
 * window of the frame makes (its shape, and its detector offsets moved by
 * the window's start), and the process that applies the plan to every
 * projection of a block on the rank's threads. Included by those plugins'
 * files alone. */
#ifndef SAVU_REMAP_RUN_H
#define SAVU_REMAP_RUN_H

#include "savu_plugin.h"

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "cpu/remap.h"

struct remap_run {
    savu_remap *plan;            /* the output pixels' points in the input */
    long in_frame, out_frame;    /* floats in an input and an output frame */
};

/* crop_edges: a whole number, 0 or more; unless `used` is false, it must
 * leave something of rows x cols projections. */
static int remap_run_crop_edges(struct savu_plugin_instance *inst, long rows, long cols,
                                bool used, long *crop)
{
    const double value = savu_param_number(inst, "crop_edges");
    *crop = (long)value;
    if (!(value >= 0) || value != (double)*crop)
        return savu_fail(inst, "parameter crop_edges: %g must be a whole number, 0 or more",
                         value);
    if (used && (2 * *crop >= rows || 2 * *crop >= cols))
        return savu_fail(inst, "parameter crop_edges: %ld from each side leaves nothing of "
                               "projections of %ld x %ld", *crop, rows, cols);
    return 0;
}

/* Which of the centre's coordinates (x, y), pixels of the whole detector,
 * lies off it: -1 neither, 0 y, 1 x. The detector is 0 to its last row and
 * column where the loader gives its size (detector_shape), else 0 or more;
 * `range` says which, for the message. */
static int remap_run_off_detector(struct savu_plugin_instance *inst, double x, double y,
                                  char range[64])
{
    long n = 0;
    const double *det = savu_meta_get(inst, "detector_shape", &n);
    const double centre[2] = {y, x};
    static const char *const what[2] = {"rows", "columns"};
    for (int d = 0; d < 2; d++) {
        const double last = det && n == 2 ? det[d] - 1 : HUGE_VAL;
        if (centre[d] >= 0 && centre[d] <= last)
            continue;
        if (det && n == 2)
            snprintf(range, 64, "%s 0 to %.0f", what[d], last);
        else
            snprintf(range, 64, "0 or more");
        return d;
    }
    return -1;
}

/* The instance's state for `plan` (taken over, NULL: savu_fail with
 * err_msg), which makes the window of out_rows x out_cols from (row0,
 * col0) of the input's rows x cols projections: the output's shape and
 * detector offsets when it is not the whole frame. */
static int remap_run_start(struct savu_plugin_instance *inst, savu_remap *plan,
                           const char *err_msg, long row0, long col0, long out_rows,
                           long out_cols)
{
    long shape[3], x0, dx, y0, dy;
    savu_in_shape(inst, shape);
    struct remap_run *run = plan ? calloc(1, sizeof *run) : NULL;
    if (!run) {
        savu_remap_destroy(plan);
        return savu_fail(inst, "%s", plan ? "out of memory" : err_msg);
    }
    *run = (struct remap_run){plan, shape[1] * shape[2], out_rows * out_cols};
    savu_set_private(inst, run);
    if (out_rows == shape[1] && out_cols == shape[2])
        return 0;
    const long out_shape[3] = {shape[0], out_rows, out_cols};
    savu_meta_detector_offsets(inst, &x0, &dx, &y0, &dy);
    savu_meta_set_detector_offsets(inst, x0 + col0 * dx, dx, y0 + row0 * dy, dy);
    return savu_set_output(inst, out_shape, NULL, NULL, SAVU_PATTERN_PROJECTION);
}

struct remap_run_block {
    const struct remap_run *run;
    const float *in;
    float *out;
};

static void remap_run_frame(void *ctx, int task, int worker)
{
    (void)worker;
    const struct remap_run_block *b = ctx;
    savu_remap_apply(b->run->plan, b->in + (size_t)task * b->run->in_frame,
                     b->out + (size_t)task * b->run->out_frame);
}

/* One projection per task. */
static int remap_run_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    struct remap_run_block blk = {savu_private(inst), savu_block_in(b), savu_block_out(b)};
    savu_parallel_for(inst, (int)savu_block_frames(b), remap_run_frame, &blk);
    return 0;
}

static void remap_run_teardown(struct savu_plugin_instance *inst)
{
    struct remap_run *run = savu_private(inst);
    if (run)
        savu_remap_destroy(run->plan);
    free(run);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

#endif
