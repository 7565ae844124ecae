/* fbp.c: filtered backprojection glue (fbp.h): copy the sinograms, filter the
 * rows in batches on the pool (one single-threaded filter plan per worker, so
 * that each row is filtered the same way whichever thread takes it), then
 * backproject. */
#include "fbp.h"

#include "backproject.h"
#include "fbp_filter.h"
#include "thread_pool.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { FILTER_BATCH = 16 }; /* rows per FFTW call and per pool task */

struct savu_fbp_plan {
    int width;
    int n_angles;
    int n_threads;
    savu_thread_pool *pool;
    savu_backproject_plan *backprojector;
    savu_fbp_filter_plan **filters; /* one per worker */
};

struct filter_job {
    savu_fbp_plan *plan;
    float *rows;
    size_t n_rows;
};

savu_fbp_plan *savu_fbp_create(int width, int n_angles, const double *angles_deg,
                               const char *filter, double ratio, int n_threads, savu_error *err)
{
    if (savu_fbp_filter_check_name(filter, err) != 0)
        return NULL;
    if (n_threads < 1 || n_threads > SAVU_THREAD_POOL_MAX) {
        savu_error_set(err, "FBP: number of threads %d is outside 1..%d", n_threads,
                       SAVU_THREAD_POOL_MAX);
        return NULL;
    }
    savu_fbp_plan *plan = calloc(1, sizeof *plan);
    if (!plan) {
        savu_error_set(err, "FBP: out of memory");
        return NULL;
    }
    plan->width = width;
    plan->n_angles = n_angles;
    plan->n_threads = n_threads;
    plan->backprojector = savu_backproject_create(width, n_angles, angles_deg, ratio, err);
    if (!plan->backprojector)
        goto fail;
    plan->pool = savu_thread_pool_create(n_threads, err);
    if (!plan->pool)
        goto fail;
    plan->filters = calloc((size_t)n_threads, sizeof *plan->filters);
    if (!plan->filters) {
        savu_error_set(err, "FBP: out of memory");
        goto fail;
    }
    for (int t = 0; t < n_threads; t++) {
        plan->filters[t] = savu_fbp_filter_create(width, FILTER_BATCH, filter, 1, err);
        if (!plan->filters[t])
            goto fail;
    }
    return plan;
fail:
    savu_fbp_destroy(plan);
    return NULL;
}

static void filter_task(void *ctx, int task, int worker)
{
    const struct filter_job *job = ctx;
    size_t first = (size_t)task * FILTER_BATCH;
    size_t count = job->n_rows - first < FILTER_BATCH ? job->n_rows - first : FILTER_BATCH;
    savu_fbp_filter_apply(job->plan->filters[worker], job->rows + first * (size_t)job->plan->width,
                          (int)count);
}

int savu_fbp_execute(savu_fbp_plan *plan, const float *sinograms, int n_slices, const double *cor,
                     float *out, savu_error *err)
{
    if (!plan)
        return savu_error_set(err, "FBP: no plan");
    if (n_slices < 0)
        return savu_error_set(err, "FBP: number of slices %d is negative", n_slices);
    if (n_slices == 0)
        return 0;
    if (!sinograms || !cor || !out)
        return savu_error_set(err, "FBP: missing %s",
                              !sinograms ? "sinograms" : !cor ? "centres of rotation" : "output");
    size_t n_rows = (size_t)n_slices * (size_t)plan->n_angles;
    if ((n_rows + FILTER_BATCH - 1) / FILTER_BATCH > INT_MAX)
        return savu_error_set(err, "FBP: %d slices of %d angles are too many for one call",
                              n_slices, plan->n_angles);
    size_t n_values = n_rows * (size_t)plan->width;
    float *filtered = malloc(sizeof(float) * n_values);
    if (!filtered)
        return savu_error_set(err, "FBP: out of memory for %d sinograms of %d x %d", n_slices,
                              plan->n_angles, plan->width);
    memcpy(filtered, sinograms, sizeof(float) * n_values);
    struct filter_job job = {.plan = plan, .rows = filtered, .n_rows = n_rows};
    savu_thread_pool_run(plan->pool, (int)((n_rows + FILTER_BATCH - 1) / FILTER_BATCH),
                         filter_task, &job);
    int rc = savu_backproject_execute(plan->backprojector, plan->pool, filtered, n_slices, cor, out,
                                      err);
    free(filtered);
    return rc;
}

void savu_fbp_destroy(savu_fbp_plan *plan)
{
    if (!plan)
        return;
    if (plan->filters) {
        for (int t = 0; t < plan->n_threads; t++)
            savu_fbp_filter_destroy(plan->filters[t]);
        free(plan->filters);
    }
    savu_thread_pool_destroy(plan->pool);
    savu_backproject_destroy(plan->backprojector);
    free(plan);
}
