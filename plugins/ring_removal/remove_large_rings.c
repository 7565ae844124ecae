/* remove_large_rings.c: RemoveLargeRings, Savu's plugin of algorithm 5 of
 * Vo et al. 2018 (descriptor; the method is kernels/cpu/ring_removal.c).
 * Wide stripes are found from the ratio of each column's sorted mean to
 * that of its median-filtered neighbours (algorithm 4's detection by
 * snr); every column is normalised by that ratio and the stripes found are
 * replaced by the sorted, filtered values. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def remove_large_rings_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "size",
        .dtype = "float",
        .default_json = "71",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Size of the median filter window. Used to detect and remove large stripes.",
        .verbose = "Width in detector pixels (odd) of the median filter applied across the "
                   "detector to the sorted sinogram; it should be wider than the widest "
                   "stripe.",
        .range = "odd, 1 to the detector width",
    },
    {
        .name = "snr",
        .dtype = "float",
        .default_json = "3.0",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Ratio used to locate large stripes. Greater is less sensitive.",
        .verbose = "A column is a stripe where its ratio departs from the fitted noise level "
                   "by more than snr / 2 times that level (algorithm 4 of the paper).",
        .range = "above 0 (above 1 in practice)",
    },
};

static const struct savu_citation remove_large_rings_citations[] = {
    RING_VO2018_CITATION("The ring removal is algorithm 5 (large stripes, located by "
                         "algorithm 4) of this work."),
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int remove_large_rings_setup(struct savu_plugin_instance *inst)
{
    struct ring_settings s = {.method = RING_LARGE};
    if (ring_param_size(inst, "size", &s.size) || ring_param_positive(inst, "snr", &s.snr))
        return -1;
    return ring_setup(inst, &s);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_remove_large_rings = {
    .name = "RemoveLargeRings",
    .id = "savu.plugins.ring_removal.remove_large_rings",
    .synopsis = "Remove large stripes in sinograms (wide rings).",
    .info = "Algorithm 5 of Vo et al. 2018 (as algotom's remove_large_stripe): stripes are "
            "located by `snr` on the ratio of each sorted column's mean (10% of the rows "
            "dropped) to that of the sorted sinogram median filtered with `size` pixels; "
            "every column is divided by its ratio and the located stripes, widened by a "
            "pixel each side, are replaced by the filtered values.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = remove_large_rings_params,
    .n_params = SAVU_COUNT_OF(remove_large_rings_params),
    .citations = remove_large_rings_citations,
    .n_citations = SAVU_COUNT_OF(remove_large_rings_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .scratch_fixed_frames = RING_SCRATCH_FRAMES,
    .setup = SAVU_RUN(remove_large_rings_setup),
    .process = SAVU_RUN(ring_process),
    .teardown = SAVU_RUN(ring_teardown),
};
