/* example_plugin.c: a complete third-party plugin, as savu-plugin(7)
 * describes: one descriptor with its set-up, process and tear-down
 * functions, and the two symbols savu looks for. ExampleScale multiplies
 * (or divides) every value of each projection by `factor`. Build it as a
 * shared object against the installed header,
 *   cc -shared -fPIC $(pkg-config --cflags savu-plugin) example_plugin.c -o example_plugin.so
 * and put the directory holding it in SAVU_PLUGIN_PATH. The test suite
 * builds it as a libtool module and loads it through SAVU_PLUGIN_PATH. */
#include <stdlib.h>
#include <string.h>
#include <savu_plugin.h>

static const char *const mode_options[] = {"multiply", "divide", NULL};

static const struct savu_param_def example_params[] = {
    {
        .name = "in_datasets",
        .dtype = "list[str]",
        .default_json = "[]",
        .visibility = SAVU_VIS_DATASETS,
        .summary = "A list of the dataset(s) to process.",
    },
    {
        .name = "out_datasets",
        .dtype = "list[str]",
        .default_json = "[]",
        .visibility = SAVU_VIS_DATASETS,
        .summary = "A list of the dataset(s) to create.",
    },
    {
        .name = "factor",
        .dtype = "float",
        .default_json = "2.0",
        .visibility = SAVU_VIS_BASIC,
        .summary = "The number every value is multiplied or divided by.",
    },
    {
        .name = "mode",
        .dtype = "str",
        .default_json = "\"multiply\"",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Whether to multiply or divide by the factor.",
        .options = mode_options,
    },
};

static const struct savu_citation example_citations[] = {
    {
        .label = "Example2024",
        .description = "The scaling used in this processing chain is explained in this work.",
        .doi = "10.5281/zenodo.0000000",
        .bibtex = "@misc{example2024,\ntitle={An example plugin},\nyear={2024}\n}\n",
        .endnote = "%0 Generic\n%T An example plugin\n%D 2024\n",
    },
};

/* What setup reads once; process and teardown use it. */
struct example_state {
    double factor;
    int divide;
};

/* Once per instance (one per combination of tuned values), before any
 * block: read the parameters, check them, keep them. The output keeps the
 * input's shape, axes and pattern, so there is no savu_set_output call. */
static int example_setup(struct savu_plugin_instance *inst)
{
    const char *mode = savu_param_string(inst, "mode");
    struct example_state *st = malloc(sizeof *st);
    if (!st)
        return savu_fail(inst, "out of memory");
    st->factor = savu_param_number(inst, "factor");
    st->divide = mode && strcmp(mode, "divide") == 0;
    savu_set_private(inst, st); /* teardown frees it, even if setup fails below */
    if (st->divide && st->factor == 0)
        return savu_fail(inst, "parameter factor: cannot divide by 0");
    return 0;
}

/* Once per call: savu_block_frames(block) projections (one, as max_frames
 * is 1), each [detector_y][detector_x], from in to out. */
static int example_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    const struct example_state *st = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    const long n = savu_block_frames(block) * shape[1] * shape[2];
    const float *in = savu_block_in(block);
    float *out = savu_block_out(block);
    for (long i = 0; i < n; i++)
        out[i] = (float)(st->divide ? in[i] / st->factor : in[i] * st->factor);
    return 0;
}

static void example_teardown(struct savu_plugin_instance *inst)
{
    free(savu_private(inst));
}

static const struct savu_plugin example_scale = {
    .name = "ExampleScale",
    .id = "example.plugins.example_scale",
    .synopsis = "Multiply (or divide) every value by a factor.",
    .category = SAVU_CAT_FILTER,
    .params = example_params,
    .n_params = sizeof example_params / sizeof example_params[0],
    .citations = example_citations,
    .n_citations = sizeof example_citations / sizeof example_citations[0],
    .pattern = SAVU_PATTERN_PROJECTION,
    .max_frames = 1,
    .setup = example_setup,
    .process = example_process,
    .teardown = example_teardown,
};

const int savu_plugin_abi = SAVU_PLUGIN_ABI;

const struct savu_plugin *const savu_plugin_table[] = {&example_scale, NULL};
