/* remove_all_rings.c: RemoveAllRings, Savu's plugin combining algorithms
 * 6, 5 and 3 of Vo et al. 2018 (descriptor; the methods are
 * kernels/cpu/ring_removal.c): unresponsive and fluctuating stripes, then
 * large stripes (both with la_size), then small-to-medium stripes by
 * sorting (sm_size) — the ring removal most of Diamond's lists use. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def remove_all_rings_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "sm_size",
        .dtype = "int",
        .default_json = "31",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Size of the median filter window to remove small-to-medium stripes.",
        .verbose = "Width in detector pixels (odd) of the median filter of the sorting step "
                   "(algorithm 3).",
        .range = "odd, 1 to the detector width",
    },
    {
        .name = "la_size",
        .dtype = "int",
        .default_json = "71",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Size of the median filter window to remove large stripes.",
        .verbose = "Width in detector pixels (odd) of the median filters of the unresponsive "
                   "and large stripe steps (algorithms 6 and 5); wider than the widest stripe.",
        .range = "odd, 1 to the detector width",
    },
    {
        .name = "snr",
        .dtype = "float",
        .default_json = "3.0",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Ratio used to detect locations of stripes. Greater is less sensitive.",
        .verbose = "A column is a stripe where its ratio departs from the fitted noise level "
                   "by more than snr / 2 times that level (algorithm 4 of the paper).",
        .range = "above 0 (above 1 in practice)",
    },
};

static const struct savu_citation remove_all_rings_citations[] = {
    RING_VO2018_CITATION("The ring removal combines algorithms 6, 5 and 3 of this work."),
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int remove_all_rings_setup(struct savu_plugin_instance *inst)
{
    struct ring_settings s = {.method = RING_ALL};
    if (ring_param_size(inst, "sm_size", &s.small_size) ||
        ring_param_size(inst, "la_size", &s.size) || ring_param_positive(inst, "snr", &s.snr))
        return -1;
    return ring_setup(inst, &s);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_remove_all_rings = {
    .name = "RemoveAllRings",
    .id = "savu.plugins.ring_removal.remove_all_rings",
    .synopsis = "Remove all types of stripes in sinograms (rings): unresponsive, fluctuating, "
                "large, small and medium.",
    .info = "Algorithms 6, 5 and 3 of Vo et al. 2018 in turn (as algotom's "
            "remove_all_stripe): RemoveUnresponsiveAndFluctuatingRings without residual and "
            "RemoveLargeRings, both with la_size and snr, then RingRemovalSorting with "
            "sm_size.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = remove_all_rings_params,
    .n_params = SAVU_COUNT_OF(remove_all_rings_params),
    .citations = remove_all_rings_citations,
    .n_citations = SAVU_COUNT_OF(remove_all_rings_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .scratch_fixed_frames = RING_SCRATCH_FRAMES,
    .setup = SAVU_RUN(remove_all_rings_setup),
    .process = SAVU_RUN(ring_process),
    .teardown = SAVU_RUN(ring_teardown),
};
