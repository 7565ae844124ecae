/* hdf5_saver.c: the Hdf5Saver descriptor. Writes a dataset to a chunked
 * HDF5 file linked from the NeXus output file, with chunks suited to the
 * chosen access pattern. Parameters as Savu. */
#include "common_params.h"

static const struct savu_param_def hdf5_saver_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_HIDDEN),
    {
        .name = "pattern",
        .dtype = "str",
        .default_json = "\"optimum\"",
        .visibility = SAVU_VIS_BASIC,
        .summary = "The way the saved data will most often be read, to choose the HDF5 chunks.",
        .verbose = "'optimum' takes the pattern of the plugin that made the data. Otherwise a "
                   "pattern name such as PROJECTION, SINOGRAM or VOLUME_XZ.",
    },
};

const struct savu_plugin savu_hdf5_saver = {
    .name = "Hdf5Saver",
    .id = "savu.plugins.savers.hdf5_saver",
    .synopsis = "Save the data to an HDF5 file, linked from the NeXus output file.",
    .category = SAVU_CAT_SAVER,
    .params = hdf5_saver_params,
    .n_params = SAVU_COUNT_OF(hdf5_saver_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
};
