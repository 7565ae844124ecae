/* dataset.c: datasets as the engine plans them: creation, tuning
 * dimensions and the metadata chain (see dataset.h); their patterns and
 * frame geometry are in dataset_pattern.c. */
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
        ds->ndim = from->ndim;
        memcpy(ds->shape, from->shape, sizeof ds->shape);
        memcpy(ds->labels, from->labels, sizeof ds->labels);
        memcpy(ds->units, from->units, sizeof ds->units);
        memcpy(ds->patterns, from->patterns, sizeof ds->patterns);
        ds->patterns_declared = from->patterns_declared;
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

double dataset_floats(const struct dataset *ds)
{
    double n = ds->n_variants;
    for (int d = 0; d < ds->ndim; d++)
        n *= ds->shape[d];
    return n;
}
