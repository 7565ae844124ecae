/* dezinger_sinogram.c: DezingerSinogram, whole (descriptor, set-up, CPU
 * path). Savu's larix median dezinger on sinograms: a value that departs
 * from the median of its neighbourhood (kernel_size square in the sinogram,
 * or cubed across neighbouring sinograms for kernel_dimension 3D) by at
 * least outlier_mu times the sinogram's standard deviation becomes that
 * median. Run code shared with MedianFilter and Dezinger (median_run.h). */
#include "builtin_plugin.h"
#include "common_params.h"
#include "median_run.h"

static const struct savu_param_def dezinger_sinogram_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    MEDIAN_PARAM_KERNEL_SIZE,
    MEDIAN_PARAM_OUTLIER_MU,
    MEDIAN_PARAM_KERNEL_DIMENSION,
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
static int dezinger_sinogram_setup(struct savu_plugin_instance *inst)
{
    return median_run_setup_by_dimension(inst, true);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_dezinger_sinogram = {
    .name = "DezingerSinogram",
    .id = "savu.plugins.filters.dezingers.dezinger_sinogram",
    .synopsis = "A plugin to apply median-based dezinger to SINOGRAM data.",
    .info = "The plugin works in 2D or 3D mode. A value is replaced by the median of its "
            "neighbourhood where it departs from it by at least outlier_mu times the standard "
            "deviation of its sinogram (Savu: of its block of sinograms). Borders as "
            "MedianFilter's.",
    .category = SAVU_CAT_FILTER,
    .params = dezinger_sinogram_params,
    .n_params = SAVU_COUNT_OF(dezinger_sinogram_params),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .setup = SAVU_RUN(dezinger_sinogram_setup),
    .process = SAVU_RUN(median_run_process),
    .teardown = SAVU_RUN(median_run_teardown),
};
