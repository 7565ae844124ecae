/* reslice_node.c: reading a node's other ranks' slab rows directly with
 * process_vm_readv(2) (see reslice_node.h). */
#define _GNU_SOURCE /* process_vm_readv */
#include "reslice_node.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>
#include "cpu/parallel_ranges.h"

/* Local buffers per call (Linux's limit). */
#define READ_BATCH 1024

/* This rank's node: the world rank of the node's first rank. */
static int64_t node_of(MPI_Comm comm)
{
    MPI_Comm node;
    int first = 0, rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Allreduce(&rank, &first, 1, MPI_INT, MPI_MIN, node);
    MPI_Comm_free(&node);
    return first;
}

bool reslice_node_peers(MPI_Comm comm, const struct slab *from, struct reslice_peer *peers)
{
    int rank, ranks;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    struct reslice_peer me = { (int64_t)getpid(), (int64_t)(intptr_t)from->data, node_of(comm) };
    MPI_Allgather(&me, 3, MPI_INT64_T, peers, 3, MPI_INT64_T, comm);
    int readable = 1;
    for (int q = 0; q < ranks && readable; q++) {
        if (q == rank || peers[q].node != me.node || !peers[q].address)
            continue;
        float word;
        struct iovec local = { &word, sizeof word };
        struct iovec remote = { (void *)(intptr_t)peers[q].address, sizeof word };
        readable = process_vm_readv((pid_t)peers[q].pid, &local, 1, &remote, 1, 0) ==
                   (ssize_t)sizeof word;
    }
    int everyone = 0;
    MPI_Allreduce(&readable, &everyone, 1, MPI_INT, MPI_MIN, comm);
    return everyone == 1;
}

struct node_read {
    const struct reslice_geometry *g;
    const struct reslice_peer *peers;
    const int *sources;       /* the node's ranks that hold frames */
    const struct frame_range *ranges; /* their ranges along a */
    long *first_unit;         /* per source: its first unit; [n] = total */
    int n_sources;
    struct slab *to;
    int error;                /* an errno of a failed read (any one), else 0 */
};

/* Unit u: source s, variant v, its frame fa: the run of this rank's rows
 * fb, read into their places [v][fb][q.first + fa]. */
static int read_unit(const struct node_read *r, long u)
{
    int s = 0;
    while (u >= r->first_unit[s + 1])
        s++;
    long local = u - r->first_unit[s];
    const struct frame_range *qa = &r->ranges[s];
    long v = local / qa->count, fa = local % qa->count;
    const struct reslice_geometry *g = r->g;
    const struct frame_range *mine = &r->to->range;
    const struct reslice_peer *q = &r->peers[r->sources[s]];
    size_t row = (size_t)g->n_last * sizeof(float);
    const char *remote = (const char *)(intptr_t)q->address +
                         (((size_t)v * qa->count + fa) * g->n_b + mine->first) * row;
    struct iovec local_iov[READ_BATCH];
    for (long b0 = 0; b0 < mine->count; b0 += READ_BATCH) {
        long n = mine->count - b0 < READ_BATCH ? mine->count - b0 : READ_BATCH;
        for (long b = 0; b < n; b++) {
            float *dst = r->to->data +
                         (((size_t)v * mine->count + b0 + b) * g->n_a + qa->first + fa) * g->n_last;
            local_iov[b] = (struct iovec){ dst, row };
        }
        struct iovec remote_iov = { (void *)(remote + (size_t)b0 * row), (size_t)n * row };
        ssize_t got = process_vm_readv((pid_t)q->pid, local_iov, (unsigned long)n, &remote_iov, 1, 0);
        if (got < 0)
            return errno;
        if ((size_t)got != (size_t)n * row)
            return EIO;
    }
    return 0;
}

static void read_units(void *ctx, long begin, long end)
{
    struct node_read *r = ctx;
    for (long u = begin; u < end; u++) {
        int rc = read_unit(r, u);
        if (rc != 0) {
            __atomic_store_n(&r->error, rc, __ATOMIC_RELAXED);
            return;
        }
    }
}

int reslice_node_read(const struct reslice_geometry *g, const struct reslice_peer *peers,
                      int rank, int ranks, struct savu_thread_pool *pool, struct slab *to)
{
    if (to->range.count == 0)
        return 0;
    int *sources = malloc(sizeof *sources * (size_t)ranks);
    struct frame_range *ranges = malloc(sizeof *ranges * (size_t)ranks);
    long *first_unit = malloc(sizeof *first_unit * (size_t)(ranks + 1));
    if (!sources || !ranges || !first_unit) {
        free(sources);
        free(ranges);
        free(first_unit);
        return ENOMEM;
    }
    struct node_read r = { .g = g, .peers = peers, .sources = sources, .ranges = ranges,
                           .first_unit = first_unit, .to = to };
    first_unit[0] = 0;
    for (int q = 0; q < ranks; q++) {
        struct frame_range qa = frame_range_of(g->n_a, q, ranks);
        if (peers[q].node != peers[rank].node || qa.count == 0)
            continue;
        sources[r.n_sources] = q;
        ranges[r.n_sources] = qa;
        first_unit[r.n_sources + 1] = first_unit[r.n_sources] + g->variants * qa.count;
        r.n_sources++;
    }
    savu_parallel_ranges(pool, first_unit[r.n_sources], read_units, &r);
    free(sources);
    free(ranges);
    free(first_unit);
    return __atomic_load_n(&r.error, __ATOMIC_RELAXED);
}
