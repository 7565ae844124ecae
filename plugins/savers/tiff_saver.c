/* tiff_saver.c: the TiffSaver descriptor. Writes every frame of a dataset
 * (e.g. every reconstructed slice) as one 32-bit float TIFF image, named
 * img_<prefix>_<%05d>.tiff in the folder TiffSaver_<N> of the output folder.
 * Parameters as Savu. */
#include "common_params.h"

static const struct savu_param_def tiff_saver_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_HIDDEN),
    {
        .name = "pattern",
        .dtype = "str",
        .default_json = "\"VOLUME_XZ\"",
        .visibility = SAVU_VIS_BASIC,
        .summary = "How the data are cut into images: VOLUME_XZ gives horizontal slices of a "
                   "reconstruction.",
        .verbose = "Other patterns, e.g. PROJECTION or SINOGRAM, save the frames of that pattern.",
    },
    {
        .name = "prefix",
        .dtype = "[None,str]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "The images are img_<prefix>_00000.tiff, ... (None: the data file's name).",
    },
};

const struct savu_plugin savu_tiff_saver = {
    .name = "TiffSaver",
    .id = "savu.plugins.savers.tiff_saver",
    .synopsis = "Save every frame (e.g. every reconstructed slice) as a 32-bit float TIFF image.",
    .category = SAVU_CAT_SAVER,
    .params = tiff_saver_params,
    .n_params = SAVU_COUNT_OF(tiff_saver_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
};
