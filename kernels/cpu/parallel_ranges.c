/* parallel_ranges.c: [0, n) in ranges over a thread pool (see
 * parallel_ranges.h). Four ranges per thread even out uneven work. */
#include "parallel_ranges.h"

struct ranges {
    long n, tasks;
    savu_range_fn fn;
    void *ctx;
};

static void run_range(void *arg, int task, int worker)
{
    (void)worker;
    const struct ranges *r = arg;
    long begin = r->n * task / r->tasks, end = r->n * (task + 1) / r->tasks;
    if (end > begin)
        r->fn(r->ctx, begin, end);
}

void savu_parallel_ranges(savu_thread_pool *pool, long n, savu_range_fn fn, void *ctx)
{
    if (n <= 0)
        return;
    long tasks = 4L * savu_thread_pool_size(pool);
    if (!pool || tasks > n)
        tasks = pool ? n : 1;
    struct ranges r = {n, tasks, fn, ctx};
    if (!pool) {
        fn(ctx, 0, n);
        return;
    }
    savu_thread_pool_run(pool, (int)tasks, run_range, &r);
}
