/* median_filter.c: MedianFilter, whole (descriptor, set-up, CPU path).
 * Savu's larix median filter: each value becomes the median of its
 * kernel_size x kernel_size neighbourhood in the frame (2D) or of its
 * kernel_size cubed neighbourhood across neighbouring frames (3D, Savu's
 * default), in the pattern its `pattern` parameter names (VOLUME_XZ, a
 * reconstruction's, by default). Borders as larix (kernels/cpu/median.h);
 * the run code is shared with the dezingers (median_run.h). */
#include "builtin_plugin.h"
#include "common_params.h"
#include "median_run.h"

static const struct savu_param_def median_filter_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    MEDIAN_PARAM_KERNEL_SIZE,
    MEDIAN_PARAM_KERNEL_DIMENSION,
    {
        .name = "pattern",
        .dtype = "str",
        .default_json = "\"VOLUME_XZ\"",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Pattern to apply this to.",
        .verbose = "The frames the 2D kernel lies in, and the dimension a 3D kernel crosses "
                   "frames along. Savu offers SINOGRAM and VOLUME_XZ; here any 3-D pattern of "
                   "the data.",
        .options = (const char *const[]){"VOLUME_XZ", "SINOGRAM", "PROJECTION", "VOLUME_XY",
                                         "VOLUME_YZ", "TANGENTOGRAM", NULL},
        .option_descriptions =
            (const char *const[]){"Slices of a reconstruction along voxel_y (Savu's default).",
                                  "Sinograms: a detector row over all angles.",
                                  "Projections: one detector image.",
                                  "Slices of a reconstruction along voxel_z.",
                                  "Slices of a reconstruction along voxel_x.",
                                  "Slices along detector_x: one column over all angles.", NULL},
    },
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int median_filter_setup(struct savu_plugin_instance *inst)
{
    return median_run_setup_by_dimension(inst, false);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_median_filter = {
    .name = "MedianFilter",
    .id = "savu.plugins.filters.denoising.median_filter",
    .synopsis = "A plugin to apply 2D/3D median filter.",
    .info = "The 3D capability is enabled through padding. Note that the kernel_size in 2D "
            "will be kernel_size x kernel_size and in 3D case kernel_size x kernel_size x "
            "kernel_size. Beyond a frame's edge a neighbour is taken at the value's own row "
            "or column (as larix, which Savu calls); across frames the first or last frame "
            "is repeated. NaN counts as 0.",
    .category = SAVU_CAT_FILTER,
    .params = median_filter_params,
    .n_params = SAVU_COUNT_OF(median_filter_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(median_filter_setup),
    .process = SAVU_RUN(median_run_process),
    .teardown = SAVU_RUN(median_run_teardown),
};
