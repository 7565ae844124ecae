/* dark_flat_field_correction.c: the DarkFlatFieldCorrection descriptor.
 * Normalises each frame with the averaged dark and flat fields:
 * (data - dark) / (flat - dark), with zero denominators set to one and NaNs
 * set to zero; optionally clips the result and warns when much of it was
 * clipped. No logarithm is taken here (the reconstruction does that).
 * Parameters as Savu (reference savu-engine.md §3). */
#include "common_params.h"

static const char *const pattern_options[] = {"SINOGRAM", "PROJECTION", NULL};
static const char *const pattern_option_descriptions[] = {
    "Correct whole sinograms (one detector row over all angles) at a time.",
    "Correct whole projections (one detector image) at a time.",
    NULL,
};

static const struct savu_param_def dark_flat_field_correction_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "pattern",
        .dtype = "str",
        .default_json = "\"PROJECTION\"",
        .visibility = SAVU_VIS_BASIC,
        .summary = "How the data are cut into frames for the correction.",
        .verbose = "The result is the same; choose the pattern of the plugins around this one "
                   "to save reslicing the data.",
        .options = pattern_options,
        .option_descriptions = pattern_option_descriptions,
    },
    {
        .name = "lower_bound",
        .dtype = "[None,float]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Corrected values below this are set to it (None: no lower limit).",
    },
    {
        .name = "upper_bound",
        .dtype = "[None,float]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Corrected values above this are set to it (None: no upper limit).",
    },
    {
        .name = "warn_proportion",
        .dtype = "float",
        .default_json = "0.05",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Warn when at least this fraction of the values was clipped by the bounds "
                   "(0.05 means 5%).",
    },
};

const struct savu_plugin savu_dark_flat_field_correction = {
    .name = "DarkFlatFieldCorrection",
    .id = "savu.plugins.corrections.dark_flat_field_correction",
    .synopsis = "Normalise the data with the dark and flat fields: (data - dark) / (flat - dark).",
    .info = "Uses the darks and flats found by the loader, averaged over their frames. Where "
            "flat equals dark the denominator is taken as 1. Values can be clipped to "
            "[lower_bound, upper_bound].",
    .category = SAVU_CAT_CORRECTION,
    .params = dark_flat_field_correction_params,
    .n_params = SAVU_COUNT_OF(dark_flat_field_correction_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
};
