#define _GNU_SOURCE /* asprintf, strndup */
/* tiff_saver.c: TiffSaver, whole: writes every frame of a dataset (e.g.
 * every reconstructed slice) as one 32-bit float TIFF image (tiff_slices.h),
 * named img_<prefix>_<%05d>.tiff (with tuning _v<%03d> after it) in the
 * folder TiffSaver_<N> of the output folder, through the saver API
 * (savu_plugin.h). The folder is TiffSaver_<N>.part until the run is
 * complete, removed when it fails. Each rank writes its own frames (any
 * frames, in any order). Parameters as Savu. */
#include "builtin_plugin.h"
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

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tiff_slices.h"

struct tiff_saver {
    char *dir;          /* <folder>/TiffSaver_<N>.part */
    const char *prefix; /* of the file names */
};

static int tiff_saver_setup(struct savu_plugin_instance *inst)
{
    const enum savu_pattern p = savu_in_pattern(inst);
    if (p == SAVU_PATTERN_TANGENTOGRAM || p == SAVU_PATTERN_VOLUME_XY)
        return savu_fail(inst, "TiffSaver saves frames cut along dim 0 or 1 (PROJECTION, "
                               "SINOGRAM, VOLUME_XZ, VOLUME_YZ); the data before it are cut "
                               "along dim 2");
    const char *prefix = savu_param_string(inst, "prefix");
    if (prefix && (!*prefix || strchr(prefix, '/')))
        return savu_fail(inst, "parameter prefix: '%s' is not a file name start (no '/', not "
                               "empty)", prefix);
    struct tiff_saver *ts = calloc(1, sizeof *ts);
    if (!ts)
        return savu_fail(inst, "out of memory");
    ts->prefix = prefix; /* NULL: the data stem, known when the run begins */
    savu_set_private(inst, ts);
    return 0;
}

/* The folder, made by rank 0 (the engine agrees on the outcome). */
static int tiff_saver_begin(struct savu_plugin_instance *inst)
{
    struct tiff_saver *ts = savu_private(inst);
    if (!ts->prefix)
        ts->prefix = savu_data_stem(inst);
    if (asprintf(&ts->dir, "%s/TiffSaver_%d.part", savu_output_folder(inst),
                 savu_plugin_number(inst)) < 0) {
        ts->dir = NULL;
        return savu_fail(inst, "out of memory");
    }
    if (savu_rank(inst) == 0 && mkdir(ts->dir, 0777) != 0)
        return savu_fail(inst, "cannot create %s: %s", ts->dir, strerror(errno));
    return 0;
}

static int tiff_saver_write(struct savu_plugin_instance *inst, const struct savu_block *block)
{
    const struct tiff_saver *ts = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    /* A frame is the two dims other than the one frames run along (PROJECTION:
     * [detector_y][detector_x]; SINOGRAM, VOLUME_XZ: dims 0 and 2). */
    const enum savu_pattern p = savu_in_pattern(inst);
    const bool along_0 = p == SAVU_PATTERN_PROJECTION || p == SAVU_PATTERN_VOLUME_YZ;
    const long height = along_0 ? shape[1] : shape[0], width = shape[2], fs = height * width;
    const long n = savu_block_frames(block), variants = savu_block_variants(block);
    const float *frames = savu_block_in(block);
    for (long v = 0; v < variants; v++)
        for (long f = 0; f < n; f++) {
            char *name = tiff_slice_name(ts->dir, ts->prefix, savu_block_first(block) + f,
                                         variants > 1 ? v : -1);
            savu_error err;
            int rc = name ? tiff_write_float(name, frames + (v * n + f) * fs, height, width, &err)
                          : savu_error_set(&err, "out of memory");
            free(name);
            if (rc != 0)
                return savu_fail(inst, "%s", err.msg);
        }
    return 0;
}

static bool tiff_saver_writes_any_frames(struct savu_plugin_instance *inst)
{
    return true;
}

/* Removes a folder of plain files. */
static int remove_folder(struct savu_plugin_instance *inst, const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *file = NULL;
        if (asprintf(&file, "%s/%s", path, e->d_name) >= 0)
            unlink(file);
        free(file);
    }
    if (dir)
        closedir(dir);
    if (rmdir(path) != 0)
        savu_warn(inst, "could not remove %s: %s", path, strerror(errno));
    return 0;
}

/* TiffSaver_<N>.part -> TiffSaver_<N> (rank 0), or removed with its files. */
static int tiff_saver_finish(struct savu_plugin_instance *inst, bool complete)
{
    struct tiff_saver *ts = savu_private(inst);
    if (savu_rank(inst) != 0 || !ts->dir)
        return 0;
    if (!complete)
        return remove_folder(inst, ts->dir);
    char *final = strndup(ts->dir, strlen(ts->dir) - strlen(".part"));
    int rc = final && rename(ts->dir, final) == 0
                 ? 0 : savu_fail(inst, "cannot rename %s: %s", ts->dir, strerror(errno));
    free(final);
    return rc;
}

static void tiff_saver_teardown(struct savu_plugin_instance *inst)
{
    struct tiff_saver *ts = savu_private(inst);
    if (ts)
        free(ts->dir);
    free(ts);
}

static const struct savu_saver_ops tiff_saver_ops = {
    .begin = tiff_saver_begin,
    .write = tiff_saver_write,
    .writes_any_frames = tiff_saver_writes_any_frames,
    .finish = tiff_saver_finish,
};
#define TIFF_SAVER_OPS &tiff_saver_ops
#else
#define TIFF_SAVER_OPS NULL
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_tiff_saver = {
    .name = "TiffSaver",
    .id = "savu.plugins.savers.tiff_saver",
    .synopsis = "Save every frame (e.g. every reconstructed slice) as a 32-bit float TIFF image.",
    .category = SAVU_CAT_SAVER,
    .params = tiff_saver_params,
    .n_params = SAVU_COUNT_OF(tiff_saver_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(tiff_saver_setup),
    .teardown = SAVU_RUN(tiff_saver_teardown),
    .saver = TIFF_SAVER_OPS,
};
