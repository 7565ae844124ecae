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

struct convert {
    long angles, width, half;   /* input rows (angles), columns; output rows */
    double *centre;             /* per detector row (frame), in input pixels */
    double *scratch;            /* per worker: one row's spline coefficients */
};

/* The cubic B-spline. */
static double bspline3(double t)
{
    t = fabs(t);
    return t < 1 ? 2.0 / 3.0 - t * t + t * t * t / 2.0 : t < 2 ? (2 - t) * (2 - t) * (2 - t) / 6.0
                                                               : 0.0;
}

/* Edge values added each side of a row before its spline is fitted (as
 * scipy.ndimage.shift does in mode "nearest"): the fit's own end condition
 * then reaches the row only as 0.27^12. */
#define SPLINE_PAD 12

/* A row of n samples, edge-padded, replaced in c (n + 2 SPLINE_PAD values)
 * by its interpolating cubic B-spline coefficients (Unser's recursive
 * filter, pole sqrt(3) - 2, mirror-symmetric ends). */
static void spline_coefficients(const float *row, long n, double *c)
{
    const long m = n + 2 * SPLINE_PAD;
    const double z = sqrt(3.0) - 2.0;
    for (long k = 0; k < m; k++) {
        long j = k - SPLINE_PAD;
        c[k] = row[j < 0 ? 0 : j >= n ? n - 1 : j];
    }
    double sum = c[0], zk = z;
    for (long k = 1; k < m && fabs(zk) > 1e-16; k++, zk *= z)
        sum += zk * c[k];
    c[0] = sum;
    for (long k = 1; k < m; k++)
        c[k] += z * c[k - 1];
    c[m - 1] = z / (z * z - 1.0) * (c[m - 1] + z * c[m - 2]);
    for (long k = m - 2; k >= 0; k--)
        c[k] = z * (c[k + 1] - c[k]);
    for (long k = 0; k < m; k++)
        c[k] *= 6.0;
}

/* The row's spline at position x, within a pixel of the row. */
static double spline_at(const double *c, double x)
{
    x += SPLINE_PAD;
    long k0 = (long)floor(x) - 1;
    double acc = 0;
    for (long k = k0; k <= k0 + 3; k++)
        acc += c[k] * bspline3(x - (double)k);
    return acc;
}

/* Where a 360-degree sinogram's halves go. The second half-turn, flipped
 * left to right, is the first seen from the other side of the axis: raw
 * column j of it belongs at the mirror image 2 c - j of its column. So the
 * halves overlap by 2 (W - c) - 1 columns (axis right of the middle) or
 * 2 c + 1 (left): `overlap` columns, rounded, with the second half moved by
 * the fraction left over (`shift`, in (-0.5, 0.5]). In the 2W-wide output
 * the first half starts at column first1 and the second at first2; the
 * rest repeats the outer half's edge. */
struct stitch {
    bool left;
    long overlap, first1, first2;
    double shift;       /* the second half is read at x + shift */
    double cor;         /* the axis in the output */
};

static struct stitch stitch_geometry(double c, long width)
{
    struct stitch g = {.left = c < (width - 1) / 2.0};
    double overlap = g.left ? 2.0 * c + 1.0 : 2.0 * (width - c) - 1.0;
    g.overlap = (long)floor(overlap + 0.5);
    double fraction = overlap - (double)g.overlap;
    if (g.left) {
        /* second half first, ending where the first begins to overlap */
        g.first2 = g.overlap, g.first1 = width;
        g.shift = -fraction;
        g.cor = (double)width + c;
    } else {
        g.first1 = 0, g.first2 = width - g.overlap;
        g.shift = fraction;
        g.cor = c;
    }
    return g;
}

/* The linear wedge over the overlap (numpy.linspace(1, 0, overlap)): the
 * weight of the half whose overlap is its last columns, at position i of
 * the overlap (the other half has 1 minus it). */
static double wedge(long i, long overlap)
{
    return overlap == 1 ? 1.0 : 1.0 - (double)i / (double)(overlap - 1);
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
    double *coef = cv->scratch + (size_t)worker * (W + 2 * SPLINE_PAD);
    const struct stitch g = stitch_geometry(cv->centre[b->first + task], W);
    /* The halves' overlapping columns, in each half's own columns: the
     * first half's start (left) or end (right), the second's other end. */
    const long o1 = g.left ? 0 : W - g.overlap, o2 = g.left ? W - g.overlap : 0;
    double sum1 = 0, sum2 = 0;
    for (long r = 0; r < H; r++) {
        const float *row1 = sino + r * W, *row2 = sino + (cv->angles - H + r) * W;
        spline_coefficients(row2, W, coef);
        float *o = out + r * 2 * W;
        for (long x = 0; x < 2 * W; x++)
            o[x] = 0.0f;
        for (long x = 0; x < W; x++) {
            /* second half: flipped, moved by the fraction */
            double v2 = spline_at(coef, (double)(W - 1 - x) - g.shift);
            o[g.first2 + x] = (float)v2;
        }
        for (long i = 0; i < g.overlap; i++) {
            sum1 += fabsf(row1[o1 + i]);
            sum2 += fabsf(o[g.first2 + o2 + i]);
        }
    }
    /* the second half scaled to the first's mean over the overlap (Savu) */
    const double ratio = sum2 != 0 ? sum1 / sum2 : 1.0;
    for (long r = 0; r < H; r++) {
        const float *row1 = sino + r * W;
        float *o = out + r * 2 * W;
        for (long x = 0; x < W; x++) {
            double v2 = o[g.first2 + x] * ratio;
            /* the wedges: the half on the left fades out over the overlap */
            long i2 = x - o2;
            double w2 = i2 < 0 || i2 >= g.overlap ? 1.0
                        : g.left                 ? wedge(i2, g.overlap)
                                                 : 1.0 - wedge(i2, g.overlap);
            o[g.first2 + x] = (float)(v2 * w2);
        }
        for (long x = 0; x < W; x++) {
            long i1 = x - o1;
            double w1 = i1 < 0 || i1 >= g.overlap ? 1.0
                        : g.left                 ? 1.0 - wedge(i1, g.overlap)
                                                 : wedge(i1, g.overlap);
            o[g.first1 + x] += (float)(row1[x] * w1);
        }
        /* beyond the stitched width: the outer half's edge repeated */
        if (g.left)
            for (long x = 0; x < g.first2; x++)
                o[x] = o[g.first2];
        else
            for (long x = g.first2 + W; x < 2 * W; x++)
                o[x] = o[g.first2 + W - 1];
    }
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
    cv->scratch = malloc(sizeof(double) * (cv->width + 2 * SPLINE_PAD) * savu_threads(inst));
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
        struct stitch g = stitch_geometry(c, cv->width);
        if (g.overlap < 2) {
            free(cor);
            return savu_fail(inst, "parameter center: %g leaves the two half-turns %ld "
                                   "overlapping column(s), too few to blend (keep it from 0.25 "
                                   "to %g)",
                             c, g.overlap, cv->width - 1.25);
        }
        cv->centre[r] = c;
        cor[r] = g.cor;
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
