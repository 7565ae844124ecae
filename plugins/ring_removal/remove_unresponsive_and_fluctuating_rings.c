/* remove_unresponsive_and_fluctuating_rings.c:
 * RemoveUnresponsiveAndFluctuatingRings, Savu's plugin of algorithm 6 of
 * Vo et al. 2018 (descriptor; the method is kernels/cpu/ring_removal.c).
 * Columns of dead or fluctuating pixels are found from how far each column
 * departs from its own smoothed self, and replaced by linear interpolation
 * between the nearest good columns; with residual, algorithm 5 then
 * removes what is left of large stripes. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def remove_unresponsive_and_fluctuating_rings_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "size",
        .dtype = "int",
        .default_json = "51",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Size of the median filter window. Used to detect stripes.",
        .verbose = "Width in detector pixels (odd) of the median filter applied to the profile "
                   "of each column's fluctuation (and, with residual, to the sorted sinogram).",
        .range = "odd, 1 to the detector width",
    },
    {
        .name = "snr",
        .dtype = "float",
        .default_json = "3.0",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Ratio used to locate stripes. Greater is less sensitive.",
        .verbose = "A column is a stripe where its ratio departs from the fitted noise level "
                   "by more than snr / 2 times that level (algorithm 4 of the paper).",
        .range = "above 0 (above 1 in practice)",
    },
    {
        .name = "residual",
        .dtype = "bool",
        .default_json = "true",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Remove the residual stripes if True.",
        .verbose = "After the interpolation, apply algorithm 5 (RemoveLargeRings) with the same "
                   "size and snr.",
    },
};

static const struct savu_citation remove_unresponsive_and_fluctuating_rings_citations[] = {
    RING_VO2018_CITATION("The ring removal is algorithm 6 (unresponsive and fluctuating "
                         "stripes) of this work, followed by algorithm 5 with residual."),
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int remove_unresponsive_and_fluctuating_rings_setup(struct savu_plugin_instance *inst)
{
    struct ring_settings s = {.method = RING_DEAD};
    if (ring_param_size(inst, "size", &s.size) || ring_param_positive(inst, "snr", &s.snr))
        return -1;
    s.residual = savu_param_bool(inst, "residual");
    return ring_setup(inst, &s);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_remove_unresponsive_and_fluctuating_rings = {
    .name = "RemoveUnresponsiveAndFluctuatingRings",
    .id = "savu.plugins.ring_removal.remove_unresponsive_and_fluctuating_rings",
    .synopsis = "Remove stripes of unresponsive and fluctuating pixels in sinograms.",
    .info = "Algorithm 6 of Vo et al. 2018 (as algotom's remove_dead_stripe): each column's "
            "summed departure from its 10-angle running mean, over its median over `size` "
            "columns, locates stripes by `snr`; they are widened by a pixel each side and "
            "replaced by linear interpolation between the nearest good columns (when fewer "
            "than a third of the columns are stripes). With residual, RemoveLargeRings's "
            "method follows.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = remove_unresponsive_and_fluctuating_rings_params,
    .n_params = SAVU_COUNT_OF(remove_unresponsive_and_fluctuating_rings_params),
    .citations = remove_unresponsive_and_fluctuating_rings_citations,
    .n_citations = SAVU_COUNT_OF(remove_unresponsive_and_fluctuating_rings_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .scratch_fixed_frames = RING_SCRATCH_FRAMES,
    .setup = SAVU_RUN(remove_unresponsive_and_fluctuating_rings_setup),
    .process = SAVU_RUN(ring_process),
    .teardown = SAVU_RUN(ring_teardown),
};
