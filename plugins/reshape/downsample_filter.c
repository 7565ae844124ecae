/* downsample_filter.c: DownsampleFilter, whole (descriptor, set-up, CPU
 * path). Bins each projection or sinogram by bin_size x bin_size into one
 * value — mean, median, min or max of the bin — as Savu does with
 * skimage.measure.block_reduce: the frame is flipped first (flip_updown,
 * on by default as in Savu; flip_leftright), and bins past the frame's
 * edge count zeros for the missing values (block_reduce's cval 0). The
 * output frame has ceil(rows / bin) x ceil(columns / bin) values. Savu's
 * VOLUME_XZ mode, which also bins across slices, and rotate_angle are
 * refused at plan time (not here yet). */
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
         "Slices of a reconstruction, binned across slices too (not in this savu yet).", NULL}},
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
#include <stdlib.h>
#include <string.h>

enum bin_mode { BIN_MEAN, BIN_MEDIAN, BIN_MIN, BIN_MAX };

struct downsample {
    long bin, rows, cols, out_rows, out_cols;
    enum bin_mode mode;
    bool flip_ud, flip_lr;
    float *scratch;          /* bin x bin values per worker */
};

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* One value of a bin's n values, as numpy's mean, median, min, max. */
static float reduce_bin(float *v, long n, enum bin_mode mode)
{
    double acc = v[0];
    switch (mode) {
    case BIN_MEAN:
        for (long i = 1; i < n; i++)
            acc += v[i];
        return (float)(acc / (double)n);
    case BIN_MIN:
        for (long i = 1; i < n; i++)
            acc = v[i] < acc ? v[i] : acc;
        return (float)acc;
    case BIN_MAX:
        for (long i = 1; i < n; i++)
            acc = v[i] > acc ? v[i] : acc;
        return (float)acc;
    default:
        qsort(v, (size_t)n, sizeof *v, compare_floats);
        return n % 2 ? v[n / 2] : (float)(((double)v[n / 2 - 1] + v[n / 2]) / 2.0);
    }
}

static void downsample_frame(void *ctx, const float *in, float *out, int worker)
{
    const struct downsample *ds = ctx;
    float *v = ds->scratch + (size_t)worker * ds->bin * ds->bin;
    for (long oy = 0; oy < ds->out_rows; oy++)
        for (long ox = 0; ox < ds->out_cols; ox++) {
            long n = 0;
            for (long y = oy * ds->bin; y < (oy + 1) * ds->bin; y++)
                for (long x = ox * ds->bin; x < (ox + 1) * ds->bin; x++) {
                    /* the flipped frame's (y, x); past its edge: 0 */
                    long sy = ds->flip_ud ? ds->rows - 1 - y : y;
                    long sx = ds->flip_lr ? ds->cols - 1 - x : x;
                    v[n++] = y < ds->rows && x < ds->cols ? in[sy * ds->cols + sx] : 0.0f;
                }
            out[oy * ds->out_cols + ox] = reduce_bin(v, n, ds->mode);
        }
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
    if (p != SAVU_PATTERN_PROJECTION && p != SAVU_PATTERN_SINOGRAM)
        return savu_fail(inst, "parameter pattern: VOLUME_XZ (binning across slices too) is "
                               "not supported here yet: use PROJECTION or SINOGRAM");
    long shape[3];
    savu_in_shape(inst, shape);
    struct downsample *ds = calloc(1, sizeof *ds);
    if (!ds)
        return savu_fail(inst, "out of memory");
    savu_set_private(inst, ds);
    const bool along_0 = p == SAVU_PATTERN_PROJECTION;
    ds->bin = bin;
    ds->rows = along_0 ? shape[1] : shape[0];
    ds->cols = shape[2];
    ds->out_rows = (ds->rows + bin - 1) / bin;
    ds->out_cols = (ds->cols + bin - 1) / bin;
    const char *mode = savu_param_string(inst, "mode");
    for (int m = 0; mode_options[m]; m++)
        if (mode && strcmp(mode, mode_options[m]) == 0)
            ds->mode = (enum bin_mode)m;
    ds->flip_ud = savu_param_bool(inst, "flip_updown");
    ds->flip_lr = savu_param_bool(inst, "flip_leftright");
    if (!(ds->scratch = malloc(sizeof(float) * bin * bin * savu_threads(inst))))
        return savu_fail(inst, "out of memory");
    long out[3] = {shape[0], shape[1], ds->out_cols};
    out[along_0 ? 1 : 0] = ds->out_rows;
    return savu_set_output(inst, out, NULL, NULL, p);
}

static int downsample_filter_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    savu_for_each_frame(inst, b, downsample_frame, savu_private(inst));
    return 0;
}

static void downsample_filter_teardown(struct savu_plugin_instance *inst)
{
    struct downsample *ds = savu_private(inst);
    if (ds)
        free(ds->scratch);
    free(ds);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_downsample_filter = {
    .name = "DownsampleFilter",
    .id = "savu.plugins.reshape.downsample_filter",
    .synopsis = "Bin each projection or sinogram: mean, median, min or max of bin x bin pixels.",
    .info = "As Savu: frames are flipped upside down first unless flip_updown is False, and the "
            "bins past the edge of a frame count zeros for the missing pixels.",
    .category = SAVU_CAT_FILTER,
    .params = downsample_filter_params,
    .n_params = SAVU_COUNT_OF(downsample_filter_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(downsample_filter_setup),
    .process = SAVU_RUN(downsample_filter_process),
    .teardown = SAVU_RUN(downsample_filter_teardown),
};
