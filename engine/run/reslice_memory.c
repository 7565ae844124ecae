/* reslice_memory.c: the in-memory reslice by MPI_Alltoallw (see
 * reslice_memory.h). Each message is described by a derived datatype with
 * its start offset built in (MPI_Aint, so slabs over 2 GiB are fine): on the
 * sending side the rows of the receiver's range in every (variant, fa); on
 * the receiving side the same rows laid down transposed. Where the ranks of
 * a node can read each other's memory, the pairs within a node (a rank and
 * itself included) send nothing: each rank reads its rows from them
 * directly (reslice_node.h), and MPI carries only what crosses nodes. */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/parallel_ranges.h"
#include "reslice_memory.h"
#include "reslice_node.h"

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

/* direct: NULL, or per rank whether its pair with this rank moves directly
 * (then MPI sends nothing between them). */
static int exchange(MPI_Comm comm, const struct reslice_shape *s, const struct slab *from,
                    struct slab *to, const bool *direct)
{
    int n = s->ranks, rc;
    int counts[2 * n], displs[2 * n];
    MPI_Datatype types[2 * n], row;
    MPI_Type_contiguous((int)s->n_last, MPI_FLOAT, &row);
    MPI_Type_commit(&row);
    for (int p = 0; p < n; p++) {
        struct frame_range to_p = frame_range_of(s->n_b, p, n);
        struct frame_range from_p = frame_range_of(s->n_a, p, n);
        bool by_mpi = !direct || !direct[p];
        bool sends = by_mpi && to_p.count > 0 && from->range.count > 0;
        bool receives = by_mpi && from_p.count > 0 && to->range.count > 0;
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

/* Several ranks: the node's pairs directly when every rank can, the rest
 * (or everything) by MPI. Collective; the same result on every rank. */
static int exchange_with_node(MPI_Comm comm, const struct reslice_shape *s, const struct slab *from,
                              struct slab *to, int threads, const char **how, savu_error *err)
{
    struct reslice_peer *peers = malloc(sizeof *peers * (size_t)s->ranks);
    bool *direct = malloc(sizeof *direct * (size_t)s->ranks);
    const char *force = getenv("SAVU_RESLICE_MPI");
    int ok = peers && direct && !(force && strcmp(force, "1") == 0) ? 1 : 0, everyone = 0;
    MPI_Allreduce(&ok, &everyone, 1, MPI_INT, MPI_MIN, comm);
    bool node_direct = everyone && reslice_node_peers(comm, from, peers);
    bool one_node = true;
    for (int p = 0; node_direct && p < s->ranks; p++) {
        direct[p] = peers[p].node == peers[s->rank].node;
        one_node = one_node && peers[p].node == peers[0].node;
    }
    *how = !node_direct ? "MPI all-to-all" : one_node ? "direct reads within the node"
                                                      : "direct reads within each node, MPI between them";
    int rc = exchange(comm, s, from, to, node_direct ? direct : NULL) == 0 ? 0 : -1;
    int read = 0;
    if (node_direct) {
        struct reslice_geometry g = { s->variants, s->n_a, s->n_b, s->n_last };
        savu_error ignored;
        savu_thread_pool *pool = threads > 1 ? savu_thread_pool_create(threads, &ignored) : NULL;
        read = reslice_node_read(&g, peers, s->rank, s->ranks, pool, to);
        savu_thread_pool_destroy(pool);
        MPI_Barrier(comm); /* every source read before any is freed */
    }
    free(peers);
    free(direct);
    int failed = rc != 0 || read != 0, any = 0;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, comm);
    if (!any)
        return 0;
    if (read != 0)
        return savu_error_set(err, "reslice in memory: reading another rank's frames: %s",
                              strerror(read));
    return savu_error_set(err, "reslice in memory: %s", rc != 0 ? "MPI_Alltoallw failed"
                                                                 : "another rank failed");
}

int reslice_memory(MPI_Comm comm, const struct slab *from, long n_a, long n_last, int threads,
                   struct slab *to, const char **how, savu_error *err)
{
    *how = "transposed on one rank";
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
    int rc = exchange_with_node(comm, &s, from, to, threads, how, err);
    if (rc != 0)
        slab_free(to);
    return rc;
}
