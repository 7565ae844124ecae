/* parallel_ranges.h: a loop over [0, n) cut into contiguous ranges that the
 * threads of a pool (thread_pool.h) work through — for element-wise steps
 * such as dark/flat correction and the minus logarithm. */
#ifndef SAVU_PARALLEL_RANGES_H
#define SAVU_PARALLEL_RANGES_H

#include "thread_pool.h"

typedef void (*savu_range_fn)(void *ctx, long begin, long end);

/* Calls fn(ctx, begin, end) over ranges covering [0, n) exactly once, on
 * the pool's threads (pool NULL: on this thread), and waits for them. */
void savu_parallel_ranges(savu_thread_pool *pool, long n, savu_range_fn fn, void *ctx);

#endif
