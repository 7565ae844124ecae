/* thread_pool.c: the reusable pthread pool of thread_pool.h. Workers sleep on
 * a condition variable until a new batch (a new generation number) is posted,
 * take task numbers from an atomic counter, and report back through a count
 * of workers still busy with the batch. */
#include "thread_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct worker {
    savu_thread_pool *pool;
    int index;
};

struct savu_thread_pool {
    int n_threads;
    int n_started; /* pthreads actually running (n_threads - 1 once created) */
    pthread_t *threads;
    struct worker *workers;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a new batch was posted, or stop was set */
    pthread_cond_t idle; /* busy dropped to 0 */
    unsigned long generation;
    int busy;
    int stop;
    /* the batch being run */
    savu_pool_task_fn fn;
    void *ctx;
    int n_tasks;
    atomic_int next_task;
};

static void run_tasks(savu_thread_pool *pool, int worker)
{
    for (;;) {
        int task = atomic_fetch_add(&pool->next_task, 1);
        if (task >= pool->n_tasks)
            return;
        pool->fn(pool->ctx, task, worker);
    }
}

static void *worker_main(void *arg)
{
    struct worker *self = arg;
    savu_thread_pool *pool = self->pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && pool->generation == seen)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->stop)
            break;
        seen = pool->generation;
        pthread_mutex_unlock(&pool->lock);
        run_tasks(pool, self->index);
        pthread_mutex_lock(&pool->lock);
        if (--pool->busy == 0)
            pthread_cond_signal(&pool->idle);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

static void stop_workers(savu_thread_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    pool->stop = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->n_started; i++)
        pthread_join(pool->threads[i], NULL);
    pool->n_started = 0;
}

savu_thread_pool *savu_thread_pool_create(int n_threads, savu_error *err)
{
    if (n_threads < 1 || n_threads > SAVU_THREAD_POOL_MAX) {
        savu_error_set(err, "thread pool: number of threads %d is outside 1..%d", n_threads,
                       SAVU_THREAD_POOL_MAX);
        return NULL;
    }
    savu_thread_pool *pool = calloc(1, sizeof *pool);
    if (!pool) {
        savu_error_set(err, "thread pool: out of memory");
        return NULL;
    }
    pool->n_threads = n_threads;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->idle, NULL);
    atomic_init(&pool->next_task, 0);
    int n_extra = n_threads - 1;
    if (n_extra > 0) {
        pool->threads = calloc((size_t)n_extra, sizeof *pool->threads);
        pool->workers = calloc((size_t)n_extra, sizeof *pool->workers);
        if (!pool->threads || !pool->workers) {
            savu_error_set(err, "thread pool: out of memory");
            savu_thread_pool_destroy(pool);
            return NULL;
        }
    }
    for (int i = 0; i < n_extra; i++) {
        pool->workers[i].pool = pool;
        pool->workers[i].index = i + 1;
        int rc = pthread_create(&pool->threads[i], NULL, worker_main, &pool->workers[i]);
        if (rc != 0) {
            savu_error_set(err, "thread pool: cannot start thread %d of %d: %s", i + 2, n_threads,
                           strerror(rc));
            savu_thread_pool_destroy(pool);
            return NULL;
        }
        pool->n_started++;
    }
    return pool;
}

void savu_thread_pool_run(savu_thread_pool *pool, int n_tasks, savu_pool_task_fn fn, void *ctx)
{
    if (n_tasks <= 0)
        return;
    if (!pool || pool->n_started == 0) {
        for (int task = 0; task < n_tasks; task++)
            fn(ctx, task, 0);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->n_tasks = n_tasks;
    atomic_store(&pool->next_task, 0);
    pool->busy = pool->n_started;
    pool->generation++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    run_tasks(pool, 0);

    pthread_mutex_lock(&pool->lock);
    while (pool->busy > 0)
        pthread_cond_wait(&pool->idle, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

int savu_thread_pool_size(const savu_thread_pool *pool)
{
    return pool ? pool->n_threads : 1;
}

void savu_thread_pool_destroy(savu_thread_pool *pool)
{
    if (!pool)
        return;
    stop_workers(pool);
    pthread_cond_destroy(&pool->idle);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->lock);
    free(pool->workers);
    free(pool->threads);
    free(pool);
}
