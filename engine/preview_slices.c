/* preview_slices.c: the central slices of the final volume, collected from
 * its blocks (see preview_slices.h). Slice k is cut at the centre c_k of
 * dim k: cut[0] is [d1][d2], cut[1] [d0][d2], cut[2] [d1][d0]. Each rank
 * fills what its frames hold and leaves the rest 0, so that a sum over the
 * ranks gathers them. */
#include <stdlib.h>
#include <string.h>
#include "png_preview.h"
#include "preview_slices.h"

struct preview_slices {
    long d[3], c[3];
    int slice_dim;
    float *cut[3];
};

preview_slices *preview_slices_new(const long dims[3], int slice_dim)
{
    preview_slices *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->slice_dim = slice_dim;
    for (int k = 0; k < 3; k++) {
        p->d[k] = dims[k];
        p->c[k] = dims[k] / 2;
    }
    p->cut[0] = calloc((size_t)dims[1] * dims[2], sizeof(float));
    p->cut[1] = calloc((size_t)dims[0] * dims[2], sizeof(float));
    p->cut[2] = calloc((size_t)dims[1] * dims[0], sizeof(float));
    if (!p->cut[0] || !p->cut[1] || !p->cut[2]) {
        preview_slices_free(p);
        return NULL;
    }
    return p;
}

/* Frame f along dim 1 (y = f): [x][z]. */
static void add_y_frame(preview_slices *p, long y, const float *frame)
{
    const long d0 = p->d[0], d2 = p->d[2];
    if (y == p->c[1])
        memcpy(p->cut[1], frame, sizeof(float) * d0 * d2);
    memcpy(p->cut[0] + y * d2, frame + p->c[0] * d2, sizeof(float) * d2);
    for (long x = 0; x < d0; x++)
        p->cut[2][y * d0 + x] = frame[x * d2 + p->c[2]];
}

/* Frame f along dim 0 (x = f): [y][z]. */
static void add_x_frame(preview_slices *p, long x, const float *frame)
{
    const long d0 = p->d[0], d1 = p->d[1], d2 = p->d[2];
    if (x == p->c[0])
        memcpy(p->cut[0], frame, sizeof(float) * d1 * d2);
    memcpy(p->cut[1] + x * d2, frame + p->c[1] * d2, sizeof(float) * d2);
    for (long y = 0; y < d1; y++)
        p->cut[2][y * d0 + x] = frame[y * d2 + p->c[2]];
}

void preview_slices_add(preview_slices *p, long first, long n, const float *frames)
{
    const long other = p->slice_dim == 0 ? p->d[1] : p->d[0];
    const size_t frame = (size_t)other * p->d[2];
    for (long i = 0; i < n; i++) {
        if (p->slice_dim == 0)
            add_x_frame(p, first + i, frames + i * frame);
        else
            add_y_frame(p, first + i, frames + i * frame);
    }
}

int preview_slices_write(preview_slices *p, MPI_Comm comm, const char *png_path, int threads,
                         savu_error *err)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    const long sizes[3] = {p->d[1] * p->d[2], p->d[0] * p->d[2], p->d[1] * p->d[0]};
    for (int k = 0; k < 3; k++)
        MPI_Reduce(rank == 0 ? MPI_IN_PLACE : p->cut[k], p->cut[k], (int)sizes[k], MPI_FLOAT,
                   MPI_SUM, 0, comm);
    return rank == 0 ? png_preview_write_slices(p->cut, p->d, png_path, threads, err) : 0;
}

void preview_slices_free(preview_slices *p)
{
    if (!p)
        return;
    for (int k = 0; k < 3; k++)
        free(p->cut[k]);
    free(p);
}
