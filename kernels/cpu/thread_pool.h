/* thread_pool.h: a small fixed pool of pthreads, created once and reused, that
 * runs a batch of numbered tasks and returns when all of them are done.
 *
 * The calling thread takes part as worker 0, so a pool of n threads starts
 * n - 1 pthreads (none for n == 1, where tasks run in the caller). Tasks are
 * handed out in increasing order from a shared counter; which worker runs a
 * task must not change its result (the CPU kernels rely on this for results
 * that are bit-identical for any number of threads). One batch runs at a time
 * per pool; savu_thread_pool_run is not re-entrant for the same pool. */
#ifndef SAVU_THREAD_POOL_H
#define SAVU_THREAD_POOL_H

#include "error.h"

typedef struct savu_thread_pool savu_thread_pool;

/* A task: `task` is in [0, n_tasks), `worker` in [0, n_threads) identifies the
 * thread running it (for per-thread scratch space). */
typedef void (*savu_pool_task_fn)(void *ctx, int task, int worker);

/* The largest pool savu_thread_pool_create accepts. */
#define SAVU_THREAD_POOL_MAX 1024

/* A pool of n_threads (1..SAVU_THREAD_POOL_MAX) threads, or NULL with err set. */
savu_thread_pool *savu_thread_pool_create(int n_threads, savu_error *err);

/* Runs fn(ctx, task, worker) for every task in [0, n_tasks) and waits for all
 * of them. A NULL pool runs the tasks in the calling thread as worker 0. */
void savu_thread_pool_run(savu_thread_pool *pool, int n_tasks, savu_pool_task_fn fn, void *ctx);

/* The number of threads (workers) of the pool; 1 for NULL. */
int savu_thread_pool_size(const savu_thread_pool *pool);

/* Stops and joins the threads and frees the pool (NULL is fine). */
void savu_thread_pool_destroy(savu_thread_pool *pool);

#endif
