/* result_geometry.c: chunks and transposing slabs of a result file (see
 * result_geometry.h). */
#include "result_geometry.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static hsize_t clamp(hsize_t v, hsize_t most)
{
    return v < 1 ? 1 : v > most ? most : v;
}

static hsize_t isqrt(hsize_t n)
{
    hsize_t r = 1;
    while ((r + 1) * (r + 1) <= n)
        r++;
    return r;
}

void result_choose_chunks(const hsize_t dims[3], int sw, int sr, hsize_t chunk[3])
{
    if (sw == sr) {
        int p = sw == 0 ? 1 : 0, q = sw == 2 ? 1 : 2;
        chunk[q] = clamp(RESULT_TARGET_FLOATS, dims[q]);
        chunk[p] = clamp(RESULT_TARGET_FLOATS / chunk[q], dims[p]);
        chunk[sw] = clamp(RESULT_TARGET_FLOATS / (chunk[p] * chunk[q]), dims[sw]);
        return;
    }
    int c = 3 - sw - sr;
    chunk[c] = clamp(RESULT_TARGET_FLOATS, dims[c]);
    hsize_t room = RESULT_TARGET_FLOATS / chunk[c];
    chunk[sw] = clamp(isqrt(room), dims[sw]);
    chunk[sr] = clamp(room / chunk[sw], dims[sr]);
    chunk[sw] = clamp(room / chunk[sr], dims[sw]);
}

/* The largest r with r^k <= n (k >= 1). */
static hsize_t iroot(hsize_t n, int k)
{
    hsize_t r = 1;
    for (;;) {
        hsize_t p = 1, next = r + 1;
        for (int i = 0; i < k && p <= n; i++)
            p *= next;
        if (p > n)
            return r;
        r = next;
    }
}

void result_choose_chunks_nd(int n, const hsize_t *dims, const struct pattern_dims *w,
                             const struct pattern_dims *r, hsize_t *chunk)
{
    bool core_w[DATASET_MAX_DIMS] = {false}, core_r[DATASET_MAX_DIMS] = {false};
    for (int i = 0; i < w->n_core; i++)
        core_w[w->core[i]] = true;
    for (int i = 0; i < r->n_core; i++)
        core_r[r->core[i]] = true;
    hsize_t room = RESULT_TARGET_FLOATS;
    int mixed = 0;
    for (int d = 0; d < n; d++)
        mixed += core_w[d] != core_r[d];
    /* Whole frames of both first (the last dim first), then the dims that
     * one pattern cuts and the other keeps, sharing what is left evenly,
     * then the dims both cut. */
    for (int d = n - 1; d >= 0; d--)
        if (core_w[d] && core_r[d]) {
            chunk[d] = clamp(room, dims[d]);
            room = room / chunk[d] ? room / chunk[d] : 1;
        }
    for (int d = n - 1; d >= 0; d--)
        if (core_w[d] != core_r[d]) {
            chunk[d] = clamp(iroot(room, mixed--), dims[d]);
            room = room / chunk[d] ? room / chunk[d] : 1;
        }
    for (int d = n - 1; d >= 0; d--)
        if (!core_w[d] && !core_r[d]) {
            chunk[d] = clamp(room, dims[d]);
            room = room / chunk[d] ? room / chunk[d] : 1;
        }
}

hsize_t result_choose_slab(const hsize_t dims[3], const hsize_t chunk[3])
{
    hsize_t rows = clamp(RESULT_TARGET_FLOATS / dims[2], dims[0]);
    rows = (rows + chunk[0] - 1) / chunk[0] * chunk[0];
    return clamp(rows, dims[0]);
}

size_t result_frame_floats(const hsize_t dims[3], int dim)
{
    return dim == 0 ? dims[1] * dims[2] : dims[0] * dims[2];
}

float *result_slab_new(const hsize_t dims[3], hsize_t slab, hsize_t n)
{
    if (!n)
        return NULL;
    hsize_t floats = slab * n * dims[2];
    if (floats / n / dims[2] != slab || floats > SIZE_MAX / sizeof(float))
        return NULL;
    return malloc(floats * sizeof(float));
}

void result_slab_pack(const hsize_t dims[3], const float *frames, hsize_t n, hsize_t a0,
                      hsize_t rows, float *slab)
{
    size_t row = dims[2], d0 = dims[0];
    for (hsize_t a = 0; a < rows; a++)
        for (hsize_t f = 0; f < n; f++)
            memcpy(slab + (a * n + f) * row, frames + (f * d0 + a0 + a) * row, row * sizeof *slab);
}

void result_slab_unpack(const hsize_t dims[3], const float *slab, hsize_t n, hsize_t a0,
                        hsize_t rows, float *frames)
{
    size_t row = dims[2], d0 = dims[0];
    for (hsize_t a = 0; a < rows; a++)
        for (hsize_t f = 0; f < n; f++)
            memcpy(frames + (f * d0 + a0 + a) * row, slab + (a * n + f) * row, row * sizeof *slab);
}
