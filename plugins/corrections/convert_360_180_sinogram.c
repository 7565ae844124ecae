/* convert_360_180_sinogram.c: Convert360180Sinogram, whole (descriptor,
 * set-up, CPU path). A 360-degree scan with the rotation axis near one edge
 * of the detector (half acquisition) becomes a 180-degree sinogram twice
 * as wide, as Savu does it (savu/plugins/corrections/convert_360_180_
 * sinogram.py, read, not copied): each sinogram is shifted by the centre's
 * fraction of a pixel (scipy.ndimage.shift of order 3 without the spline
 * prefilter, edges repeated — which also smooths a little along both axes,
 * as Savu's does); its first ceil(angles / 2) rows and its last ones, flipped left to
 * right, are scaled to the same mean over the overlap, blended there by
 * linear wedges and stitched. The centre is the parameter `center`, else the
 * data's centre of rotation (per row), else the middle; the output's centre
 * (in the wider sinogram) and its angles (the first half) go into the
 * metadata for the reconstruction. Savu's second output, the centre as a
 * dataset, is the metadata here. */
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

struct convert {
    long angles, width, half;   /* input rows (angles), columns; output rows */
    double *centre;             /* per detector row (frame), in input pixels */
    float *scratch;             /* per worker: two sinograms (shifted, smoothed) */
};

/* The cubic B-spline. */
static double bspline3(double t)
{
    t = fabs(t);
    return t < 1 ? 2.0 / 3.0 - t * t + t * t * t / 2.0 : t < 2 ? (2 - t) * (2 - t) * (2 - t) / 6.0
                                                               : 0.0;
}

/* row shifted left by s in [0, 1): out[x] = sum_k row[clamp k] B3(x + s - k),
 * scipy.ndimage.shift(order=3, prefilter=False, mode='nearest'). */
static void shift_row(const float *row, long n, double s, float *out)
{
    for (long x = 0; x < n; x++) {
        double at = (double)x + s, acc = 0;
        long k0 = (long)floor(at) - 1;
        for (long k = k0; k <= k0 + 3; k++) {
            long j = k < 0 ? 0 : k >= n ? n - 1 : k;
            acc += row[j] * bspline3(at - (double)k);
        }
        out[x] = (float)acc;
    }
}

/* The left wedge's value at column x of `width` with `overlap` (Savu's
 * mat_wedge_left: ones, then linspace(1, 0, overlap) in the last columns);
 * the right wedge is it flipped. */
static float wedge_left(long x, long width, long overlap)
{
    long i = x - (width - overlap);
    if (i < 0)
        return 1.0f;
    return overlap == 1 ? 1.0f : (float)(1.0 - (double)i / (double)(overlap - 1));
}

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
    const long W = cv->width, H = cv->half;
    const float *sino = b->in + (size_t)task * cv->angles * W;
    float *out = b->out + (size_t)task * H * 2 * W;
    float *shifted = cv->scratch + (size_t)worker * 2 * cv->angles * W;
    const double centre = cv->centre[b->first + task];
    const long ci = (long)floor(centre);
    const double s = centre - (double)ci;
    /* scipy's shift of the whole sinogram by (0, -s): order-3 splines
     * without prefilter along both axes, so the angles are smoothed by the
     * spline's weights at whole steps (1/6, 2/3, 1/6, edges repeated) too. */
    float *across = shifted + (size_t)cv->angles * W;
    for (long a = 0; a < cv->angles; a++)
        shift_row(sino + a * W, W, s, across + a * W);
    for (long a = 0; a < cv->angles; a++) {
        const float *up = across + (a > 0 ? a - 1 : 0) * W, *here = across + a * W;
        const float *down = across + (a + 1 < cv->angles ? a + 1 : a) * W;
        for (long x = 0; x < W; x++)
            shifted[a * W + x] =
                (float)(((double)up[x] + 4.0 * here[x] + down[x]) / 6.0);
    }
    const bool left = centre < W / 2.0;
    const long ov = left ? 2 * ci : 2 * (W - ci);
    /* s1: first H rows; s2: last H rows flipped left to right */
#define S1(r, x) shifted[(r) * W + (x)]
#define S2(r, x) shifted[(cv->angles - H + (r)) * W + (W - 1 - (x))]
    double sum1 = 0, sum2 = 0;
    for (long r = 0; r < H; r++)
        for (long i = 0; i < ov; i++) {
            sum1 += fabsf(left ? S1(r, i) : S1(r, W - ov + i));
            sum2 += fabsf(left ? S2(r, W - ov + i) : S2(r, i));
        }
    const double ratio = sum2 != 0 ? sum1 / sum2 : 1.0; /* means of equal counts */
    memset(out, 0, sizeof(float) * H * 2 * W);
    for (long r = 0; r < H; r++) {
        float *o = out + r * 2 * W;
        /* In Savu's order: one half placed, the other added over it, the
         * edge beyond the overlap filled with the placed half's end. */
        for (long x = 0; x < W; x++) {
            float wl = wedge_left(x, W, ov);
            if (left)
                o[ov + x] = (float)(S2(r, x) * ratio) * wl;
            else
                o[x] = S1(r, x) * wl;
        }
        for (long x = 0; x < W; x++) {
            float wr = wedge_left(W - 1 - x, W, ov);
            if (left)
                o[W + x] += S1(r, x) * wr;
            else
                o[W - ov + x] += (float)(S2(r, x) * ratio) * wr;
        }
        if (left)
            for (long x = 0; x < ov; x++)
                o[x] = (float)(S2(r, 0) * ratio) * wedge_left(0, W, ov);
        else
            for (long x = 2 * W - ov; x < 2 * W; x++)
                o[x] = (float)(S2(r, W - 1) * ratio) * wedge_left(0, W, ov);
    }
#undef S1
#undef S2
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
    cv->scratch = malloc(sizeof(float) * 2 * cv->angles * cv->width * savu_threads(inst));
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
        long ci = (long)floor(c);
        if (ci < 1 || ci > cv->width - 1) {
            free(cor);
            return savu_fail(inst, "parameter center: %g leaves no overlap between the two "
                                   "half-turns (it must lie 1 to %ld pixels from the edges)",
                             c, cv->width - 1);
        }
        cv->centre[r] = c;
        cor[r] = c < cv->width / 2.0 ? (double)(cv->width + ci) : (double)ci;
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
    .info = "For scans with the rotation axis near one edge of the detector. The output's "
            "centre of rotation and its angles (the first half) are set for the "
            "reconstruction after it.",
    .category = SAVU_CAT_CORRECTION,
    .params = convert_params,
    .n_params = SAVU_COUNT_OF(convert_params),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .setup = SAVU_RUN(convert_setup),
    .process = SAVU_RUN(convert_process),
    .teardown = SAVU_RUN(convert_teardown),
};
