/* fresnel_filter.c: FresnelFilter, whole (descriptor, set-up, CPU path).
 * Vo et al. 2021's low-pass filter based on the Fresnel propagator, with
 * Savu's parameters and behaviour (kernels/cpu/fresnel.h): along the
 * detector of each sinogram (SINOGRAM, the default) or over each projection
 * (PROJECTION, whose top 10 rows Savu replaces by the 11th, for detectors
 * that stamp the time there), padded by min(150, 10% of the detector width)
 * each side. Unlike Paganin's filter the result stays in transmission
 * (apply_log: -log before, exp(-x) after), so the reconstruction keeps its
 * log. Runs on the rank's threads, one frame per task. */
#include "builtin_plugin.h"
#include "common_params.h"

static const struct savu_param_def fresnel_filter_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "ratio", .dtype = "float", .default_json = "100.0", .visibility = SAVU_VIS_BASIC,
     .summary = "Control the strength of the filter. Greater is stronger.",
     .verbose = "The window divided into the spectrum is 1 + ratio x (u^2 + v^2), u and v the "
                "frequencies in cycles per pixel (v only for projections). 0 leaves the data "
                "unchanged.",
     .range = "0 or more"},
    {.name = "pattern", .dtype = "str", .default_json = "\"SINOGRAM\"",
     .visibility = SAVU_VIS_BASIC, .summary = "Data processing pattern.",
     .verbose = "SINOGRAM filters along the detector in each sinogram (1-D); PROJECTION "
                "filters each projection in both directions (2-D), its top 10 rows replaced by "
                "the 11th first, as Savu does.",
     .options = (const char *const[]){"PROJECTION", "SINOGRAM", NULL},
     .option_descriptions =
         (const char *const[]){"2-D filter on each projection.",
                               "1-D filter along the detector on each sinogram.", NULL}},
    {.name = "apply_log", .dtype = "bool", .default_json = "true",
     .visibility = SAVU_VIS_BASIC,
     .summary = "Apply the logarithm function to a sinogram/projection before filtering.",
     .verbose = "True: the filter acts on -log of the data and the result is exp(-x) of the "
                "filtered values, so transmission data stay transmission data. False: the "
                "data are filtered as they are (already log-scaled data)."},
};

static const struct savu_citation fresnel_filter_citations[] = {{
    .label = "Vo2021",
    .description = "The code is the implementation of the work taken from the following paper.",
    .doi = "10.1364/OE.418448",
    .bibtex = "@article{Vo:21,\n"
              "title={Data processing methods and data acquisition for samples larger than the "
              "field of view in parallel-beam tomography},\n"
              "author={Vo, Nghia T. and Atwood, Robert C. and Drakopoulos, Michael and "
              "Connolley, Thomas},\n"
              "journal={Opt. Express},\nnumber={12},\npages={17849--17874},\n"
              "publisher={OSA},\nvolume={29},\nmonth={Jun},\nyear={2021},\n"
              "doi={10.1364/OE.418448}}",
    .endnote = "%0 Journal Article\n%T Data processing methods and data acquisition for "
               "samples larger than the field of view in parallel-beam tomography\n"
               "%A Vo, Nghia T\n%A Atwood, Robert C\n%A Drakopoulos, Michael\n"
               "%A Connolley, Thomas\n%J Optics express\n%V 29\n%N 12\n%P 17849-17874\n"
               "%D 2021\n%I Optical Society of America",
}};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include "cpu/fresnel.h"

/* Savu's rows replaced at the top of a projection (time stamps). */
#define FRESNEL_TOP_DROP 10

static void fresnel_frame(void *ctx, const float *in, float *out, int worker)
{
    savu_fresnel_apply(ctx, worker, in, out);
}

static int fresnel_filter_setup(struct savu_plugin_instance *inst)
{
    double ratio = savu_param_number(inst, "ratio");
    if (!(ratio >= 0))
        return savu_fail(inst, "parameter ratio: %g is negative (0 or more)", ratio);
    long shape[3];
    savu_in_shape(inst, shape);
    const bool projection = savu_in_pattern(inst) == SAVU_PATTERN_PROJECTION;
    const long rows = projection ? shape[1] : shape[0], cols = shape[2];
    if (projection && rows <= FRESNEL_TOP_DROP)
        return savu_fail(inst, "parameter pattern: PROJECTION needs more than %d detector rows "
                               "(Savu replaces the top %d); these data have %ld",
                         FRESNEL_TOP_DROP, FRESNEL_TOP_DROP, rows);
    long pad = cols / 10 < 150 ? cols / 10 : 150;
    struct savu_fresnel_params p = {
        .ratio = ratio,
        .two_d = projection,
        .apply_log = savu_param_bool(inst, "apply_log"),
        .pad = (int)pad,
        .drop_top_rows = projection ? FRESNEL_TOP_DROP : 0,
    };
    savu_error err;
    savu_fresnel *filter =
        savu_fresnel_create((int)rows, (int)cols, &p, savu_threads(inst), &err);
    if (!filter)
        return savu_fail(inst, "%s", err.msg);
    savu_set_private(inst, filter);
    return 0;
}

static int fresnel_filter_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    savu_for_each_frame(inst, b, fresnel_frame, savu_private(inst));
    return 0;
}

static void fresnel_filter_teardown(struct savu_plugin_instance *inst)
{
    savu_fresnel_destroy(savu_private(inst));
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_fresnel_filter = {
    .name = "FresnelFilter",
    .id = "savu.plugins.filters.fresnel_filter",
    .synopsis = "A low-pass filter to improve the contrast of reconstructed images which is "
                "similar to the Paganin filter but can work on both sinograms and projections.",
    .info = "Divides the spectrum of each sinogram row (SINOGRAM) or projection (PROJECTION) "
            "by 1 + ratio x (u^2 + v^2) after padding by min(150, 10% of the detector width) "
            "edge pixels each side, as Savu and algotom do; with apply_log the filter works "
            "on -log of the data and returns exp(-x), so the data stay transmission data.",
    .warning = "In PROJECTION mode the top 10 detector rows are replaced by the 11th before "
               "filtering (Savu's removal of time stamps): preview away rows you need there, "
               "or use SINOGRAM.",
    .category = SAVU_CAT_FILTER,
    .params = fresnel_filter_params,
    .n_params = SAVU_COUNT_OF(fresnel_filter_params),
    .citations = fresnel_filter_citations,
    .n_citations = SAVU_COUNT_OF(fresnel_filter_citations),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(fresnel_filter_setup),
    .process = SAVU_RUN(fresnel_filter_process),
    .teardown = SAVU_RUN(fresnel_filter_teardown),
};
