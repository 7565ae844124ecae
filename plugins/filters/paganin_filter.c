/* paganin_filter.c: PaganinFilter, whole (descriptor, set-up, CPU path).
 * Paganin's phase retrieval for a single material (Paganin et al. 2002) on
 * each projection, with Savu's parameters, defaults and output convention
 * (kernels/cpu/paganin.h): the result is already -log scaled (times
 * ratio / 2), so the reconstruction after it runs with `log` False. Runs
 * on the rank's threads, one projection per task. */
#include "builtin_plugin.h"
#include "common_params.h"

static const char *const pad_options[] = {"edge", "reflect", "symmetric", "wrap", "constant",
                                          NULL};

static const struct savu_param_def paganin_filter_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "Ratio", .dtype = "float", .default_json = "250.0", .visibility = SAVU_VIS_BASIC,
     .summary = "The material's delta / beta (refractive index decrement over absorption "
                "index).",
     .verbose = "Larger values smooth more: the filter's width grows with the square root of "
                "ratio x wavelength x distance."},
    {.name = "Energy", .dtype = "float", .default_json = "53.0", .visibility = SAVU_VIS_BASIC,
     .summary = "X-ray energy in keV."},
    {.name = "Distance", .dtype = "float", .default_json = "1.0", .visibility = SAVU_VIS_BASIC,
     .summary = "Sample to detector distance in metres."},
    {.name = "Resolution", .dtype = "float", .default_json = "1.28",
     .visibility = SAVU_VIS_BASIC, .summary = "Detector pixel size in microns."},
    {.name = "Padtopbottom", .dtype = "int", .default_json = "100",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "Rows added above and below each projection before filtering."},
    {.name = "Padleftright", .dtype = "int", .default_json = "100",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "Columns added left and right of each projection before filtering."},
    {.name = "Padmethod", .dtype = "str", .default_json = "\"edge\"",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "How the padding is filled, as numpy.pad's modes.",
     .options = pad_options,
     .option_descriptions = (const char *const[]){
         "Repeat the edge pixel.", "Mirror without repeating the edge pixel.",
         "Mirror with the edge pixel repeated.", "Wrap around to the other side.",
         "Zeros (which, as in Savu, count as ones).", NULL}},
    {.name = "increment", .dtype = "float", .default_json = "0.0",
     .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "Added to every filtered value before the logarithm."},
};

static const struct savu_citation paganin_filter_citations[] = {{
    .label = "Paganin2002",
    .description = "The phase retrieval in this processing chain is taken from this work.",
    .doi = "10.1046/j.1365-2818.2002.01010.x",
    .bibtex = "@article{paganin2002simultaneous,\n"
              "title={Simultaneous phase and amplitude extraction from a single defocused "
              "image of a homogeneous object},\n"
              "author={Paganin, David and Mayo, Sheridan C and Gureyev, Tim E and Miller, "
              "Peter R and Wilkins, Steve W},\n"
              "journal={Journal of Microscopy},\nvolume={206},\nnumber={1},\n"
              "pages={33--40},\nyear={2002}\n}",
    .endnote = "%0 Journal Article\n%T Simultaneous phase and amplitude extraction from a "
               "single defocused image of a homogeneous object\n%A Paganin, David\n"
               "%A Mayo, Sheridan C\n%A Gureyev, Tim E\n%A Miller, Peter R\n"
               "%A Wilkins, Steve W\n%J Journal of Microscopy\n%V 206\n%N 1\n%P 33-40\n"
               "%D 2002",
}};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <string.h>
#include "cpu/paganin.h"

static void paganin_frame(void *ctx, const float *in, float *out, int worker)
{
    savu_paganin_apply(ctx, worker, in, out);
}

/* A parameter's check: one line naming it, at plan time. */
static int positive(struct savu_plugin_instance *inst, const char *name, bool zero_too)
{
    double v = savu_param_number(inst, name);
    if (!(zero_too ? v >= 0 : v > 0))
        return savu_fail(inst, "parameter %s: %g must be %s", name, v,
                         zero_too ? "0 or more" : "more than 0");
    return 0;
}

static int paganin_filter_setup(struct savu_plugin_instance *inst)
{
    if (positive(inst, "Ratio", false) || positive(inst, "Energy", false) ||
        positive(inst, "Distance", true) || positive(inst, "Resolution", false) ||
        positive(inst, "Padtopbottom", true) || positive(inst, "Padleftright", true) ||
        positive(inst, "increment", true))
        return -1;
    const char *mode = savu_param_string(inst, "Padmethod");
    int m = 0;
    while (pad_options[m] && (!mode || strcmp(pad_options[m], mode) != 0))
        m++;
    if (!pad_options[m])
        return savu_fail(inst, "parameter Padmethod: '%s' is not one of edge, reflect, "
                               "symmetric, wrap, constant", mode ? mode : "");
    long shape[3];
    savu_in_shape(inst, shape);
    struct savu_paganin_params p = {
        .energy_kev = savu_param_number(inst, "Energy"),
        .distance_m = savu_param_number(inst, "Distance"),
        .resolution_um = savu_param_number(inst, "Resolution"),
        .ratio = savu_param_number(inst, "Ratio"),
        .increment = savu_param_number(inst, "increment"),
        .pad_rows = (int)savu_param_number(inst, "Padtopbottom"),
        .pad_cols = (int)savu_param_number(inst, "Padleftright"),
        .pad_mode = (enum savu_pad_mode)m,
    };
    savu_error err;
    savu_paganin *pg = savu_paganin_create((int)shape[1], (int)shape[2], &p, savu_threads(inst),
                                           &err);
    if (!pg)
        return savu_fail(inst, "%s", err.msg);
    savu_set_private(inst, pg);
    return 0;
}

static int paganin_filter_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    savu_for_each_frame(inst, b, paganin_frame, savu_private(inst));
    return 0;
}

static void paganin_filter_teardown(struct savu_plugin_instance *inst)
{
    savu_paganin_destroy(savu_private(inst));
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_paganin_filter = {
    .name = "PaganinFilter",
    .id = "savu.plugins.filters.paganin_filter",
    .synopsis = "Phase retrieval of a single material (Paganin), on projections.",
    .info = "Filters each projection with Paganin's low-pass filter for a homogeneous object "
            "and returns -ratio/2 x log of the result, as Savu does: the data come out "
            "already log-scaled.",
    .warning = "Set the reconstruction's log parameter to False after this plugin. Previewing "
               "part of the detector changes the result (the filter is global): keep the "
               "rows consecutive.",
    .category = SAVU_CAT_FILTER,
    .params = paganin_filter_params,
    .n_params = SAVU_COUNT_OF(paganin_filter_params),
    .citations = paganin_filter_citations,
    .n_citations = SAVU_COUNT_OF(paganin_filter_citations),
    .pattern = SAVU_PATTERN_PROJECTION,
    .max_frames = 0,
    .setup = SAVU_RUN(paganin_filter_setup),
    .process = SAVU_RUN(paganin_filter_process),
    .teardown = SAVU_RUN(paganin_filter_teardown),
};
