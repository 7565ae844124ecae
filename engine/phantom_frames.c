/* phantom_frames.c: a thread pool making frames into a ring of buffers,
 * consumed in order on the calling thread (see phantom_frames.h).
 *
 * Frame f lives in slot f % slots. A worker claims the next frame only when
 * f < taken + slots, i.e. when frame f - slots has been taken, so its slot
 * is free; slot_frame[slot] says which frame a slot holds, once made. */
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
    int next;            /* next frame to claim */
    int taken;           /* frames consumed so far */
    bool stop;           /* a worker or the consumer failed */
    int failed_frame;    /* the frame a worker could not make, or -1 */
    int *slot_frame;     /* frame made into each slot, or -1 */
    uint16_t *buffers;   /* slots * frame_values */
    size_t frame_values;
    savu_frame_make_fn make;
    void *ctx;
} frame_pool;

static uint16_t *slot_buffer(frame_pool *pool, int frame)
{
    return pool->buffers + (size_t)(frame % pool->slots) * pool->frame_values;
}

/* Under the lock: the next frame whose slot is free, or -1 when done. */
static int claim_frame(frame_pool *pool)
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
    pthread_mutex_lock(&pool->lock);
    for (int frame; (frame = claim_frame(pool)) >= 0;) {
        pthread_mutex_unlock(&pool->lock);
        int rc = pool->make(pool->ctx, frame, slot_buffer(pool, frame));
        pthread_mutex_lock(&pool->lock);
        if (rc < 0) {
            pool->stop = true;
            if (pool->failed_frame < 0)
                pool->failed_frame = frame;
        } else {
            pool->slot_frame[frame % pool->slots] = frame;
        }
        pthread_cond_broadcast(&pool->changed);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

/* Waits for each frame in order and hands it to `take`. */
static int take_in_order(frame_pool *pool, savu_frame_take_fn take, savu_error *err)
{
    for (int frame = 0; frame < pool->count; frame++) {
        int slot = frame % pool->slots;
        pthread_mutex_lock(&pool->lock);
        while (!pool->stop && pool->slot_frame[slot] != frame)
            pthread_cond_wait(&pool->changed, &pool->lock);
        bool stopped = pool->stop;
        int failed = pool->failed_frame;
        pthread_mutex_unlock(&pool->lock);
        if (stopped)
            return savu_error_set(err, "could not make frame %d: out of memory", failed);
        int rc = take(pool->ctx, frame, slot_buffer(pool, frame), err);
        pthread_mutex_lock(&pool->lock);
        if (rc < 0)
            pool->stop = true;
        pool->slot_frame[slot] = -1;
        pool->taken++;
        pthread_cond_broadcast(&pool->changed);
        pthread_mutex_unlock(&pool->lock);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int savu_frames_run(int count, size_t frame_values, int threads, savu_frame_make_fn make,
                    savu_frame_take_fn take, void *ctx, savu_error *err)
{
    if (threads < 1)
        threads = 1;
    if (threads > count)
        threads = count > 0 ? count : 1;
    frame_pool pool = {
        .count = count,
        .slots = 2 * threads,
        .failed_frame = -1,
        .frame_values = frame_values,
        .make = make,
        .ctx = ctx,
    };
    pool.slot_frame = malloc((size_t)pool.slots * sizeof *pool.slot_frame);
    pool.buffers = malloc((size_t)pool.slots * frame_values * sizeof *pool.buffers);
    pthread_t *ids = malloc((size_t)threads * sizeof *ids);
    if (!pool.slot_frame || !pool.buffers || !ids) {
        free(pool.slot_frame);
        free(pool.buffers);
        free(ids);
        return savu_error_set(err, "out of memory for %d frame buffers", pool.slots);
    }
    for (int s = 0; s < pool.slots; s++)
        pool.slot_frame[s] = -1;
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

    pthread_cond_destroy(&pool.changed);
    pthread_mutex_destroy(&pool.lock);
    free(ids);
    free(pool.buffers);
    free(pool.slot_frame);
    return rc;
}

int savu_frames_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}
