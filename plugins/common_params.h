/* common_params.h: parameter definitions that many built-in plugins share
 * with the same name, type, default and wording as Savu: the datasets a
 * plugin reads and writes. Used as initialisers inside a plugin's parameter
 * table, e.g. { SAVU_PARAM_IN_DATASETS, SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS), ... }. */
#ifndef SAVU_COMMON_PARAMS_H
#define SAVU_COMMON_PARAMS_H

#include "savu_plugin.h"

/* A list of dataset names, possibly empty: Savu's own dtype string. */
#define SAVU_DATASETS_DTYPE "[list[],list[str]]"

#define SAVU_PARAM_IN_DATASETS                                                                     \
    {                                                                                              \
        .name = "in_datasets", .dtype = SAVU_DATASETS_DTYPE, .default_json = "[]",                 \
        .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to process.",        \
        .verbose = "Each name is a dataset created by the loader or by an earlier plugin. "        \
                   "Leave the list empty to process the only dataset there is.",                   \
    }

#define SAVU_PARAM_OUT_DATASETS(vis)                                                               \
    {                                                                                              \
        .name = "out_datasets", .dtype = SAVU_DATASETS_DTYPE, .default_json = "[]",                \
        .visibility = (vis), .summary = "A list of the dataset(s) to create.",                     \
        .verbose = "Each name is given to a dataset this plugin writes. Leave the list empty "     \
                   "and the output keeps the name of the input.",                                  \
    }

/* `pattern`: whether frames are whole projections or whole sinograms, for a
 * plugin whose result is the same either way (the user picks the pattern of
 * the plugins around it, to save a reslice). */
#define SAVU_PARAM_FRAME_PATTERN                                                                   \
    {                                                                                              \
        .name = "pattern", .dtype = "str", .default_json = "\"PROJECTION\"",                       \
        .visibility = SAVU_VIS_BASIC, .summary = "How the data are cut into frames.",              \
        .verbose = "The result is the same; choose the pattern of the plugins around this one "    \
                   "to save reslicing the data.",                                                  \
        .options = (const char *const[]){"SINOGRAM", "PROJECTION", NULL},                          \
        .option_descriptions =                                                                     \
            (const char *const[]){"Whole sinograms (one detector row over all angles) at a time.", \
                                  "Whole projections (one detector image) at a time.", NULL},      \
    }

#endif
