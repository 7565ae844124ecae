/* dataset.c: datasets as the engine plans them: creation, tuning
 * dimensions, and the frame geometry of each pattern (see dataset.h). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "dataset.h"

struct dataset *dataset_new(const char *name, const struct dataset *from)
{
    struct dataset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->name = strdup(name ? name : "tomo");
    ds->n_variants = 1;
    ds->x_step = ds->y_step = 1;
    ds->meta = json_object();
    ds->parent = from;
    if (!ds->name || !ds->meta) {
        dataset_free(ds);
        return NULL;
    }
    if (from) {
        memcpy(ds->shape, from->shape, sizeof ds->shape);
        memcpy(ds->labels, from->labels, sizeof ds->labels);
        memcpy(ds->units, from->units, sizeof ds->units);
        ds->pattern = from->pattern;
        for (int i = 0; i < from->n_tune; i++) {
            dataset_add_tuning(ds, NULL, from->tune_values[i], from->tune_len[i]);
            ds->tune_label[i] = strdup(from->tune_label[i]);
        }
        ds->angles = from->angles;
        ds->n_angles = from->n_angles;
        ds->dark = from->dark;
        ds->flat = from->flat;
        if (from->cor) {
            ds->cor = malloc(sizeof(double) * from->n_cor);
            memcpy(ds->cor, from->cor, sizeof(double) * from->n_cor);
            ds->n_cor = from->n_cor;
        }
        ds->x_start = from->x_start;
        ds->x_step = from->x_step;
        ds->y_start = from->y_start;
        ds->y_step = from->y_step;
    }
    return ds;
}

void dataset_free(struct dataset *ds)
{
    if (!ds)
        return;
    for (int i = 0; i < ds->n_tune; i++) {
        free(ds->tune_label[i]);
        free(ds->tune_values[i]);
    }
    free(ds->cor);
    free(ds->name);
    json_decref(ds->meta);
    free(ds->own_angles);
    free(ds->own_dark);
    free(ds->own_flat);
    free(ds);
}

const json_t *dataset_meta(const struct dataset *ds, const char *key)
{
    for (; ds; ds = ds->parent) {
        const json_t *v = json_object_get(ds->meta, key);
        if (v)
            return v;
    }
    return NULL;
}

int dataset_add_tuning(struct dataset *ds, const char *param, const double *values, long n)
{
    if (ds->n_tune >= DATASET_MAX_TUNE || n < 1)
        return -1;
    int i = ds->n_tune++;
    ds->tune_label[i] = NULL;
    if (param) {
        size_t len = strlen(param) + sizeof "_params";
        ds->tune_label[i] = malloc(len);
        snprintf(ds->tune_label[i], len, "%s_params", param);
    }
    ds->tune_values[i] = malloc(sizeof(double) * n);
    memcpy(ds->tune_values[i], values, sizeof(double) * n);
    ds->tune_len[i] = n;
    ds->n_variants *= n;
    return 0;
}

int pattern_slice_dim(enum savu_pattern p)
{
    return p == SAVU_PATTERN_PROJECTION ? 0 : 1;
}

const char *pattern_name(enum savu_pattern p)
{
    switch (p) {
    case SAVU_PATTERN_PROJECTION: return "PROJECTION";
    case SAVU_PATTERN_SINOGRAM: return "SINOGRAM";
    case SAVU_PATTERN_VOLUME_XZ: return "VOLUME_XZ";
    default: return "NONE";
    }
}

long dataset_frames(const struct dataset *ds, enum savu_pattern p)
{
    return ds->shape[pattern_slice_dim(p)];
}

long dataset_frame_size(const struct dataset *ds, enum savu_pattern p)
{
    return pattern_slice_dim(p) == 0 ? ds->shape[1] * ds->shape[2] : ds->shape[0] * ds->shape[2];
}

double dataset_floats(const struct dataset *ds)
{
    return (double)ds->shape[0] * ds->shape[1] * ds->shape[2] * ds->n_variants;
}
