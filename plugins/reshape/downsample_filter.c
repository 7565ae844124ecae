/* downsample_filter.c: DownsampleFilter, whole (descriptor, set-up, CPU
 * path). Bins each projection or sinogram by bin_size x bin_size into one
 * value — mean, median, min or max of the bin — as Savu does with
 * skimage.measure.block_reduce: the frame is flipped first (flip_updown,
 * on by default as in Savu; flip_leftright), and bins past the frame's
 * edge count zeros for the missing values (block_reduce's cval 0). The
 * output frame has ceil(rows / bin) x ceil(columns / bin) values. With
 * VOLUME_XZ a reconstruction is binned in 3-D, bin_size slices to one (the
 * engine hands groups of slices: savu_set_frame_group), and num_bit 8 or
 * 16 gives Savu's integer levels from [min, max]. rotate_angle turns each
 * projection (before the flips) or slice (after them) as Savu's
 * scipy.ndimage.rotate does (kernels/cpu/spline.h). */
#include "builtin_plugin.h"
#include "common_params.h"

static const char *const mode_options[] = {"mean", "median", "min", "max", NULL};
static const char *const ds_pattern_options[] = {"PROJECTION", "SINOGRAM", "VOLUME_XZ", NULL};

static const struct savu_param_def downsample_filter_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "bin_size", .dtype = "int", .default_json = "3", .visibility = SAVU_VIS_BASIC,
     .summary = "Pixels along each side of a bin: the frame shrinks by this factor."},
    {.name = "mode", .dtype = "str", .default_json = "\"mean\"", .visibility = SAVU_VIS_BASIC,
     .summary = "How a bin becomes one value.", .options = mode_options,
     .option_descriptions = (const char *const[]){"The mean of the bin.",
                                                  "The median of the bin.",
                                                  "The least value of the bin.",
                                                  "The largest value of the bin.", NULL}},
    {.name = "pattern", .dtype = "str", .default_json = "\"PROJECTION\"",
     .visibility = SAVU_VIS_BASIC, .summary = "The frames that are binned.",
     .options = ds_pattern_options,
     .option_descriptions = (const char *const[]){
         "Each projection: detector rows and columns.",
         "Each sinogram: angles and detector columns.",
         "Slices of a reconstruction, binned across slices too.", NULL}},
    {.name = "num_bit", .dtype = "int", .default_json = "32", .visibility = SAVU_VIS_BASIC,
     .summary = "VOLUME_XZ only: 8 or 16 to store integers scaled from [min, max]."},
    {.name = "flip_updown", .dtype = "bool", .default_json = "true",
     .visibility = SAVU_VIS_BASIC, .summary = "Flip each frame upside down before binning."},
    {.name = "flip_leftright", .dtype = "bool", .default_json = "false",
     .visibility = SAVU_VIS_BASIC, .summary = "Flip each frame left to right before binning."},
    {.name = "rotate_angle", .dtype = "[float, str, list[float], dict{int:float}]",
     .default_json = "0.0", .visibility = SAVU_VIS_BASIC,
     .summary = "Rotate each projection (or reconstructed slice) by this angle in degrees "
                "first.",
     .verbose = "As scipy.ndimage.rotate with Savu's settings (cubic spline, edges repeated, "
                "the frame's size kept): projections are turned before the flips, slices of a "
                "reconstruction after them; sinograms are not turned. One angle for every "
                "frame."},
    {.name = "max", .dtype = "[None,float]", .default_json = "null",
     .visibility = SAVU_VIS_BASIC, .summary = "VOLUME_XZ with num_bit 8 or 16: the top of the range."},
    {.name = "min", .dtype = "[None,float]", .default_json = "null",
     .visibility = SAVU_VIS_BASIC, .summary = "VOLUME_XZ with num_bit 8 or 16: the bottom of the range."},
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/bin_reduce.h"
#include "cpu/spline.h"

/* The plugin's state: the binning, and the rotation before it. */
struct downsample {
    struct savu_bin bin;
    double angle;            /* rotate_angle, degrees (0: none) */
    float *turned;           /* per worker: depth + 1 frames */
    double *coef;            /* per worker: one frame's spline coefficients */
};

/* A group of `valid` frames (of bin.depth) into one output frame: each frame
 * flipped (VOLUME_XZ: before the turn, as Savu) and turned by the angle,
 * then binned. PROJECTION frames are turned, then flipped (Savu's order). */
static void downsample_group(const struct downsample *d, const float *in, float *out,
                             int worker, long valid)
{
    const struct savu_bin *b = &d->bin;
    if (d->angle == 0) {
        savu_bin_group(b, in, out, worker, valid);
        return;
    }
    const size_t frame = (size_t)b->rows * b->cols;
    float *turned = d->turned + (size_t)worker * (b->depth + 1) * frame;
    float *flipped = turned + b->depth * frame;
    double *coef = d->coef + (size_t)worker * savu_spline_frame_doubles(b->rows, b->cols);
    struct savu_bin plain = *b;
    const bool volume = b->depth > 1;
    for (long z = 0; z < valid; z++) {
        const float *src = in + z * frame;
        if (volume) { /* flips first */
            for (long y = 0; y < b->rows; y++)
                for (long x = 0; x < b->cols; x++)
                    flipped[y * b->cols + x] = src[(b->flip_ud ? b->rows - 1 - y : y) * b->cols +
                                                   (b->flip_lr ? b->cols - 1 - x : x)];
            src = flipped;
        }
        savu_spline_rotate(src, b->rows, b->cols, d->angle, turned + z * frame, coef);
    }
    if (volume)
        plain.flip_ud = plain.flip_lr = false;
    savu_bin_group(&plain, turned, out, worker, valid);
}

static void downsample_frame(void *ctx, const float *in, float *out, int worker)
{
    downsample_group(ctx, in, out, worker, 1);
}

struct volume_block {
    const struct downsample *d;
    const float *in;
    float *out;
    long first;              /* the block's first output frame */
};

static void downsample_slab(void *ctx, int task, int worker)
{
    const struct volume_block *vb = ctx;
    const struct savu_bin *b = &vb->d->bin;
    const size_t in_frame = (size_t)b->depth * b->rows * b->cols;
    const size_t out_frame = (size_t)b->out_rows * b->out_cols;
    long valid = b->frames - (vb->first + task) * b->depth;
    downsample_group(vb->d, vb->in + task * in_frame, vb->out + task * out_frame, worker,
                     valid < b->depth ? valid : b->depth);
}

/* rotate_angle: one number of degrees for every frame (Savu's code turns
 * by a number alone, though its type allows lists and dictionaries). */
static int rotation_angle(struct savu_plugin_instance *inst, enum savu_pattern p, double *angle)
{
    const char *text = savu_param_json(inst, "rotate_angle");
    char *end = NULL;
    *angle = text ? strtod(text, &end) : NAN;
    if (!text || end == text || *end != '\0' || !isfinite(*angle))
        return savu_fail(inst, "parameter rotate_angle: %s: give one angle in degrees for "
                               "every frame", text ? text : "");
    if (p == SAVU_PATTERN_SINOGRAM)
        *angle = 0; /* Savu turns projections and slices, not sinograms */
    return 0;
}

/* VOLUME_XZ with num_bit 8 or 16: the range to scale from, given. */
static int quantising(struct savu_plugin_instance *inst, struct savu_bin *ds, bool volume)
{
    double bits = savu_param_number(inst, "num_bit");
    if (!volume || (bits != 8 && bits != 16))
        return 0;   /* Savu: 32 (or anything else) keeps floats */
    const char *lo = savu_param_json(inst, "min"), *hi = savu_param_json(inst, "max");
    if (!lo || !hi || strcmp(lo, "null") == 0 || strcmp(hi, "null") == 0)
        return savu_fail(inst, "parameter min: num_bit %g needs min and max (the data's "
                               "range is not known before the run)", bits);
    ds->lo = savu_param_number(inst, "min");
    ds->hi = savu_param_number(inst, "max");
    if (!(ds->hi > ds->lo))
        return savu_fail(inst, "parameter max: %g is not above min (%g)", ds->hi, ds->lo);
    ds->levels = bits == 8 ? 255.0 : 65535.0;
    return 0;
}

static int downsample_filter_setup(struct savu_plugin_instance *inst)
{
    const long bin = (long)savu_param_number(inst, "bin_size");
    if (bin < 1)
        return savu_fail(inst, "parameter bin_size: %ld must be 1 or more", bin);
    const enum savu_pattern p = savu_in_pattern(inst);
    double angle;
    if (rotation_angle(inst, p, &angle) != 0)
        return -1;
    const bool volume = p == SAVU_PATTERN_VOLUME_XZ;
    long shape[3];
    savu_in_shape(inst, shape);
    struct downsample *d = calloc(1, sizeof *d);
    if (!d)
        return savu_fail(inst, "out of memory");
    savu_set_private(inst, d);
    struct savu_bin *ds = &d->bin;
    d->angle = angle;
    const bool along_0 = p == SAVU_PATTERN_PROJECTION;
    ds->bin = bin;
    ds->rows = along_0 ? shape[1] : shape[0];
    ds->cols = shape[2];
    ds->out_rows = (ds->rows + bin - 1) / bin;
    ds->out_cols = (ds->cols + bin - 1) / bin;
    ds->depth = volume ? bin : 1;
    ds->frames = shape[1];
    const char *mode = savu_param_string(inst, "mode");
    for (int m = 0; mode_options[m]; m++)
        if (mode && strcmp(mode, mode_options[m]) == 0)
            ds->mode = (enum savu_bin_mode)m;
    ds->flip_ud = savu_param_bool(inst, "flip_updown");
    ds->flip_lr = savu_param_bool(inst, "flip_leftright");
    if (quantising(inst, ds, volume) != 0)
        return -1;
    const int workers = savu_threads(inst);
    if (!(ds->scratch = malloc(sizeof(float) * ds->depth * bin * bin * workers)))
        return savu_fail(inst, "out of memory");
    if (angle != 0 &&
        (!(d->turned = malloc(sizeof(float) * (ds->depth + 1) * ds->rows * ds->cols * workers)) ||
         !(d->coef = malloc(sizeof(double) * savu_spline_frame_doubles(ds->rows, ds->cols) *
                            workers))))
        return savu_fail(inst, "out of memory for turning frames of %ld x %ld", ds->rows,
                         ds->cols);
    long out[3] = {shape[0], shape[1], ds->out_cols};
    out[along_0 ? 1 : 0] = ds->out_rows;
    if (volume) /* every dim binned: bin slices make one */
        out[1] = (shape[1] + bin - 1) / bin;
    if (volume && savu_set_frame_group(inst, (int)bin) != 0)
        return -1;
    return savu_set_output(inst, out, NULL, NULL, p);
}

static int downsample_filter_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    const struct downsample *d = savu_private(inst);
    if (d->bin.depth == 1) {
        savu_for_each_frame(inst, b, downsample_frame, savu_private(inst));
        return 0;
    }
    struct volume_block blk = {d, savu_block_in(b), savu_block_out(b), savu_block_first(b)};
    savu_parallel_for(inst, (int)savu_block_frames(b), downsample_slab, &blk);
    return 0;
}

static void downsample_filter_teardown(struct savu_plugin_instance *inst)
{
    struct downsample *d = savu_private(inst);
    if (d) {
        free(d->bin.scratch);
        free(d->turned);
        free(d->coef);
    }
    free(d);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_downsample_filter = {
    .name = "DownsampleFilter",
    .id = "savu.plugins.reshape.downsample_filter",
    .synopsis = "Bin each projection or sinogram (mean, median, min or max of bin x bin "
                "pixels), or a reconstruction in 3-D (VOLUME_XZ).",
    .info = "As Savu: frames are flipped upside down first unless flip_updown is False, and the "
            "bins past the edge of a frame count zeros for the missing pixels. VOLUME_XZ bins "
            "bin_size slices into one too; with num_bit 8 or 16 values are clipped to [min, "
            "max] and given as integer levels (stored as floats).",
    .category = SAVU_CAT_FILTER,
    .params = downsample_filter_params,
    .n_params = SAVU_COUNT_OF(downsample_filter_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(downsample_filter_setup),
    .process = SAVU_RUN(downsample_filter_process),
    .teardown = SAVU_RUN(downsample_filter_teardown),
};
