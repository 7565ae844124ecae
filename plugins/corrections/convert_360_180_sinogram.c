/* convert_360_180_sinogram.c: Convert360180Sinogram, whole (descriptor,
 * set-up, CPU path). A 360-degree scan with the rotation axis near one edge
 * of the detector (half acquisition) becomes a 180-degree sinogram twice
 * as wide, in Savu's layout (savu/plugins/corrections/convert_360_180_
 * sinogram.py, read, not copied): the first ceil(angles / 2) rows and the
 * last ones flipped left to right, scaled to the same mean over their
 * overlap, blended there by linear wedges and stitched into 2W columns,
 * the edge values repeated beyond. Where the halves go is exact, as in
 * the authors' algotom: the flipped half lies at the mirror image of the
 * first about the centre c, overlapping it by 2 (W - c) - 1 columns (axis
 * right of the middle) or 2 c + 1 (left), the fraction moved by a cubic
 * spline (scipy.ndimage.shift's, order 3, mode nearest). Savu overlaps them
 * by 2 (W - floor c) or 2 floor c and smooths both halves with an
 * unfiltered spline, which puts the halves a pixel apart and costs a
 * 180-degree scan's PSNR about 6 dB; here the reconstruction is within a
 * dB of it. The centre is the parameter `center`, else the data's centre
 * of rotation (per row), else the middle; the output's centre (in the
 * wider sinogram) and its angles (the first half) go into the metadata for
 * the reconstruction. Savu's second output, the centre as a dataset, is
 * the metadata here. */
#include "builtin_plugin.h"
#include "common_params.h"

static const struct savu_param_def convert_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_INTERMEDIATE),
    {.name = "center", .dtype = "float", .default_json = "0.0", .visibility = SAVU_VIS_BASIC,
     .summary = "Centre of rotation in detector pixels (0: the data's, else the middle).",
     .verbose = "With the axis left of the middle the second half-turn is stitched on the "
                "left, else on the right; the overlap is twice the distance from the axis to "
                "the nearer edge."},
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/stitch_360.h"

struct convert {
    long angles, width, half;   /* input rows (angles), columns; output rows */
    double *centre;             /* per detector row (frame), in input pixels */
    double *scratch;            /* per worker: one row's spline coefficients */
};

struct convert_block {
    const struct convert *cv;
    const float *in;
    float *out;
    long first;
};

static void convert_frame(void *ctx, int task, int worker)
{
    const struct convert_block *b = ctx;
    const struct convert *cv = b->cv;
    savu_stitch_360(b->in + (size_t)task * cv->angles * cv->width, cv->angles, cv->width,
                    cv->centre[b->first + task], b->out + (size_t)task * cv->half * 2 * cv->width,
                    cv->scratch + (size_t)worker * savu_stitch_360_scratch(cv->width));
}

static int convert_setup(struct savu_plugin_instance *inst)
{
    long shape[3];
    savu_in_shape(inst, shape);
    struct convert *cv = calloc(1, sizeof *cv);
    if (!cv)
        return savu_fail(inst, "out of memory");
    savu_set_private(inst, cv);
    cv->angles = shape[0], cv->width = shape[2], cv->half = (shape[0] + 1) / 2;
    cv->centre = malloc(sizeof(double) * shape[1]);
    cv->scratch = malloc(sizeof(double) * savu_stitch_360_scratch(cv->width) * savu_threads(inst));
    if (!cv->centre || !cv->scratch)
        return savu_fail(inst, "out of memory");
    const double param = savu_param_number(inst, "center");
    const double *meta = savu_meta_centre_of_rotation(inst);
    double *cor = malloc(sizeof(double) * shape[1]);
    if (!cor)
        return savu_fail(inst, "out of memory");
    for (long r = 0; r < shape[1]; r++) {
        double c = param != 0.0 ? param : meta ? meta[r] : 0.0;
        if (c <= 0 || c > (double)cv->width)
            c = cv->width / 2.0;
        const long overlap = savu_stitch_360_overlap(c, cv->width);
        if (overlap < 2) {
            free(cor);
            return savu_fail(inst, "parameter center: %g leaves the two half-turns %ld "
                                   "overlapping column(s), too few to blend (keep it from 0.25 "
                                   "to %g)",
                             c, overlap, cv->width - 1.25);
        }
        cv->centre[r] = c;
        cor[r] = savu_stitch_360_cor(c, cv->width);
    }
    long angles_n = 0;
    const double *angles = savu_meta_angles(inst, &angles_n);
    long out_shape[3] = {cv->half, shape[1], 2 * cv->width};
    int rc = savu_set_output(inst, out_shape, NULL, NULL, SAVU_PATTERN_SINOGRAM);
    if (rc == 0)
        rc = savu_meta_set_centre_of_rotation(inst, cor, shape[1]);
    if (rc == 0 && angles && angles_n >= cv->half)
        rc = savu_meta_set_angles(inst, angles, cv->half);
    free(cor);
    return rc;
}

static int convert_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    struct convert_block blk = {savu_private(inst), savu_block_in(b), savu_block_out(b),
                                savu_block_first(b)};
    savu_parallel_for(inst, (int)savu_block_frames(b), convert_frame, &blk);
    return 0;
}

static void convert_teardown(struct savu_plugin_instance *inst)
{
    struct convert *cv = savu_private(inst);
    if (cv) {
        free(cv->centre);
        free(cv->scratch);
    }
    free(cv);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_convert_360_180_sinogram = {
    .name = "Convert360180Sinogram",
    .id = "savu.plugins.corrections.convert_360_180_sinogram",
    .synopsis = "Turn a 360-degree half-acquisition sinogram into a 180-degree one twice as "
                "wide.",
    .info = "For scans with the rotation axis near one edge of the detector. The second "
            "half-turn, flipped, is stitched at the mirror image of the first about the "
            "centre (to a fraction of a pixel), scaled to its mean over the overlap and "
            "blended by linear wedges. The output's centre of rotation and its angles (the "
            "first half) are set for the reconstruction after it.",
    .warning = "Savu stitches the halves a pixel apart (and smooths them): results differ "
               "from Savu's, by design, and reconstruct sharper.",
    .category = SAVU_CAT_CORRECTION,
    .params = convert_params,
    .n_params = SAVU_COUNT_OF(convert_params),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .setup = SAVU_RUN(convert_setup),
    .process = SAVU_RUN(convert_process),
    .teardown = SAVU_RUN(convert_teardown),
};
