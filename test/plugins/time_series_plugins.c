/* time_series_plugins.c: two third-party plugins for the engine's 4-D tests,
 * loaded through SAVU_PLUGIN_PATH.
 *
 * TimeSeriesPhantomLoader: a 4-D time series (rotation_angle, detector_y,
 * detector_x, scan), Savu's 4-D layout, whose values are a closed form:
 *     v(a, y, x, k) = exp(-(0.01 (a + 1) + 0.02 y + 0.003 x + 0.05 k))
 * so that -log(v) is linear in every index. Its data file is one line of
 * text, "ANGLES ROWS COLUMNS SCANS". It declares Savu's 4-D patterns —
 * PROJECTION (core detector_x, detector_y; slice rotation_angle, scan),
 * SINOGRAM (core detector_x, rotation_angle; slice detector_y, scan) and
 * TIMESERIES (core scan; slice the other three) — and computes any frames
 * of any of them.
 *
 * SubtractScanMean: TIMESERIES frames (one pixel over the scans) minus
 * their mean; on -log(v) above it leaves 0.05 (k - (SCANS - 1) / 2).
 *
 * NoPatternFilter and ReducesInSetup: broken definitions (no pattern; a
 * reduction outside finish) the engine refuses at plan time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <savu_plugin.h>

static const char *const labels[4] = {"rotation_angle", "detector_y", "detector_x", "scan"};
static const char *const units[4] = {"degrees", "pixel", "pixel", "number"};

/* Savu's 4-D patterns: core dims, then slice dims (first fastest). */
static const struct {
    enum savu_pattern pattern;
    int n_core, core[3], n_slice, slice[3];
} patterns[] = {
    {SAVU_PATTERN_PROJECTION, 2, {2, 1}, 2, {0, 3}},
    {SAVU_PATTERN_SINOGRAM, 2, {2, 0}, 2, {1, 3}},
    {SAVU_PATTERN_TIMESERIES, 1, {3}, 3, {0, 1, 2}},
};

struct series {
    long shape[4];
};

static double value_at(const long x[4])
{
    return exp(-(0.01 * (double)(x[0] + 1) + 0.02 * (double)x[1] + 0.003 * (double)x[2] +
                 0.05 * (double)x[3]));
}

static int series_open(struct savu_plugin_instance *inst, const char *data_file)
{
    struct series *s = calloc(1, sizeof *s);
    if (!s)
        return savu_fail(inst, "out of memory");
    savu_set_private(inst, s);
    FILE *f = fopen(data_file, "r");
    int got = f ? fscanf(f, "%ld %ld %ld %ld", &s->shape[0], &s->shape[1], &s->shape[2],
                         &s->shape[3])
                : -1;
    if (f)
        fclose(f);
    if (got != 4)
        return savu_fail(inst, "%s: expected one line 'ANGLES ROWS COLUMNS SCANS'", data_file);
    const char *name = savu_param_string(inst, "name");
    if (savu_loader_dataset(inst, name && *name ? name : "tomo", 4, s->shape, labels, units,
                            SAVU_PATTERN_PROJECTION) != 0)
        return -1;
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
        if (savu_add_pattern(inst, patterns[i].pattern, patterns[i].core, patterns[i].n_core,
                             patterns[i].slice, patterns[i].n_slice) != 0)
            return -1;
    double *angles = malloc(sizeof(double) * (size_t)s->shape[0]);
    if (!angles)
        return savu_fail(inst, "out of memory");
    for (long a = 0; a < s->shape[0]; a++)
        angles[a] = 180.0 * (double)a / (double)s->shape[0];
    int rc = savu_meta_set_angles(inst, angles, s->shape[0]);
    free(angles);
    return rc;
}

static int series_read(struct savu_plugin_instance *inst, enum savu_pattern pattern, long first,
                       long count, float *out)
{
    const struct series *s = savu_private(inst);
    size_t p = 0;
    while (p < sizeof patterns / sizeof patterns[0] && patterns[p].pattern != pattern)
        p++;
    if (p == sizeof patterns / sizeof patterns[0])
        return savu_fail(inst, "cannot read frames of pattern %d", (int)pattern);
    bool core[4] = {false};
    long frame_size = 1;
    for (int i = 0; i < patterns[p].n_core; i++) {
        core[patterns[p].core[i]] = true;
        frame_size *= s->shape[patterns[p].core[i]];
    }
    for (long f = 0; f < count; f++)
        for (long e = 0; e < frame_size; e++) {
            long x[4], rest = first + f;
            for (int i = 0; i < patterns[p].n_slice; i++) { /* first slice dim fastest */
                int d = patterns[p].slice[i];
                x[d] = rest % s->shape[d];
                rest /= s->shape[d];
            }
            rest = e; /* core dims in the dataset's order, the last fastest */
            for (int d = 3; d >= 0; d--)
                if (core[d]) {
                    x[d] = rest % s->shape[d];
                    rest /= s->shape[d];
                }
            out[f * frame_size + e] = (float)value_at(x);
        }
    return 0;
}

static void series_close(struct savu_plugin_instance *inst)
{
    free(savu_private(inst));
}

static const struct savu_loader_ops series_ops = {
    .open = series_open,
    .read = series_read,
    .close = series_close,
};

static const struct savu_param_def loader_params[] = {
    {.name = "name", .dtype = "str", .default_json = "\"tomo\"", .visibility = SAVU_VIS_BASIC,
     .summary = "The name of the loaded dataset."},
};

static const struct savu_plugin series_loader = {
    .name = "TimeSeriesPhantomLoader",
    .id = "savu_tests.time_series_phantom_loader",
    .synopsis = "A 4-D time series whose values are a closed form (for the engine's tests).",
    .category = SAVU_CAT_LOADER,
    .params = loader_params,
    .n_params = 1,
    .pattern = SAVU_PATTERN_NONE,
    .loader = &series_ops,
};

/* ---- SubtractScanMean ---- */

static const struct savu_param_def subtract_params[] = {
    {.name = "in_datasets", .dtype = "list[str]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to process."},
    {.name = "out_datasets", .dtype = "list[str]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to create."},
};

static int subtract_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    const long size = savu_in_frame_size(inst);
    const float *in = savu_block_in(block);
    float *out = savu_block_out(block);
    for (long f = 0; f < savu_block_frames(block); f++) {
        double sum = 0;
        for (long i = 0; i < size; i++)
            sum += in[f * size + i];
        for (long i = 0; i < size; i++)
            out[f * size + i] = (float)(in[f * size + i] - sum / (double)size);
    }
    return 0;
}

static const struct savu_plugin subtract_scan_mean = {
    .name = "SubtractScanMean",
    .id = "savu_tests.subtract_scan_mean",
    .synopsis = "Each pixel's values over the scans minus their mean (for the engine's tests).",
    .category = SAVU_CAT_FILTER,
    .params = subtract_params,
    .n_params = 2,
    .pattern = SAVU_PATTERN_TIMESERIES,
    .process = subtract_process,
    .flags = SAVU_PLUGIN_ANY_DIMS,
};

/* A broken definition the engine must refuse at plan time, naming it: a
 * processing plugin that declares no pattern. */
static const struct savu_plugin no_pattern = {
    .name = "NoPatternFilter",
    .id = "savu_tests.no_pattern_filter",
    .synopsis = "A plugin that forgot its pattern (for the engine's tests).",
    .category = SAVU_CAT_FILTER,
    .params = subtract_params,
    .n_params = 2,
    .pattern = SAVU_PATTERN_NONE,
    .process = subtract_process,
};

/* Another: a reduction over the ranks in setup (reductions are for
 * finish), which the engine refuses at plan time, naming it. */
static int reduce_in_setup(struct savu_plugin_instance *inst)
{
    double value = 1;
    return savu_reduce_sum(inst, &value, 1);
}

static const struct savu_plugin reduces_in_setup = {
    .name = "ReducesInSetup",
    .id = "savu_tests.reduces_in_setup",
    .synopsis = "A plugin that reduces over the ranks in setup (for the engine's tests).",
    .category = SAVU_CAT_FILTER,
    .params = subtract_params,
    .n_params = 2,
    .pattern = SAVU_PATTERN_TIMESERIES,
    .setup = reduce_in_setup,
    .process = subtract_process,
    .flags = SAVU_PLUGIN_ANY_DIMS,
};

const struct savu_plugin *const savu_plugin_table[] = {&series_loader, &subtract_scan_mean,
                                                       &no_pattern, &reduces_in_setup, NULL};
const int savu_plugin_abi = SAVU_PLUGIN_ABI;
