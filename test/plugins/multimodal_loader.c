/* multimodal_loader.c: a third-party loader that declares two datasets
 * (multimodal data), for engine-datasets.test, loaded through
 * SAVU_PLUGIN_PATH. MultimodalPhantomLoader makes, from nothing but closed
 * forms (its data file is not read):
 *   tomo (rotation_angle 8, detector_y 4, detector_x 6):
 *       exp(-(0.01 (a + 1) + 0.02 y + 0.003 x))
 *   fluo (y 5, x 3, energy 7): exp(-(0.001 e + 0.01 y + 0.1 x))
 * both with the default 3-D patterns, read in PROJECTION or SINOGRAM frames
 * (read_dataset). */
#include <math.h>
#include <savu_plugin.h>

static const long tomo_shape[3] = {8, 4, 6}, fluo_shape[3] = {5, 3, 7};
static const char *const tomo_labels[3] = {"rotation_angle", "detector_y", "detector_x"};
static const char *const fluo_labels[3] = {"y", "x", "energy"};
static const char *const tomo_units[3] = {"degrees", "pixel", "pixel"};
static const char *const fluo_units[3] = {"mm", "mm", "keV"};

static double value(int dataset, long i, long j, long k)
{
    return dataset == 0 ? exp(-(0.01 * (double)(i + 1) + 0.02 * (double)j + 0.003 * (double)k))
                        : exp(-(0.001 * (double)k + 0.01 * (double)i + 0.1 * (double)j));
}

static int multimodal_open(struct savu_plugin_instance *inst, const char *data_file)
{
    (void)data_file;
    const double angles[8] = {0, 22.5, 45, 67.5, 90, 112.5, 135, 157.5};
    return savu_loader_dataset(inst, "tomo", 3, tomo_shape, tomo_labels, tomo_units,
                               SAVU_PATTERN_PROJECTION) != 0 ||
                   savu_meta_set_angles(inst, angles, 8) != 0 ||
                   savu_loader_dataset(inst, "fluo", 3, fluo_shape, fluo_labels, fluo_units,
                                       SAVU_PATTERN_SINOGRAM) != 0 ||
                   savu_meta_set_text(inst, "detector", "fluorescence") != 0
               ? -1
               : 0;
}

/* Frames [first, first + count) along dim 0 (PROJECTION) or 1 (SINOGRAM),
 * each the other two dims in order. */
static int multimodal_read(struct savu_plugin_instance *inst, int dataset,
                           enum savu_pattern pattern, long first, long count, float *out)
{
    if (pattern != SAVU_PATTERN_PROJECTION && pattern != SAVU_PATTERN_SINOGRAM)
        return savu_fail(inst, "reads PROJECTION or SINOGRAM frames");
    const long *shape = dataset == 0 ? tomo_shape : fluo_shape;
    const bool along_0 = pattern == SAVU_PATTERN_PROJECTION;
    const long rows = along_0 ? shape[1] : shape[0];
    for (long f = 0; f < count; f++)
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < shape[2]; c++)
                *out++ = (float)(along_0 ? value(dataset, first + f, r, c)
                                         : value(dataset, r, first + f, c));
    return 0;
}

static int multimodal_read_first(struct savu_plugin_instance *inst, enum savu_pattern pattern,
                                 long first, long count, float *out)
{
    return multimodal_read(inst, 0, pattern, first, count, out);
}

static const struct savu_loader_ops ops = {
    .open = multimodal_open,
    .read = multimodal_read_first,
    .read_dataset = multimodal_read,
};

static const struct savu_plugin multimodal_loader = {
    .name = "MultimodalPhantomLoader",
    .id = "savu_tests.multimodal_phantom_loader",
    .synopsis = "Two datasets from closed forms, tomo and fluo (for the engine's tests).",
    .category = SAVU_CAT_LOADER,
    .pattern = SAVU_PATTERN_NONE,
    .loader = &ops,
};

const struct savu_plugin *const savu_plugin_table[] = {&multimodal_loader, NULL};
const int savu_plugin_abi = SAVU_PLUGIN_ABI;
