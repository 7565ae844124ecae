/* downsample_filter.c: DownsampleFilter, whole (descriptor, set-up, CPU
 * path). Bins each projection or sinogram by bin_size x bin_size into one
 * value — mean, median, min or max of the bin — as Savu does with
 * skimage.measure.block_reduce: the frame is flipped first (flip_updown,
 * on by default as in Savu; flip_leftright), and bins past the frame's
 * edge count zeros for the missing values (block_reduce's cval 0). The
 * output frame has ceil(rows / bin) x ceil(columns / bin) values. With
 * VOLUME_XZ a reconstruction is binned in 3-D, bin_size slices to one (the
 * engine hands groups of slices: savu_set_frame_group), and num_bit 8 or
 * 16 gives Savu's integer levels from [min, max]. rotate_angle is refused
 * at plan time (not here yet). */
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
     .summary = "Rotate each projection by this angle in degrees first (only 0 here yet)."},
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

static void downsample_frame(void *ctx, const float *in, float *out, int worker)
{
    savu_bin_group(ctx, in, out, worker, 1);
}

struct volume_block {
    const struct savu_bin *ds;
    const float *in;
    float *out;
    long first;              /* the block's first output frame */
};

static void downsample_slab(void *ctx, int task, int worker)
{
    const struct volume_block *b = ctx;
    const struct savu_bin *ds = b->ds;
    const size_t in_frame = (size_t)ds->depth * ds->rows * ds->cols;
    const size_t out_frame = (size_t)ds->out_rows * ds->out_cols;
    long valid = ds->frames - (b->first + task) * ds->depth;
    savu_bin_group(ds, b->in + task * in_frame, b->out + task * out_frame, worker,
                     valid < ds->depth ? valid : ds->depth);
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
    const char *angle = savu_param_json(inst, "rotate_angle");
    if (!angle || (strcmp(angle, "0.0") != 0 && strcmp(angle, "0") != 0))
        return savu_fail(inst, "parameter rotate_angle: %s: only 0 (no rotation) is supported "
                               "here yet", angle ? angle : "");
    const enum savu_pattern p = savu_in_pattern(inst);
    const bool volume = p == SAVU_PATTERN_VOLUME_XZ;
    long shape[3];
    savu_in_shape(inst, shape);
    struct savu_bin *ds = calloc(1, sizeof *ds);
    if (!ds)
        return savu_fail(inst, "out of memory");
    savu_set_private(inst, ds);
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
    if (!(ds->scratch = malloc(sizeof(float) * ds->depth * bin * bin * savu_threads(inst))))
        return savu_fail(inst, "out of memory");
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
    const struct savu_bin *ds = savu_private(inst);
    if (ds->depth == 1) {
        savu_for_each_frame(inst, b, downsample_frame, savu_private(inst));
        return 0;
    }
    struct volume_block blk = {ds, savu_block_in(b), savu_block_out(b), savu_block_first(b)};
    savu_parallel_for(inst, (int)savu_block_frames(b), downsample_slab, &blk);
    return 0;
}

static void downsample_filter_teardown(struct savu_plugin_instance *inst)
{
    struct savu_bin *ds = savu_private(inst);
    if (ds)
        free(ds->scratch);
    free(ds);
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
