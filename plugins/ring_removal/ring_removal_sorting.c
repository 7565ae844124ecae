/* ring_removal_sorting.c: RingRemovalSorting, Savu's plugin of algorithm 3
 * of Vo et al. 2018 (descriptor; the method is kernels/cpu/ring_removal.c,
 * the block loop plugins/ring_removal/ring_plugin.c). Each column of a
 * sinogram is sorted by value, the sorted sinogram median filtered across
 * the detector, and sorted back: stripes (rings) of any strength, full or
 * partial, are removed without moving the edges of the sample. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def ring_removal_sorting_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "size",
        .dtype = "int",
        .default_json = "31",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Size of the median filter window. Used to clean stripes.",
        .verbose = "Width in detector pixels (odd) of the median filter applied across the "
                   "detector to the sinogram sorted along the angles. Larger removes wider "
                   "stripes and blurs more.",
        .range = "odd, 1 to the detector width",
    },
};

static const struct savu_citation ring_removal_sorting_citations[] = {
    RING_VO2018_CITATION("The ring removal is algorithm 3 (sorting-based) of this work."),
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int ring_removal_sorting_setup(struct savu_plugin_instance *inst)
{
    struct ring_settings s = {.method = RING_SORTING};
    if (ring_param_size(inst, "size", &s.size))
        return -1;
    return ring_setup(inst, &s);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_ring_removal_sorting = {
    .name = "RingRemovalSorting",
    .id = "savu.plugins.ring_removal.ring_removal_sorting",
    .synopsis = "Remove stripes in sinograms (rings) by sorting each column and median "
                "filtering across the detector.",
    .info = "Algorithm 3 of Vo et al. 2018: each sinogram column is sorted by value, the "
            "sorted sinogram is median filtered along the detector with `size` pixels, and "
            "the values are put back in their rows. Works on intensities or on line "
            "integrals; removes full and partial stripes of small to medium width.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = ring_removal_sorting_params,
    .n_params = SAVU_COUNT_OF(ring_removal_sorting_params),
    .citations = ring_removal_sorting_citations,
    .n_citations = SAVU_COUNT_OF(ring_removal_sorting_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .scratch_fixed_frames = RING_SCRATCH_FRAMES,
    .setup = SAVU_RUN(ring_removal_sorting_setup),
    .process = SAVU_RUN(ring_process),
    .teardown = SAVU_RUN(ring_teardown),
};
