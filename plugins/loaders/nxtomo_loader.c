/* nxtomo_loader.c: the NxtomoLoader descriptor. Reads projections, darks,
 * flats (separated by the image key) and rotation angles from an NXtomo
 * (HDF5/NeXus) file. Parameters, their order, types and defaults are Savu's
 * (reference savu-engine.md §2.1); the loading itself is done by the engine.
 * Savu stores no in_datasets/out_datasets for loaders, so neither do we. */
#include "savu_plugin.h"

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
};
