/* bin_reduce.c: bins of bin x bin pixels (x bin frames) reduced to one
 * value, as skimage's block_reduce does for DownsampleFilter (bin_reduce.h). */
#include "bin_reduce.h"

#include <math.h>
#include <stdlib.h>


static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* One value of a bin's n values, as numpy's mean, median, min, max. */
static float reduce_bin(float *v, long n, enum savu_bin_mode mode)
{
    double acc = v[0];
    switch (mode) {
    case SAVU_BIN_MEAN:
        for (long i = 1; i < n; i++)
            acc += v[i];
        return (float)(acc / (double)n);
    case SAVU_BIN_MIN:
        for (long i = 1; i < n; i++)
            acc = v[i] < acc ? v[i] : acc;
        return (float)acc;
    case SAVU_BIN_MAX:
        for (long i = 1; i < n; i++)
            acc = v[i] > acc ? v[i] : acc;
        return (float)acc;
    default:
        qsort(v, (size_t)n, sizeof *v, compare_floats);
        return n % 2 ? v[n / 2] : (float)(((double)v[n / 2 - 1] + v[n / 2]) / 2.0);
    }
}

/* A value as binned: scaled to [0, 1] from [min, max] when quantising (Savu
 * clips and scales before binning). */
static float scaled(const struct savu_bin *ds, float v)
{
    if (ds->levels == 0)
        return v;
    double c = v < ds->lo ? ds->lo : v > ds->hi ? ds->hi : v;
    return (float)((c - ds->lo) / (ds->hi - ds->lo));
}

/* One output frame from `depth` input frames [depth][rows][cols], the first
 * `valid` of them data: the flipped frames' bins, values past an edge (or
 * in a missing frame) counting as zeros (block_reduce's cval). */
void savu_bin_group(const struct savu_bin *ds, const float *in, float *out,
                             int worker, long valid)
{
    float *v = ds->scratch + (size_t)worker * ds->depth * ds->bin * ds->bin;
    for (long oy = 0; oy < ds->out_rows; oy++)
        for (long ox = 0; ox < ds->out_cols; ox++) {
            long n = 0;
            for (long z = 0; z < ds->depth; z++)
                for (long y = oy * ds->bin; y < (oy + 1) * ds->bin; y++)
                    for (long x = ox * ds->bin; x < (ox + 1) * ds->bin; x++) {
                        long sy = ds->flip_ud ? ds->rows - 1 - y : y;
                        long sx = ds->flip_lr ? ds->cols - 1 - x : x;
                        bool inside = z < valid && y < ds->rows && x < ds->cols;
                        v[n++] = inside ? scaled(ds, in[(z * ds->rows + sy) * ds->cols + sx])
                                        : 0.0f;
                    }
            float r = reduce_bin(v, n, ds->mode);
            /* numpy's uint8 / uint16 of the scaled result: truncated */
            out[oy * ds->out_cols + ox] = ds->levels ? truncf((float)(r * ds->levels)) : r;
        }
}

