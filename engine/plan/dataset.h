/* dataset.h: a dataset as the engine plans it — name, shape of 1 to
 * DATASET_MAX_DIMS dims with axis labels and units, its patterns (Savu's:
 * which dims make a frame and which are iterated), the pattern it is made
 * in, the tuning dimensions that plugins added (one per tuned parameter,
 * the first varying fastest), and its metadata: angles, averaged darks and
 * flats, the centre of rotation, where its detector pixels sit on the full
 * detector (preview), and the metadata dictionary.
 *
 * Frames: a pattern's core dims make a frame, laid out in the dataset's dim
 * order; its slice dims are iterated, the first fastest, and frames are
 * numbered in that order (savu_plugin.h, "Datasets"). A 3-D dataset that
 * declares no patterns has Savu's six 3-D ones. In memory a block of a
 * dataset is [variant][frame][core] where a variant is one combination of
 * the tuning values. */
#ifndef SAVU_DATASET_H
#define SAVU_DATASET_H

#include <stdbool.h>
#include <jansson.h>
#include "savu_plugin.h"

#define DATASET_MAX_TUNE 5
#define DATASET_MAX_DIMS SAVU_MAX_DIMS

/* A pattern of a dataset: its core and its slice dims (dim indices). */
struct pattern_dims {
    bool defined;
    int n_core, core[DATASET_MAX_DIMS];
    int n_slice, slice[DATASET_MAX_DIMS];
};

struct dataset {
    char *name;
    int ndim;
    long shape[DATASET_MAX_DIMS];
    const char *labels[DATASET_MAX_DIMS];
    const char *units[DATASET_MAX_DIMS];
    /* Declared patterns (savu_add_pattern); none declared: the defaults of a
     * 3-D dataset (dataset_pattern). */
    struct pattern_dims patterns[SAVU_PATTERN_COUNT];
    bool patterns_declared;
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

/* Pattern p of ds (declared, or a 3-D dataset's default), or NULL. */
const struct pattern_dims *dataset_pattern(const struct dataset *ds, enum savu_pattern p);
/* Declares pattern p of ds; core and slice together name every dim once.
 * -1 when they do not (why says what is wrong, one line). */
int dataset_add_pattern(struct dataset *ds, enum savu_pattern p, const int *core, int n_core,
                        const int *slice, int n_slice, char why[160]);
/* Sets ndim and shape (a new geometry: the declared patterns are forgotten). */
void dataset_set_shape(struct dataset *ds, int ndim, const long *shape);
/* The names of ds's patterns, ", "-separated, into buf. */
void dataset_pattern_names(const struct dataset *ds, char *buf, size_t size);

const char *pattern_name(enum savu_pattern p);
/* The pattern called `name` (as Savu spells it), NONE for none. */
enum savu_pattern pattern_from_name(const char *name);
/* Frames of p (the product of its slice dims), 0 without the pattern. */
long dataset_frames(const struct dataset *ds, enum savu_pattern p);
/* Floats in one frame of p (the product of its core dims). */
long dataset_frame_size(const struct dataset *ds, enum savu_pattern p);
/* p's first slice dim (the one blocks run along), -1 without the pattern. */
int dataset_slice_dim(const struct dataset *ds, enum savu_pattern p);
/* Whether frames of pa of a and of pb of b are the same frames: the same
 * slice dims of the same lengths. */
bool dataset_same_frames(const struct dataset *a, enum savu_pattern pa, const struct dataset *b,
                         enum savu_pattern pb);
/* Floats in the whole dataset, all variants. */
double dataset_floats(const struct dataset *ds);
/* Whether ds is 3-D and p has one slice dim, 0 or 1, with dim 2 core: the
 * layouts the engine's fast paths (raw files, reslice in memory, previews)
 * take. */
bool dataset_simple_3d(const struct dataset *ds, enum savu_pattern p);

/* A run of frames of a block: frames that differ only in the pattern's
 * first slice dim, which lie in the dataset as the box start[d] ..
 * start[d] + count[d] (core dims whole, other slice dims one index). In
 * the box's own row-major order it is [before][frames][after]; a block
 * holds it as [frames][before][after]. */
struct frame_run {
    long frames;
    long start[DATASET_MAX_DIMS], count[DATASET_MAX_DIMS];
    long before, after;
};
/* The run of frames [first, first + n) of p that starts at `first` (it
 * holds run->frames <= n of them): call again from first + run->frames
 * until the block is done. */
void dataset_frame_run(const struct dataset *ds, enum savu_pattern p, long first, long n,
                       struct frame_run *run);
/* The same for a dataset of ndim dims and this shape, cut as pd says. */
void frame_run_of(int ndim, const long *shape, const struct pattern_dims *pd, long first, long n,
                  struct frame_run *run);

#endif
