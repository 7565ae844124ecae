/* sum_and_difference_plugin.c: a third-party plugin with several datasets
 * (SAVU_PLUGIN_MULTI_DATASETS), for engine-datasets.test, loaded through
 * SAVU_PLUGIN_PATH. SumAndDifference takes two datasets a and b (its
 * in_datasets) with the same frames and makes two (its out_datasets):
 * a + b and a - b, value by value, in the pattern its `pattern` parameter
 * names, on datasets of any dims. */
#include <savu_plugin.h>

static const struct savu_param_def params[] = {
    {.name = "in_datasets", .dtype = "[list[],list[str]]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "The two datasets a and b."},
    {.name = "out_datasets", .dtype = "[list[],list[str]]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "The names of a + b and a - b."},
    {.name = "pattern", .dtype = "str", .default_json = "\"PROJECTION\"",
     .visibility = SAVU_VIS_BASIC, .summary = "PROJECTION or SINOGRAM frames.",
     .options = (const char *const[]){"PROJECTION", "SINOGRAM", NULL}},
};

static int sum_setup(struct savu_plugin_instance *inst)
{
    if (savu_n_in_datasets(inst) != 2 || savu_n_out_datasets(inst) != 2)
        return savu_fail(inst, "takes two datasets and makes two (%d in, %d out)",
                         savu_n_in_datasets(inst), savu_n_out_datasets(inst));
    if (savu_in_frame_size_of(inst, 0) != savu_in_frame_size_of(inst, 1))
        return savu_fail(inst, "the two datasets' frames differ in size");
    return 0;
}

static int sum_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    const long n = savu_block_frames(block) * savu_in_frame_size_of(inst, 0);
    const float *a = savu_block_in_of(block, 0), *b = savu_block_in_of(block, 1);
    float *sum = savu_block_out_of(block, 0), *difference = savu_block_out_of(block, 1);
    for (long i = 0; i < n; i++) {
        sum[i] = a[i] + b[i];
        difference[i] = a[i] - b[i];
    }
    return 0;
}

static const struct savu_plugin sum_and_difference = {
    .name = "SumAndDifference",
    .id = "savu_tests.sum_and_difference",
    .synopsis = "a + b and a - b of two datasets (for the engine's tests).",
    .category = SAVU_CAT_OTHER,
    .params = params,
    .n_params = SAVU_COUNT_OF(params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .setup = sum_setup,
    .process = sum_process,
    .flags = SAVU_PLUGIN_MULTI_DATASETS | SAVU_PLUGIN_ANY_DIMS,
};

const struct savu_plugin *const savu_plugin_table[] = {&sum_and_difference, NULL};
const int savu_plugin_abi = SAVU_PLUGIN_ABI;
