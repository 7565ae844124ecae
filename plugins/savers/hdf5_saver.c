/* hdf5_saver.c: Hdf5Saver, whole: writes a dataset to an HDF5 file in
 * Savu's layout, linked from <stem>_processed.nxs, through the engine's
 * result store (savu_store_*: chunked HDF5, or the faster raw and per-rank
 * forms the engine's options choose). The default saver: the engine adds
 * it after the last plugin when the list saves the result no other way,
 * and after every plugin with --keep-intermediate. Parameters as Savu. */
#include "builtin_plugin.h"
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

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static const struct savu_saver_ops hdf5_saver_ops = {
    .begin = savu_store_begin,
    .write = savu_store_write,
    .writes_any_frames = savu_store_writes_any_frames,
    .finish = savu_store_finish,
};
#define HDF5_SAVER_OPS &hdf5_saver_ops
#else
#define HDF5_SAVER_OPS NULL
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_hdf5_saver = {
    .name = "Hdf5Saver",
    .id = "savu.plugins.savers.hdf5_saver",
    .synopsis = "Save the data to an HDF5 file, linked from the NeXus output file.",
    .category = SAVU_CAT_SAVER,
    .params = hdf5_saver_params,
    .n_params = SAVU_COUNT_OF(hdf5_saver_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .saver = HDF5_SAVER_OPS,
    .flags = SAVU_PLUGIN_DEFAULT_SAVER | SAVU_PLUGIN_ANY_DIMS,
};
