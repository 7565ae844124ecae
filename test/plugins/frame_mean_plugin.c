/* frame_mean_plugin.c: a third-party plugin for the engine's tests that
 * needs neighbouring frames: FrameMean3 replaces every projection by the
 * mean of itself and the one before and after it (pad_frames = 1), in
 * the pattern its `pattern` parameter names (PROJECTION or SINOGRAM), so a
 * block boundary or a rank boundary that handed it the wrong neighbours
 * would show in the result. Loaded through SAVU_PLUGIN_PATH. */
#include <savu_plugin.h>

static const struct savu_param_def frame_mean_params[] = {
    {.name = "in_datasets", .dtype = "list[str]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to process."},
    {.name = "out_datasets", .dtype = "list[str]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to create."},
    {.name = "pattern", .dtype = "str", .default_json = "\"PROJECTION\"",
     .visibility = SAVU_VIS_BASIC, .summary = "PROJECTION or SINOGRAM frames.",
     .options = (const char *const[]){"PROJECTION", "SINOGRAM", NULL}},
};

static int frame_mean_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    long shape[3];
    savu_in_shape(inst, shape);
    const long rows = savu_in_pattern(inst) == SAVU_PATTERN_PROJECTION ? shape[1] : shape[0];
    const long frame = rows * shape[2], n = savu_block_frames(block);
    const float *in = savu_block_in(block); /* n + 2 frames */
    float *out = savu_block_out(block);
    for (long f = 0; f < n; f++)
        for (long i = 0; i < frame; i++)
            out[f * frame + i] = (in[f * frame + i] + in[(f + 1) * frame + i] +
                                  in[(f + 2) * frame + i]) / 3.0f;
    return 0;
}

static const struct savu_plugin frame_mean = {
    .name = "FrameMean3",
    .id = "savu_tests.plugins.frame_mean3",
    .synopsis = "Mean of each projection and its two neighbours (a test of padding).",
    .category = SAVU_CAT_FILTER,
    .params = frame_mean_params,
    .n_params = sizeof frame_mean_params / sizeof frame_mean_params[0],
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .pad_frames = 1,
    .process = frame_mean_process,
};

const int savu_plugin_abi = SAVU_PLUGIN_ABI;

const struct savu_plugin *const savu_plugin_table[] = {&frame_mean, NULL};
