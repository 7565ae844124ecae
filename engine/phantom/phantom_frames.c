/* phantom_frames.c: a thread pool making items into a ring of buffers,
 * consumed in order on the calling thread (see phantom_frames.h).
 *
 * Item i lives in slot i % slots. A worker claims the next item only when
 * i < taken + slots, i.e. when item i - slots has been taken, so its slot
 * is free; slot_item[slot] says which item a slot holds, once made. */
#include "phantom_frames.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct frame_pool {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int count, slots;
    int next;            /* next item to claim */
    int taken;           /* items consumed so far */
    int workers_started; /* for worker ids */
    bool stop;           /* a worker or the consumer failed */
    bool make_failed, take_failed;
    savu_error make_error; /* the first failing make's */
    int *slot_item;      /* item made into each slot, or -1 */
    char *buffers;       /* slots * item_bytes */
    size_t item_bytes;
    savu_frame_make_fn make;
    void *ctx;
} frame_pool;

static void *slot_buffer(frame_pool *pool, int item)
{
    return pool->buffers + (size_t)(item % pool->slots) * pool->item_bytes;
}

/* Under the lock: the next item whose slot is free, or -1 when done. */
static int claim_item(frame_pool *pool)
{
    while (!pool->stop && pool->next < pool->count && pool->next >= pool->taken + pool->slots)
        pthread_cond_wait(&pool->changed, &pool->lock);
    if (pool->stop || pool->next >= pool->count)
        return -1;
    return pool->next++;
}

static void *worker(void *arg)
{
    frame_pool *pool = arg;
    savu_error err;
    pthread_mutex_lock(&pool->lock);
    int id = pool->workers_started++;
    for (int item; (item = claim_item(pool)) >= 0;) {
        pthread_mutex_unlock(&pool->lock);
        int rc = pool->make(pool->ctx, item, id, slot_buffer(pool, item), &err);
        pthread_mutex_lock(&pool->lock);
        if (rc < 0) {
            pool->stop = true;
            if (!pool->make_failed)
                pool->make_error = err;
            pool->make_failed = true;
        } else {
            pool->slot_item[item % pool->slots] = item;
        }
        pthread_cond_broadcast(&pool->changed);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

/* Waits for each item in order and hands it to `take`. */
static int take_in_order(frame_pool *pool, savu_frame_take_fn take, savu_error *err)
{
    for (int item = 0; item < pool->count; item++) {
        int slot = item % pool->slots;
        pthread_mutex_lock(&pool->lock);
        while (!pool->stop && pool->slot_item[slot] != item)
            pthread_cond_wait(&pool->changed, &pool->lock);
        bool stopped = pool->stop;
        pthread_mutex_unlock(&pool->lock);
        if (stopped)
            return -1; /* the make error is reported after the join */
        int rc = take(pool->ctx, item, slot_buffer(pool, item), err);
        pthread_mutex_lock(&pool->lock);
        if (rc < 0)
            pool->stop = pool->take_failed = true;
        pool->slot_item[slot] = -1;
        pool->taken++;
        pthread_cond_broadcast(&pool->changed);
        pthread_mutex_unlock(&pool->lock);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int savu_frames_run(int count, size_t item_bytes, int threads, savu_frame_make_fn make,
                    savu_frame_take_fn take, void *ctx, savu_error *err)
{
    if (threads > count)
        threads = count;
    if (threads < 1)
        threads = 1;
    frame_pool pool = {
        .count = count,
        .slots = 2 * threads,
        .item_bytes = item_bytes,
        .make = make,
        .ctx = ctx,
    };
    pool.slot_item = malloc((size_t)pool.slots * sizeof *pool.slot_item);
    pool.buffers = malloc((size_t)pool.slots * item_bytes);
    pthread_t *ids = malloc((size_t)threads * sizeof *ids);
    if (!pool.slot_item || !pool.buffers || !ids) {
        free(pool.slot_item);
        free(pool.buffers);
        free(ids);
        return savu_error_set(err, "out of memory for %d buffers of %zu bytes", pool.slots,
                              item_bytes);
    }
    for (int s = 0; s < pool.slots; s++)
        pool.slot_item[s] = -1;
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.changed, NULL);

    int started = 0, rc = 0;
    for (; started < threads; started++) {
        int e = pthread_create(&ids[started], NULL, worker, &pool);
        if (e != 0) {
            rc = savu_error_set(err, "cannot start a thread: %s", strerror(e));
            break;
        }
    }
    if (rc == 0)
        rc = take_in_order(&pool, take, err);
    pthread_mutex_lock(&pool.lock);
    if (rc < 0)
        pool.stop = true;
    pthread_cond_broadcast(&pool.changed);
    pthread_mutex_unlock(&pool.lock);
    for (int t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
    if (pool.make_failed && !pool.take_failed && err) /* the make's error is the cause */
        *err = pool.make_error;

    pthread_cond_destroy(&pool.changed);
    pthread_mutex_destroy(&pool.lock);
    free(ids);
    free(pool.buffers);
    free(pool.slot_item);
    return rc;
}

int savu_frames_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}
