/* nxtomo_loader.c: NxtomoLoader, whole: reads projections, darks, flats
 * (separated by the image key) and rotation angles from an NXtomo
 * (HDF5/NeXus) file through the loader API (savu_plugin.h). Parameters,
 * their order, types and defaults are Savu's (reference savu-engine.md
 * §2.1). Savu stores no in_datasets/out_datasets for loaders, so neither do
 * we. The reading itself is the NXtomo reader in loaders/nxtomo/
 * (nxtomo_input.h): raw reads on the engine's reading threads where the
 * file holds the frames as they are, else through HDF5. */
#include "builtin_plugin.h"

static const struct savu_param_def nxtomo_loader_params[] = {
    {
        .name = "preview",
        .dtype = "preview",
        .default_json = "[]",
        .visibility = SAVU_VIS_BASIC,
        .summary = "The part of the data to process: one entry per dimension "
                   "(rotation angle, detector y, detector x).",
        .verbose = "Each entry is ':' (everything), a single index, or start:stop[:step[:chunk]] "
                   "where start, mid and end may be used, e.g. [':', 'mid-5:mid+5', ':'] "
                   "for ten sinograms around the middle. An empty list processes everything.",
    },
    {
        .name = "name",
        .dtype = "str",
        .default_json = "\"tomo\"",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "The name given to the loaded dataset, used by later plugins.",
    },
    {
        .name = "data_path",
        .dtype = "str",
        .default_json = "\"entry1/tomo_entry/data/data\"",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Path of the detector frames inside the NeXus file.",
    },
    {
        .name = "image_key_path",
        .dtype = "[None,h5path]",
        .default_json = "\"entry1/tomo_entry/instrument/detector/image_key\"",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Path of the image key (0 projection, 1 flat, 2 dark) inside the NeXus file.",
        .verbose = "Set it to None when there is no image key, e.g. for radiography, or when "
                   "darks and flats come from other files (see dark and flat).",
    },
    {
        .name = "dark",
        .dtype = "[list[filepath, h5path, float],list[None,None,float]]",
        .default_json = "[null, null, 1]",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Dark fields from another file: [file, path inside it, scale].",
        .verbose = "Only needed when the darks are not in the data file. The dark images are "
                   "averaged and multiplied by the scale, e.g. to match a different exposure time.",
    },
    {
        .name = "flat",
        .dtype = "[list[filepath, h5path, float],list[None,None,float]]",
        .default_json = "[null, null, 1]",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Flat fields from another file: [file, path inside it, scale].",
        .verbose = "Only needed when the flats are not in the data file. The flat images are "
                   "averaged and multiplied by the scale.",
    },
    {
        .name = "angles",
        .dtype = "[str, int, None]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Rotation angles in degrees, when the file's own angles are not to be used.",
        .verbose = "None uses the angles stored in the file. Otherwise an expression such as "
                   "'np.linspace(0, 180, 1801)' or the name of a text file with one angle per "
                   "line. For 4D data stored in 3D, the number of projections per 180-degree scan.",
    },
    {
        .name = "3d_to_4d",
        .dtype = "[bool, int]",
        .default_json = "false",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Whether the 3D data hold several scans one after the other (time series).",
        .verbose = "True splits the data into scans using the angles; an integer gives the "
                   "number of projections per 180-degree scan when no angles are set.",
    },
    {
        .name = "ignore_flats",
        .dtype = "[list[int], None]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Batches of flats to leave out, numbered from 1 in the order they were taken.",
        .verbose = "Useful when one batch of flats in a long scan is spoiled, e.g. [2] ignores "
                   "the second batch.",
    },
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "nxtomo_input.h"

static const char *const data_labels[3] = {"rotation_angle", "detector_y", "detector_x"};
static const char *const data_units[3] = {"degrees", "pixel", "pixel"};

struct nxtomo_loader {
    nxtomo_input *input;
    json_t *angles, *preview, *ignore_flats, *dark, *flat; /* parsed parameters */
};

static json_t *param_value(struct savu_plugin_instance *inst, const char *name)
{
    const char *text = savu_param_json(inst, name);
    return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

/* [file, path, scale] of the dark or flat parameter. */
static void field_source(const json_t *v, const char **file, const char **path, double *scale)
{
    *file = json_string_value(json_array_get(v, 0));
    *path = json_string_value(json_array_get(v, 1));
    const json_t *s = json_array_get(v, 2);
    *scale = json_is_number(s) ? json_number_value(s) : 1.0;
}

static void warn_line(void *ctx, const char *message)
{
    savu_warn(ctx, "%s", message);
}

static void loader_free(struct nxtomo_loader *ld)
{
    nxtomo_input_close(ld->input);
    json_decref(ld->angles);
    json_decref(ld->preview);
    json_decref(ld->ignore_flats);
    json_decref(ld->dark);
    json_decref(ld->flat);
    free(ld);
}

static int nxtomo_open_config(struct savu_plugin_instance *inst, struct nxtomo_loader *ld,
                              const char *data_file, struct nxtomo_config *cfg)
{
    if (savu_param_bool(inst, "3d_to_4d"))
        return savu_fail(inst, "parameter 3d_to_4d: time-resolved (4-D) data are not "
                               "supported yet; set it to False");
    memset(cfg, 0, sizeof *cfg);
    cfg->data_file = data_file;
    cfg->data_path = savu_param_string(inst, "data_path");
    if (!cfg->data_path)
        cfg->data_path = NXTOMO_DEFAULT_DATA_PATH;
    cfg->image_key_path = savu_param_string(inst, "image_key_path");
    ld->dark = param_value(inst, "dark");
    ld->flat = param_value(inst, "flat");
    ld->angles = param_value(inst, "angles");
    ld->preview = param_value(inst, "preview");
    ld->ignore_flats = param_value(inst, "ignore_flats");
    field_source(ld->dark, &cfg->dark_file, &cfg->dark_path, &cfg->dark_scale);
    field_source(ld->flat, &cfg->flat_file, &cfg->flat_path, &cfg->flat_scale);
    cfg->angles = ld->angles;
    cfg->preview = ld->preview;
    cfg->ignore_flats = ld->ignore_flats;
    cfg->warn = warn_line;
    cfg->warn_ctx = inst;
    cfg->through_hdf5 = savu_io_through_hdf5(inst);
    cfg->threads = savu_threads(inst);
    return 0;
}

/* The loaded dataset and its metadata. */
static int declare(struct savu_plugin_instance *inst, const char *data_file,
                   const struct nxtomo_info *info)
{
    const char *name = savu_param_string(inst, "name");
    /* The frames it reads: Savu's PROJECTION and SINOGRAM (core dims in
     * Savu's order: detector_x first). */
    static const int projection_core[] = {2, 1}, projection_slice[] = {0};
    static const int sinogram_core[] = {2, 0}, sinogram_slice[] = {1};
    if (savu_loader_dataset(inst, name && *name ? name : "tomo", 3, info->shape, data_labels,
                            data_units, SAVU_PATTERN_PROJECTION) != 0 ||
        savu_add_pattern(inst, SAVU_PATTERN_PROJECTION, projection_core, 2, projection_slice,
                         1) != 0 ||
        savu_add_pattern(inst, SAVU_PATTERN_SINOGRAM, sinogram_core, 2, sinogram_slice, 1) != 0 ||
        savu_meta_set_angles(inst, info->angles_deg, info->shape[0]) != 0 ||
        savu_meta_set_dark_flat(inst, info->dark, info->flat) != 0 ||
        savu_meta_set_text(inst, "data_path", info->data_path) != 0 ||
        savu_meta_set_text(inst, "angles_source", info->angles_source) != 0)
        return -1;
    const double counts[2] = {info->n_darks, info->n_flats};
    /* The whole detector (rows, columns) before the preview, for plugins
     * whose parameters are detector pixels (DistortionCorrection's centre). */
    const double detector[2] = {(double)info->file_shape[1], (double)info->file_shape[2]};
    if (savu_meta_set(inst, "darks_flats_averaged", counts, 2) != 0 ||
        savu_meta_set(inst, "detector_shape", detector, 2) != 0)
        return -1;
    savu_meta_set_detector_offsets(inst, info->preview[2].start, info->preview[2].step,
                                   info->preview[1].start, info->preview[1].step);
    savu_info(inst, "data: %s:%s, %d darks, %d flats, angles from %s", data_file, info->data_path, info->n_darks, info->n_flats, info->angles_source);
    return 0;
}

static int nxtomo_loader_open(struct savu_plugin_instance *inst, const char *data_file)
{
    struct nxtomo_loader *ld = calloc(1, sizeof *ld);
    if (!ld)
        return savu_fail(inst, "out of memory");
    savu_set_private(inst, ld);
    struct nxtomo_config cfg;
    if (nxtomo_open_config(inst, ld, data_file, &cfg) != 0)
        return -1;
    savu_error err;
    if (nxtomo_input_open(&cfg, &ld->input, &err) != 0)
        return savu_fail(inst, "%s", err.msg);
    return declare(inst, data_file, nxtomo_input_info(ld->input));
}

static int nxtomo_loader_read(struct savu_plugin_instance *inst, enum savu_pattern pattern,
                              long first, long count, float *out)
{
    struct nxtomo_loader *ld = savu_private(inst);
    savu_error err;
    nxtomo_input_set_io_pool(ld->input, savu_instance_pool(inst));
    int rc = pattern == SAVU_PATTERN_PROJECTION
                 ? nxtomo_input_read_projections(ld->input, first, count, out, &err)
                 : nxtomo_input_read_sinograms(ld->input, first, count, out, &err);
    return rc == 0 ? 0 : savu_fail(inst, "%s", err.msg);
}

static bool nxtomo_loader_reads_beside_writes(struct savu_plugin_instance *inst)
{
    struct nxtomo_loader *ld = savu_private(inst);
    return nxtomo_input_reads_raw(ld->input);
}

static double nxtomo_loader_bytes_read(struct savu_plugin_instance *inst)
{
    struct nxtomo_loader *ld = savu_private(inst);
    return (double)nxtomo_input_info(ld->input)->bytes_read;
}

static void nxtomo_loader_close(struct savu_plugin_instance *inst)
{
    struct nxtomo_loader *ld = savu_private(inst);
    if (ld)
        loader_free(ld);
    savu_set_private(inst, NULL);
}

static const struct savu_loader_ops nxtomo_loader_ops = {
    .open = nxtomo_loader_open,
    .read = nxtomo_loader_read,
    .reads_beside_writes = nxtomo_loader_reads_beside_writes,
    .bytes_read = nxtomo_loader_bytes_read,
    .close = nxtomo_loader_close,
};
#define NXTOMO_LOADER_OPS &nxtomo_loader_ops
#else
#define NXTOMO_LOADER_OPS NULL
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_nxtomo_loader = {
    .name = "NxtomoLoader",
    .id = "savu.plugins.loaders.full_field_loaders.nxtomo_loader",
    .synopsis = "Load tomography data (projections, darks, flats, angles) from an NXtomo file.",
    .info = "Frames are sorted by the image key: 0 projection, 1 flat, 2 dark (3 is ignored). "
            "Darks and flats are averaged. Angles come from the file, or from the angles "
            "parameter; without either, 0 to 180 degrees are assumed with a warning.",
    .category = SAVU_CAT_LOADER,
    .params = nxtomo_loader_params,
    .n_params = SAVU_COUNT_OF(nxtomo_loader_params),
    .pattern = SAVU_PATTERN_NONE,
    .max_frames = 0,
    .loader = NXTOMO_LOADER_OPS,
};
