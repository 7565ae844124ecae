/* dezinger.c: Dezinger, whole (descriptor, set-up, CPU path). Savu's larix
 * median dezinger on raw projections, with a kernel_size cubed kernel
 * across neighbouring projections: a value that departs from the median of
 * its neighbourhood by at least outlier_mu times the projection's standard
 * deviation becomes that median. Savu cleans the darks and flats too, frame
 * stack by frame stack, before they are averaged; here the loader has
 * averaged them already, so set-up cleans the averaged dark and flat (each a
 * stack of one frame, repeated across: the 3-D median of k copies of a frame
 * is its 2-D median) with the threshold outlier_mu times that image's
 * standard deviation, and passes them on to DarkFlatFieldCorrection. Run
 * code shared with MedianFilter and DezingerSinogram (median_run.h). */
#include "builtin_plugin.h"
#include "common_params.h"
#include "median_run.h"

static const struct savu_param_def dezinger_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    MEDIAN_PARAM_KERNEL_SIZE,
    MEDIAN_PARAM_OUTLIER_MU,
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
/* An averaged dark or flat, dezinged in a copy (NULL: out of memory). */
static float *dezinged_image(const struct median_run *st, const float *image)
{
    const long n = st->rows * st->cols;
    float *out = malloc(sizeof(float) * n);
    if (!out)
        return NULL;
    const float *planes[1] = {image};
    struct median_frame mf = {planes, 1, st->rows, st->cols, st->k,
                              (float)(st->mu * median_frame_std(image, n)), out};
    median_rows(&mf, 0, st->rows, st->scratch[0]);
    return out;
}

static int dezinger_setup(struct savu_plugin_instance *inst)
{
    if (median_run_setup(inst, true, true) != 0)
        return -1;
    const struct median_run *st = savu_private(inst);
    const float *dark = savu_meta_dark(inst), *flat = savu_meta_flat(inst);
    if (!dark && !flat)
        return 0;
    float *d = dark ? dezinged_image(st, dark) : NULL, *f = flat ? dezinged_image(st, flat) : NULL;
    int rc = (dark && !d) || (flat && !f) ? savu_fail(inst, "out of memory")
                                          : savu_meta_set_dark_flat(inst, d, f);
    free(d);
    free(f);
    return rc;
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_dezinger = {
    .name = "Dezinger",
    .id = "savu.plugins.filters.dezingers.dezinger",
    .synopsis = "A plugin to apply median-based dezinger to PROJECTION (raw) data.",
    .info = "The plugin works in a 3D mode (kernel_size x kernel_size x kernel_size), across "
            "neighbouring projections. A value is replaced by the median of its neighbourhood "
            "where it departs from it by at least outlier_mu times the standard deviation of "
            "its projection (Savu: of its block of projections). The averaged dark and flat "
            "fields are dezinged in the same way (Savu: their frames before averaging). "
            "Borders as MedianFilter's.",
    .category = SAVU_CAT_FILTER,
    .params = dezinger_params,
    .n_params = SAVU_COUNT_OF(dezinger_params),
    .pattern = SAVU_PATTERN_PROJECTION,
    .max_frames = 0,
    .setup = SAVU_RUN(dezinger_setup),
    .process = SAVU_RUN(median_run_process),
    .teardown = SAVU_RUN(median_run_teardown),
};
