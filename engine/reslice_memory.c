/* reslice_memory.c: the in-memory reslice by MPI_Alltoallw (see
 * reslice_memory.h). Each message is described by a derived datatype with
 * its start offset built in (MPI_Aint, so slabs over 2 GiB are fine): on the
 * sending side the rows of the receiver's range in every (variant, fa); on
 * the receiving side the same rows laid down transposed. */
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include "cpu/parallel_ranges.h"
#include "reslice_memory.h"

struct reslice_shape {
    long variants, n_a, n_b, n_last;
    int rank, ranks;
};

/* type shifted by offset bytes (count 1 of the result covers it). */
static MPI_Datatype at_offset(MPI_Aint offset, MPI_Datatype type)
{
    int one = 1;
    MPI_Datatype moved;
    MPI_Type_create_struct(1, &one, &offset, &type, &moved);
    MPI_Type_commit(&moved);
    MPI_Type_free(&type);
    return moved;
}

/* From [v][fa (mine)][fb][n_last]: the rows fb of `to_range`, for each v, fa. */
static MPI_Datatype send_type(const struct reslice_shape *s, long my_na, struct frame_range to_range,
                              MPI_Datatype row)
{
    MPI_Datatype t;
    MPI_Type_create_hvector(s->variants * my_na, (int)to_range.count,
                            (MPI_Aint)(s->n_b * s->n_last * sizeof(float)), row, &t);
    return at_offset((MPI_Aint)(to_range.first * s->n_last * sizeof(float)), t);
}

/* Into [v][fb (mine)][fa][n_last]: what rank p sends, in its order v, fa, fb. */
static MPI_Datatype recv_type(const struct reslice_shape *s, struct frame_range from_range,
                              long my_nb, MPI_Datatype row)
{
    const MPI_Aint row_bytes = (MPI_Aint)(s->n_last * sizeof(float));
    MPI_Datatype fb, fa, v;
    MPI_Type_create_hvector((int)my_nb, 1, row_bytes * s->n_a, row, &fb);
    MPI_Type_create_hvector((int)from_range.count, 1, row_bytes, fb, &fa);
    MPI_Type_create_hvector((int)s->variants, 1, row_bytes * s->n_a * my_nb, fa, &v);
    MPI_Type_free(&fb);
    MPI_Type_free(&fa);
    return at_offset(row_bytes * from_range.first, v);
}

struct transpose_task {
    const struct reslice_shape *s;
    const float *from;
    float *to;
};

/* Rows b in [begin, end) of every variant (ranges over variants x n_b). */
static void transpose_rows(void *ctx, long begin, long end)
{
    const struct transpose_task *t = ctx;
    const struct reslice_shape *s = t->s;
    const size_t row = (size_t)s->n_last * sizeof(float);
    const size_t plane = (size_t)s->n_a * s->n_b * s->n_last;
    for (long i = begin; i < end; i++) {
        long v = i / s->n_b, b = i % s->n_b;
        const float *src = t->from + v * plane + (size_t)b * s->n_last;
        float *dst = t->to + v * plane + (size_t)b * s->n_a * s->n_last;
        for (long a = 0; a < s->n_a; a++)
            memcpy(dst + (size_t)a * s->n_last, src + (size_t)a * s->n_b * s->n_last, row);
    }
}

/* One rank: the transpose in memory, on `threads` threads. */
static int transpose_locally(const struct reslice_shape *s, const float *from, float *to,
                             int threads)
{
    savu_error ignored;
    savu_thread_pool *pool = threads > 1 ? savu_thread_pool_create(threads, &ignored) : NULL;
    struct transpose_task t = {s, from, to};
    savu_parallel_ranges(pool, s->variants * s->n_b, transpose_rows, &t);
    savu_thread_pool_destroy(pool);
    return 0;
}

static int exchange(MPI_Comm comm, const struct reslice_shape *s, const struct slab *from,
                    struct slab *to)
{
    int n = s->ranks, rc;
    int counts[2 * n], displs[2 * n];
    MPI_Datatype types[2 * n], row;
    MPI_Type_contiguous((int)s->n_last, MPI_FLOAT, &row);
    MPI_Type_commit(&row);
    for (int p = 0; p < n; p++) {
        struct frame_range to_p = frame_range_of(s->n_b, p, n);
        struct frame_range from_p = frame_range_of(s->n_a, p, n);
        bool sends = to_p.count > 0 && from->range.count > 0;
        bool receives = from_p.count > 0 && to->range.count > 0;
        counts[p] = sends, counts[n + p] = receives;
        displs[p] = displs[n + p] = 0;
        types[p] = sends ? send_type(s, from->range.count, to_p, row) : MPI_FLOAT;
        types[n + p] = receives ? recv_type(s, from_p, to->range.count, row) : MPI_FLOAT;
    }
    rc = MPI_Alltoallw(from->data, counts, displs, types, to->data, counts + n, displs + n,
                       types + n, comm);
    for (int i = 0; i < 2 * n; i++)
        if (counts[i])
            MPI_Type_free(&types[i]);
    MPI_Type_free(&row);
    return rc == MPI_SUCCESS ? 0 : -1;
}

int reslice_memory(MPI_Comm comm, const struct slab *from, long n_a, long n_last, int threads,
                   struct slab *to, savu_error *err)
{
    struct reslice_shape s = {from->variants, n_a, from->frame_size / n_last, n_last, 0, 1};
    MPI_Comm_rank(comm, &s.rank);
    MPI_Comm_size(comm, &s.ranks);
    if (s.variants * from->range.count > INT_MAX || s.n_a > INT_MAX || s.n_b > INT_MAX ||
        s.n_last > INT_MAX)
        return savu_error_set(err, "reslice in memory: the dataset has too many rows for MPI "
                                   "counts; use --reslice file");
    struct frame_range mine = frame_range_of(s.n_b, s.rank, s.ranks);
    if (slab_alloc(to, s.variants, mine, s.n_a * n_last) != 0)
        return savu_error_set(err, "reslice in memory: out of memory for %.0f MiB",
                              slab_bytes(s.variants, mine.count, s.n_a * n_last) / 1048576.0);
    if (s.ranks == 1)
        return transpose_locally(&s, from->data, to->data, threads);
    if (exchange(comm, &s, from, to) != 0) {
        slab_free(to);
        return savu_error_set(err, "reslice in memory: MPI_Alltoallw failed");
    }
    return 0;
}
