/* ring_removal_filtering.c: RingRemovalFiltering, Savu's plugin of
 * algorithm 2 of Vo et al. 2018 (descriptor; the method is
 * kernels/cpu/ring_removal.c). Each sinogram column is split by a Gaussian
 * low-pass filter in Fourier space; only the smooth part, where stripes
 * live, is cleaned by sorting and median filtering across the detector,
 * and the sharp part is added back unchanged. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def ring_removal_filtering_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "sigma",
        .dtype = "int",
        .default_json = "3",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Sigma of the Gaussian window. Used to separate the low-pass and high-pass "
                   "components of each sinogram column.",
        .verbose = "Standard deviation, in frequency samples, of the Gaussian window applied to "
                   "the Fourier transform of each column (padded by reflection). Smaller keeps "
                   "less in the smooth part that is cleaned.",
        .range = "above 0",
    },
    {
        .name = "size",
        .dtype = "[float, list[float]]",
        .default_json = "31",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Size of the median filter window. Used to clean stripes.",
        .verbose = "Width in detector pixels (odd) of the median filter applied across the "
                   "detector to the sorted smooth part of the sinogram.",
        .range = "odd, 1 to the detector width",
    },
};

static const struct savu_citation ring_removal_filtering_citations[] = {
    RING_VO2018_CITATION("The ring removal is algorithm 2 (filtering-based, with sorting) of "
                         "this work."),
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int ring_removal_filtering_setup(struct savu_plugin_instance *inst)
{
    struct ring_settings s = {.method = RING_FILTERING};
    if (ring_param_positive(inst, "sigma", &s.sigma) || ring_param_size(inst, "size", &s.size))
        return -1;
    return ring_setup(inst, &s);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_ring_removal_filtering = {
    .name = "RingRemovalFiltering",
    .id = "savu.plugins.ring_removal.ring_removal_filtering",
    .synopsis = "Remove stripes in sinograms (rings) by cleaning the low-pass part of each "
                "column.",
    .info = "Algorithm 2 of Vo et al. 2018 (as algotom's remove_stripe_based_filtering): each "
            "column is split into a smooth and a sharp part by a Gaussian window of `sigma` "
            "in Fourier space; the smooth part is sorted along the angles, median filtered "
            "across the detector with `size` pixels and sorted back, then the sharp part is "
            "added.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = ring_removal_filtering_params,
    .n_params = SAVU_COUNT_OF(ring_removal_filtering_params),
    .citations = ring_removal_filtering_citations,
    .n_citations = SAVU_COUNT_OF(ring_removal_filtering_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .scratch_fixed_frames = RING_SCRATCH_FRAMES,
    .setup = SAVU_RUN(ring_removal_filtering_setup),
    .process = SAVU_RUN(ring_process),
    .teardown = SAVU_RUN(ring_teardown),
};
