/* gpu_chain_pin.c: pinning a GPU chain's host block buffers, the second
 * block's beside the first block (see gpu_chain_pin.h). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <mpi.h>
#include "config.h"
#include "cpu/parallel_ranges.h"
#include "cpu/thread_pool.h"
#include "gpu_chain.h"
#include "gpu_chain_pin.h"
#include "run_log.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_chain.h"
#endif

#include "populate_write.h"

struct chain_pinning {
    const struct gpu_chains *g;
    const struct gpu_chain *c;
    pthread_t thread;
    bool thread_running;
};

/* The host buffer of slot `slot` that feeds stage i (NULL: a slab, not
 * pinned), and its size. */
static float *input_buffer(const struct gpu_section *sec, size_t i, int slot, size_t *bytes)
{
    if (i > 0) {
        *bytes = sizeof(float) * (size_t)sec->block * sec->stages[i - 1].frame_out;
        return sec->stage_out[slot][i - 1];
    }
    *bytes = sizeof(float) * (size_t)sec->block * sec->stages[0].frame_in;
    return sec->input[slot];
}

/* Whether the kernel populates pages for writing without writing them. */
static bool can_populate(void *data, size_t bytes)
{
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)data + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
    return bytes >= (size_t)page && start + (uintptr_t)page <= (uintptr_t)data + bytes &&
           madvise((void *)start, (size_t)page, MADV_POPULATE_WRITE) == 0;
}

struct populating {
    char *data;
    bool by_writing; /* memset: only where nothing else uses the buffer yet */
};

/* Populates bytes [begin, end) of a buffer. */
static void populate_range(void *ctx, long begin, long end)
{
    const struct populating *p = ctx;
    if (p->by_writing) {
        memset(p->data + begin, 0, (size_t)(end - begin));
        return;
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)(p->data + begin) & ~(page - 1);
    madvise((void *)from, (uintptr_t)(p->data + end) - from, MADV_POPULATE_WRITE);
}

/* Populates one buffer on the pool's threads and pins it. */
static bool pin(savu_thread_pool *pool, const struct gpu_chain *c, float *data, size_t bytes,
                bool by_writing)
{
    if (!data)
        return false;
    struct populating p = {(char *)data, by_writing};
    savu_parallel_ranges(pool, (long)bytes, populate_range, &p);
#ifdef HAVE_CUDA
    return savu_cuda_chain_pin(c->cuda, data, bytes) == 0;
#else
    (void)c;
    return false;
#endif
}

/* Pins the buffers of one slot; true when all are. */
static bool pin_slot(const struct gpu_chains *g, savu_thread_pool *pool,
                     const struct gpu_chain *c, int slot, bool by_writing)
{
    const struct gpu_section *sec = &g->sec;
    size_t bytes;
    float *in = input_buffer(sec, c->first, slot, &bytes);
    /* The first block's read may be filling slot 0's input meanwhile. */
    bool all = pin(pool, c, in, bytes, by_writing && !(slot == 0 && sec->reading_first));
    for (size_t k = c->first; k < c->end; k++)
        if (gpu_chain_returns(g, k))
            all = pin(pool, c, sec->stage_out[slot][k],
                      sizeof(float) * (size_t)sec->block * sec->stages[k].frame_out,
                      by_writing) && all;
    return all;
}

/* The thread that pins slot 1 beside the first block, with threads of its
 * own (the section's are computing). */
static void *pin_second_slot(void *arg)
{
    struct chain_pinning *p = arg;
    int threads = p->g->sec.threads / 2;
    savu_error err;
    savu_thread_pool *pool = threads > 1 ? savu_thread_pool_create(threads, &err) : NULL;
    double t0 = MPI_Wtime();
    bool all = pin_slot(p->g, pool, p->c, 1, false);
    savu_log(LOG_DEBUG, "GPU chain: the second block's host buffers %s in %.2f s beside the "
             "first block", all ? "pinned" : "not all pinned", MPI_Wtime() - t0);
    savu_thread_pool_destroy(pool);
    return NULL;
}

struct chain_pinning *chain_pinning_start(const struct gpu_chains *g, const struct gpu_chain *c,
                                          double *seconds, bool *all)
{
    double t0 = MPI_Wtime();
    struct chain_pinning *p = calloc(1, sizeof *p);
    *all = false;
    if (!p) {
        *seconds = MPI_Wtime() - t0;
        return NULL;
    }
    p->g = g;
    p->c = c;
    size_t bytes;
    float *in = input_buffer(&g->sec, c->first, 1, &bytes);
    bool beside = g->sec.n_blocks > 1 && in && can_populate(in, bytes);
    *all = pin_slot(g, g->sec.pool, c, 0, true);
    if (beside)
        beside = p->thread_running = pthread_create(&p->thread, NULL, pin_second_slot, p) == 0;
    if (!beside)
        *all = pin_slot(g, g->sec.pool, c, 1, true) && *all;
    *seconds = MPI_Wtime() - t0;
    return p;
}

bool chain_pinning_beside(const struct chain_pinning *p)
{
    return p && p->thread_running;
}

void chain_pinning_wait(struct chain_pinning *p, int slot)
{
    if (p && slot == 1 && p->thread_running) {
        pthread_join(p->thread, NULL);
        p->thread_running = false;
    }
}

void chain_pinning_free(struct chain_pinning *p)
{
    chain_pinning_wait(p, 1);
    free(p);
}
