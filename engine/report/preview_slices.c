/* preview_slices.c: the central slices of the final volume, collected from
 * its blocks (see preview_slices.h). Slice k is cut at the centre c_k of
 * dim k: cut[0] is [d1][d2], cut[1] [d0][d2], cut[2] [d1][d0]. Each rank
 * fills what its frames hold: one row of each of two slices per frame (the
 * slices across the frames), and the whole third slice on the rank that
 * holds its frame. Rank 0 gathers the rows (a rank's frames are one range,
 * so its rows are one run) and receives the third slice. With frames along
 * dim 0, cut[2]'s rows are its columns: it is kept [d0][d1] and turned to
 * [d1][d0] on rank 0 before the PNG. */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "mpi_agree.h"
#include "png_preview.h"
#include "preview_slices.h"

struct preview_slices {
    long d[3], c[3];
    int slice_dim;
    long lo, hi; /* the frames added: [lo, hi), none while lo >= hi */
    bool scattered; /* preview_slices_scatter */
    float *cut[3];
};

preview_slices *preview_slices_new(const long dims[3], int slice_dim)
{
    preview_slices *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->slice_dim = slice_dim;
    p->lo = LONG_MAX;
    p->hi = LONG_MIN;
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
    const long d1 = p->d[1], d2 = p->d[2];
    if (x == p->c[0])
        memcpy(p->cut[0], frame, sizeof(float) * d1 * d2);
    memcpy(p->cut[1] + x * d2, frame + p->c[1] * d2, sizeof(float) * d2);
    for (long y = 0; y < d1; y++)
        p->cut[2][x * d1 + y] = frame[y * d2 + p->c[2]]; /* [d0][d1] until written */
}

void preview_slices_scatter(preview_slices *p)
{
    p->scattered = true;
}

void preview_slices_add(preview_slices *p, long first, long n, const float *frames)
{
    const long other = p->slice_dim == 0 ? p->d[1] : p->d[0];
    const size_t frame = (size_t)other * p->d[2];
    if (n > 0) {
        p->lo = first < p->lo ? first : p->lo;
        p->hi = first + n > p->hi ? first + n : p->hi;
    }
    for (long i = 0; i < n; i++) {
        if (p->slice_dim == 0)
            add_x_frame(p, first + i, frames + i * frame);
        else
            add_y_frame(p, first + i, frames + i * frame);
    }
}

/* Each rank's rows [lo, hi) as MPI_Gatherv counts (counts[r]) and
 * displacements (counts[ranks + r]), in rows: the same for both slices
 * gathered. */
static void rows_of_ranks(const long *ranges, int ranks, int *counts)
{
    for (int r = 0; r < ranks; r++) {
        long first = ranges[2 * r], end = ranges[2 * r + 1];
        counts[r] = end > first ? (int)(end - first) : 0;
        counts[ranks + r] = counts[r] ? (int)first : 0;
    }
}

/* Rank 0 gathers every rank's rows of cut (rows of `row` floats, placed as
 * `counts` says); its own are in place. */
static int gather_rows(float *cut, long row, const int *counts, int rank, int ranks,
                       MPI_Comm comm)
{
    MPI_Datatype row_type;
    if (row > INT_MAX || MPI_Type_contiguous((int)row, MPI_FLOAT, &row_type) != MPI_SUCCESS)
        return -1;
    MPI_Type_commit(&row_type);
    const void *send = rank == 0 ? MPI_IN_PLACE : cut + (size_t)counts[ranks + rank] * row;
    int rc = MPI_Gatherv(send, counts[rank], row_type, cut, counts, counts + ranks, row_type, 0,
                         comm) == MPI_SUCCESS ? 0 : -1;
    MPI_Type_free(&row_type);
    return rc;
}

/* The whole slice cut at frame c, from the first rank that holds it to rank
 * 0. */
static int bring_whole(float *cut, long size, long c, const long *ranges, int rank, int ranks,
                       MPI_Comm comm)
{
    int holder = 0;
    while (holder < ranks && !(ranges[2 * holder] <= c && c < ranges[2 * holder + 1]))
        holder++;
    if (holder == 0 || holder == ranks || (rank != 0 && rank != holder))
        return 0;
    if (size > INT_MAX)
        return -1;
    int rc = rank == 0 ? MPI_Recv(cut, (int)size, MPI_FLOAT, holder, 0, comm, MPI_STATUS_IGNORE)
                       : MPI_Send(cut, (int)size, MPI_FLOAT, 0, 0, comm);
    return rc == MPI_SUCCESS ? 0 : -1;
}

/* The three slices summed over the ranks onto rank 0 (scattered frames). */
static int sum_slices(preview_slices *p, int rank, MPI_Comm comm)
{
    const long sizes[3] = {p->d[1] * p->d[2], p->d[0] * p->d[2], p->d[1] * p->d[0]};
    for (int k = 0; k < 3; k++) {
        for (long done = 0; done < sizes[k];) {
            int n = sizes[k] - done > INT_MAX ? INT_MAX : (int)(sizes[k] - done);
            void *send = rank == 0 ? MPI_IN_PLACE : p->cut[k] + done;
            if (MPI_Reduce(send, p->cut[k] + done, n, MPI_FLOAT, MPI_SUM, 0, comm) != MPI_SUCCESS)
                return -1;
            done += n;
        }
    }
    return 0;
}

/* cut[2] from [d0][d1] to [d1][d0] (frames along dim 0), on rank 0. */
static int turn_columns(preview_slices *p)
{
    const long d0 = p->d[0], d1 = p->d[1];
    float *turned = malloc(sizeof(float) * (size_t)d0 * d1);
    if (!turned)
        return -1;
    for (long x = 0; x < d0; x++)
        for (long y = 0; y < d1; y++)
            turned[y * d0 + x] = p->cut[2][x * d1 + y];
    free(p->cut[2]);
    p->cut[2] = turned;
    return 0;
}

int preview_slices_write(preview_slices *p, MPI_Comm comm, const char *png_path, int threads,
                         savu_error *err)
{
    int rank, ranks;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    /* Every rank allocates before any collective call, and all agree. */
    long *ranges = malloc(sizeof *ranges * 2 * (size_t)ranks);
    int *counts = malloc(sizeof *counts * 2 * (size_t)ranks);
    int rc = ranges && counts ? 0 : savu_error_set(err, "preview: out of memory");
    rc = mpi_agree(comm, rc, err);
    long mine[2] = {p->lo, p->hi};
    if (rc == 0 && MPI_Allgather(mine, 2, MPI_LONG, ranges, 2, MPI_LONG, comm) != MPI_SUCCESS)
        rc = -1;
    if (rc == 0)
        rows_of_ranks(ranges, ranks, counts);
    /* The two slices across the frames, then the one along them. */
    const int across[2][2] = {{1, 2}, {0, 2}};
    const int f = p->slice_dim == 0 ? 0 : 1; /* cut[f], cut at c[f], is the one along */
    if (rc == 0 && p->scattered)
        rc = sum_slices(p, rank, comm);
    for (int k = 0; rc == 0 && !p->scattered && k < 2; k++) {
        int s = across[f][k];
        long row = s == 2 ? (f == 0 ? p->d[1] : p->d[0]) : p->d[2];
        rc = gather_rows(p->cut[s], row, counts, rank, ranks, comm);
    }
    if (rc == 0 && !p->scattered)
        rc = bring_whole(p->cut[f], p->d[f == 0 ? 1 : 0] * p->d[2], p->c[f], ranges, rank,
                         ranks, comm);
    free(ranges);
    free(counts);
    if (rank != 0)
        return 0;
    if (rc == 0 && f == 0)
        rc = turn_columns(p);
    if (rc != 0)
        return savu_error_set(err, "preview: gathering the central slices failed (MPI or "
                                   "memory)");
    return png_preview_write_slices(p->cut, p->d, png_path, threads, err);
}

void preview_slices_free(preview_slices *p)
{
    if (!p)
        return;
    for (int k = 0; k < 3; k++)
        free(p->cut[k]);
    free(p);
}
