/* dataset.h: a dataset as the engine plans it — name, 3-D shape with axis
 * labels and units, the pattern it is made in, the tuning dimensions that
 * plugins added (one per tuned parameter, the first varying fastest), and
 * its metadata: angles, averaged darks and flats, the centre of rotation, and
 * where its detector pixels sit on the full detector (preview).
 *
 * Frames: a pattern cuts the 3-D shape into frames along its slice dimension
 * (PROJECTION: dim 0; SINOGRAM and VOLUME_XZ: dim 1); a frame holds the other
 * two dims in order. In memory a block of a dataset is [variant][frame][core]
 * where a variant is one combination of the tuning values. */
#ifndef SAVU_DATASET_H
#define SAVU_DATASET_H

#include <stdbool.h>
#include <jansson.h>
#include "savu_plugin.h"

#define DATASET_MAX_TUNE 5

struct dataset {
    char *name;
    long shape[3];
    const char *labels[3];
    const char *units[3];
    enum savu_pattern pattern;
    int n_tune;
    char *tune_label[DATASET_MAX_TUNE];   /* "<param>_params" */
    long tune_len[DATASET_MAX_TUNE];
    double *tune_values[DATASET_MAX_TUNE];/* numbers; strings by index */
    long n_variants;                      /* product of tune_len, 1 untuned */
    /* Metadata (borrowed from the dataset it derives from unless owned). */
    const double *angles;
    long n_angles;
    const float *dark, *flat;
    double *cor;                          /* owned; per row, or NULL */
    long n_cor;
    long x_start, x_step, y_start, y_step; /* full-detector pixel of index 0, step */
    /* The metadata dictionary (savu_meta_set): this dataset's own entries;
     * a key it lacks is looked up in the dataset it derives from, so that
     * entries set later up the chain (in finish) reach it. */
    json_t *meta;                         /* owned: key -> array of numbers or string */
    const struct dataset *parent;         /* the dataset it derives from, or NULL */
    double *own_angles;                   /* owned copies set by a loader, or NULL */
    float *own_dark, *own_flat;
};

/* The dictionary entry `key` of ds or of the datasets it derives from. */
const json_t *dataset_meta(const struct dataset *ds, const char *key);

/* A new dataset deriving from `from` (metadata, tuning dims) or a blank one. */
struct dataset *dataset_new(const char *name, const struct dataset *from);
void dataset_free(struct dataset *ds);
/* Adds a tuning dimension; values copied. */
int dataset_add_tuning(struct dataset *ds, const char *param, const double *values, long n);

/* The dimension frames run along (0 or 1), and the frame size in floats. */
int pattern_slice_dim(enum savu_pattern p);
const char *pattern_name(enum savu_pattern p);
long dataset_frames(const struct dataset *ds, enum savu_pattern p);
long dataset_frame_size(const struct dataset *ds, enum savu_pattern p);
/* Floats in the whole dataset, all variants. */
double dataset_floats(const struct dataset *ds);

#endif
