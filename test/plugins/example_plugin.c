/* example_plugin.c: a complete third-party plugin, as savu-plugin(7)
 * describes: one descriptor and the two symbols savu looks for. Build it as
 * a shared object against the installed header,
 *   cc -shared -fPIC $(pkg-config --cflags savu-plugin) example_plugin.c -o example_plugin.so
 * and put the directory holding it in SAVU_PLUGIN_PATH. The test suite
 * builds it as a libtool module and loads it through SAVU_PLUGIN_PATH. */
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
    /* setup/process stay NULL until the engine's block API exists. */
};

const int savu_plugin_abi = SAVU_PLUGIN_ABI;

const struct savu_plugin *const savu_plugin_table[] = {&example_scale, NULL};
