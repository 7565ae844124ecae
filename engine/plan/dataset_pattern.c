/* dataset_pattern.c: the patterns of a dataset (Savu's core and slice dims,
 * savu-engine.md §1.3) and the frame geometry they give: how many frames,
 * how big, and where a block's frames lie in the dataset (frame runs), for
 * any number of dims (see dataset.h). */
#include <stdio.h>
#include <string.h>
#include "dataset.h"

static const char *const names[SAVU_PATTERN_COUNT] = {
    [SAVU_PATTERN_PROJECTION] = "PROJECTION",     [SAVU_PATTERN_SINOGRAM] = "SINOGRAM",
    [SAVU_PATTERN_VOLUME_XZ] = "VOLUME_XZ",       [SAVU_PATTERN_VOLUME_XY] = "VOLUME_XY",
    [SAVU_PATTERN_VOLUME_YZ] = "VOLUME_YZ",       [SAVU_PATTERN_TANGENTOGRAM] = "TANGENTOGRAM",
    [SAVU_PATTERN_SPECTRUM] = "SPECTRUM",         [SAVU_PATTERN_DIFFRACTION] = "DIFFRACTION",
    [SAVU_PATTERN_TIMESERIES] = "TIMESERIES",
};

/* Savu's 3-D patterns: {defined, core dims, slice dims}. */
static const struct pattern_dims defaults_3d[SAVU_PATTERN_COUNT] = {
    [SAVU_PATTERN_PROJECTION] = {true, 2, {2, 1}, 1, {0}},
    [SAVU_PATTERN_SINOGRAM] = {true, 2, {2, 0}, 1, {1}},
    [SAVU_PATTERN_TANGENTOGRAM] = {true, 2, {0, 1}, 1, {2}},
    [SAVU_PATTERN_VOLUME_XZ] = {true, 2, {0, 2}, 1, {1}},
    [SAVU_PATTERN_VOLUME_XY] = {true, 2, {0, 1}, 1, {2}},
    [SAVU_PATTERN_VOLUME_YZ] = {true, 2, {1, 2}, 1, {0}},
};

const char *pattern_name(enum savu_pattern p)
{
    return p > SAVU_PATTERN_NONE && p < SAVU_PATTERN_COUNT && names[p] ? names[p] : "NONE";
}

enum savu_pattern pattern_from_name(const char *name)
{
    for (int p = 0; name && p < SAVU_PATTERN_COUNT; p++)
        if (names[p] && strcmp(names[p], name) == 0)
            return (enum savu_pattern)p;
    return SAVU_PATTERN_NONE;
}

const struct pattern_dims *dataset_pattern(const struct dataset *ds, enum savu_pattern p)
{
    if (p <= SAVU_PATTERN_NONE || p >= SAVU_PATTERN_COUNT)
        return NULL;
    const struct pattern_dims *pd = ds->patterns_declared ? &ds->patterns[p]
                                    : ds->ndim == 3       ? &defaults_3d[p]
                                                          : NULL;
    return pd && pd->defined ? pd : NULL;
}

int dataset_add_pattern(struct dataset *ds, enum savu_pattern p, const int *core, int n_core,
                        const int *slice, int n_slice, char why[160])
{
    if (p <= SAVU_PATTERN_NONE || p >= SAVU_PATTERN_COUNT || p == SAVU_PATTERN_FROM_PARAMETER) {
        snprintf(why, 160, "pattern %d is not a pattern", (int)p);
        return -1;
    }
    if (n_core < 1 || n_slice < 1 || n_core + n_slice != ds->ndim) {
        snprintf(why, 160, "pattern %s: %d core and %d slice dims for a %d-D dataset", names[p],
                 n_core, n_slice, ds->ndim);
        return -1;
    }
    int seen[DATASET_MAX_DIMS] = {0};
    for (int i = 0; i < n_core + n_slice; i++) {
        int d = i < n_core ? core[i] : slice[i - n_core];
        if (d < 0 || d >= ds->ndim || seen[d]++) {
            snprintf(why, 160, "pattern %s: dim %d is %s", names[p], d,
                     d < 0 || d >= ds->ndim ? "not a dim of the dataset" : "named twice");
            return -1;
        }
    }
    if (!ds->patterns_declared)
        memset(ds->patterns, 0, sizeof ds->patterns);
    ds->patterns_declared = true;
    struct pattern_dims *pd = &ds->patterns[p];
    *pd = (struct pattern_dims){.defined = true, .n_core = n_core, .n_slice = n_slice};
    memcpy(pd->core, core, sizeof(int) * n_core);
    memcpy(pd->slice, slice, sizeof(int) * n_slice);
    return 0;
}

void dataset_set_shape(struct dataset *ds, int ndim, const long *shape)
{
    memset(ds->patterns, 0, sizeof ds->patterns);
    ds->patterns_declared = false;
    for (int d = 0; d < ndim; d++) {
        if (d >= ds->ndim || !ds->labels[d])
            ds->labels[d] = "";
        if (d >= ds->ndim || !ds->units[d])
            ds->units[d] = "";
    }
    ds->ndim = ndim;
    memset(ds->shape, 0, sizeof ds->shape);
    memcpy(ds->shape, shape, sizeof(long) * ndim);
}

void dataset_pattern_names(const struct dataset *ds, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int p = 0; p < SAVU_PATTERN_COUNT; p++)
        if (dataset_pattern(ds, p) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", names[p]);
    if (!used)
        snprintf(buf, size, "none");
}

static long product(const struct dataset *ds, const int *dims, int n)
{
    long total = 1;
    for (int i = 0; i < n; i++)
        total *= ds->shape[dims[i]];
    return total;
}

long dataset_frames(const struct dataset *ds, enum savu_pattern p)
{
    const struct pattern_dims *pd = dataset_pattern(ds, p);
    return pd ? product(ds, pd->slice, pd->n_slice) : 0;
}

long dataset_frame_size(const struct dataset *ds, enum savu_pattern p)
{
    const struct pattern_dims *pd = dataset_pattern(ds, p);
    return pd ? product(ds, pd->core, pd->n_core) : 0;
}

int dataset_slice_dim(const struct dataset *ds, enum savu_pattern p)
{
    const struct pattern_dims *pd = dataset_pattern(ds, p);
    return pd ? pd->slice[0] : -1;
}

bool dataset_same_frames(const struct dataset *a, enum savu_pattern pa, const struct dataset *b,
                         enum savu_pattern pb)
{
    const struct pattern_dims *x = dataset_pattern(a, pa), *y = dataset_pattern(b, pb);
    if (!x || !y || x->n_slice != y->n_slice)
        return false;
    for (int i = 0; i < x->n_slice; i++)
        if (x->slice[i] != y->slice[i] || a->shape[x->slice[i]] != b->shape[y->slice[i]])
            return false;
    return true;
}

bool dataset_simple_3d(const struct dataset *ds, enum savu_pattern p)
{
    const struct pattern_dims *pd = dataset_pattern(ds, p);
    return ds->ndim == 3 && pd && pd->n_slice == 1 && pd->slice[0] < 2;
}

void frame_run_of(int ndim, const long *shape, const struct pattern_dims *pd, long first, long n,
                  struct frame_run *run)
{
    memset(run, 0, sizeof *run);
    if (!pd || n < 1)
        return;
    for (int d = 0; d < ndim; d++)
        run->count[d] = shape[d];
    /* Frame `first` in the slice dims, the first fastest. */
    long rest = first;
    for (int i = 0; i < pd->n_slice; i++) {
        int d = pd->slice[i];
        run->start[d] = rest % shape[d];
        run->count[d] = 1;
        rest /= shape[d];
    }
    const int s = pd->slice[0];
    long along = shape[s] - run->start[s];
    run->count[s] = along < n ? along : n;
    run->frames = run->count[s];
    run->before = run->after = 1;
    for (int d = 0; d < ndim; d++) {
        if (d < s)
            run->before *= run->count[d];
        else if (d > s)
            run->after *= run->count[d];
    }
}

void dataset_frame_run(const struct dataset *ds, enum savu_pattern p, long first, long n,
                       struct frame_run *run)
{
    frame_run_of(ds->ndim, ds->shape, dataset_pattern(ds, p), first, n, run);
}
