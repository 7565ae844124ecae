/* fbp_filter.c: building the FBP filter from the discrete ramp kernel and a
 * window, and applying it to batches of rows with in-place r2c / c2r FFTW
 * transforms (fbp_filter.h). */
#include "fbp_filter.h"

#include "fftw_planner.h"

#include <fftw3.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum window_kind { WINDOW_NONE, WINDOW_SHEPP_LOGAN, WINDOW_COSINE, WINDOW_HAMMING,
                   WINDOW_HANN, WINDOW_PARZEN };

static const struct {
    const char *name;
    enum window_kind kind;
} filter_names[] = {
    {"ramp", WINDOW_NONE},       {"ram-lak", WINDOW_NONE}, {"none", WINDOW_NONE},
    {"shepp-logan", WINDOW_SHEPP_LOGAN}, {"cosine", WINDOW_COSINE},
    {"hamming", WINDOW_HAMMING}, {"hann", WINDOW_HANN},   {"parzen", WINDOW_PARZEN},
};

struct savu_fbp_filter_plan {
    int n;          /* row length */
    int padded;     /* N */
    int n_bins;     /* N / 2 + 1 */
    int batch;      /* rows per FFTW call */
    size_t stride;  /* floats per row in the buffer: 2 * n_bins (in-place r2c) */
    float *response; /* R[j] */
    float *gain;     /* R[j] / N: FFTW's c2r does not divide by N */
    float *buffer;   /* batch x stride, fftwf_malloc'd */
    fftwf_plan forward;
    fftwf_plan backward;
};

static int find_window(const char *name, enum window_kind *kind, savu_error *err)
{
    if (name) {
        for (size_t i = 0; i < sizeof filter_names / sizeof filter_names[0]; i++) {
            if (strcasecmp(name, filter_names[i].name) == 0) {
                *kind = filter_names[i].kind;
                return 0;
            }
        }
    }
    return savu_error_set(err, "unknown FBP filter '%s': valid filters are %s",
                          name ? name : "(null)", SAVU_FBP_FILTER_NAMES);
}

static double window_value(enum window_kind kind, double w)
{
    const double pi = M_PI;
    switch (kind) {
    case WINDOW_NONE:
        return 1.0;
    case WINDOW_SHEPP_LOGAN:
        return w == 0.0 ? 1.0 : sin(pi * w / 2) / (pi * w / 2);
    case WINDOW_COSINE:
        return cos(pi * w / 2);
    case WINDOW_HAMMING:
        return 0.54 + 0.46 * cos(pi * w);
    case WINDOW_HANN:
        return 0.5 + 0.5 * cos(pi * w);
    case WINDOW_PARZEN:
        return w <= 0.5 ? 1 - 6 * w * w + 6 * w * w * w : 2 * (1 - w) * (1 - w) * (1 - w);
    }
    return 1.0;
}

int savu_fbp_filter_check_name(const char *name, savu_error *err)
{
    enum window_kind kind;
    return find_window(name, &kind, err);
}

int savu_fbp_filter_window(const char *name, double w, double *value, savu_error *err)
{
    enum window_kind kind;
    if (find_window(name, &kind, err) != 0)
        return -1;
    *value = window_value(kind, w);
    return 0;
}

static int is_5_smooth(int m)
{
    static const int primes[] = {2, 3, 5};
    for (int i = 0; i < 3; i++)
        while (m % primes[i] == 0)
            m /= primes[i];
    return m == 1;
}

int savu_fbp_filter_padded_length(int n)
{
    if (n < 1 || n > SAVU_FBP_FILTER_MAX_N)
        return -1;
    int m = n;
    while (!is_5_smooth(m))
        m++;
    return 2 * m;
}

/* Makes the batched plans on the plan's buffer; 0 or -1. */
static int make_fftw_plans(savu_fbp_filter_plan *plan, int n_threads)
{
    int length = plan->padded;
    int real_dist = (int)plan->stride;
    int complex_dist = plan->n_bins;
    fftwf_complex *spectrum = (fftwf_complex *)plan->buffer;
    savu_fftw_planner_lock();
    savu_fftw_plan_with_nthreads(n_threads);
    plan->forward = fftwf_plan_many_dft_r2c(1, &length, plan->batch, plan->buffer, NULL, 1,
                                            real_dist, spectrum, NULL, 1, complex_dist,
                                            FFTW_ESTIMATE);
    plan->backward = fftwf_plan_many_dft_c2r(1, &length, plan->batch, spectrum, NULL, 1,
                                             complex_dist, plan->buffer, NULL, 1, real_dist,
                                             FFTW_ESTIMATE);
    savu_fftw_plan_with_nthreads(1);
    savu_fftw_planner_unlock();
    return plan->forward && plan->backward ? 0 : -1;
}

/* R[j] = window(2 j / N) * (DFT of the ramp kernel)[j], the DFT computed with
 * the forward plan on row 0 of the buffer. */
static void build_response(savu_fbp_filter_plan *plan, enum window_kind kind)
{
    int length = plan->padded;
    memset(plan->buffer, 0, sizeof(float) * plan->stride * (size_t)plan->batch);
    float *kernel = plan->buffer;
    kernel[0] = 0.25f;
    for (int k = 1; k <= length / 2; k += 2) {
        float value = (float)(-1.0 / (M_PI * M_PI * (double)k * (double)k));
        kernel[k] = value;
        kernel[length - k] = value;
    }
    fftwf_execute(plan->forward);
    for (int j = 0; j < plan->n_bins; j++) {
        double w = 2.0 * j / length;
        double r = plan->buffer[2 * j] * window_value(kind, w);
        plan->response[j] = (float)r;
        plan->gain[j] = (float)(r / length);
    }
}

savu_fbp_filter_plan *savu_fbp_filter_create(int n, int n_rows_batch, const char *filter,
                                             int n_threads, savu_error *err)
{
    enum window_kind kind;
    if (find_window(filter, &kind, err) != 0)
        return NULL;
    int padded = savu_fbp_filter_padded_length(n);
    if (padded < 0) {
        savu_error_set(err, "FBP filter: row length %d is outside 1..%d", n, SAVU_FBP_FILTER_MAX_N);
        return NULL;
    }
    size_t stride = 2 * ((size_t)padded / 2 + 1);
    if (n_rows_batch < 1 || (size_t)n_rows_batch > (size_t)INT_MAX / stride) {
        savu_error_set(err, "FBP filter: batch of %d rows is outside 1..%zu", n_rows_batch,
                       (size_t)INT_MAX / stride);
        return NULL;
    }
    if (n_threads < 1) {
        savu_error_set(err, "FBP filter: number of threads %d is less than 1", n_threads);
        return NULL;
    }
    savu_fbp_filter_plan *plan = calloc(1, sizeof *plan);
    if (!plan) {
        savu_error_set(err, "FBP filter: out of memory");
        return NULL;
    }
    plan->n = n;
    plan->padded = padded;
    plan->n_bins = padded / 2 + 1;
    plan->batch = n_rows_batch;
    plan->stride = stride;
    plan->response = malloc(sizeof(float) * (size_t)plan->n_bins);
    plan->gain = malloc(sizeof(float) * (size_t)plan->n_bins);
    plan->buffer = fftwf_malloc(sizeof(float) * stride * (size_t)n_rows_batch);
    if (!plan->response || !plan->gain || !plan->buffer) {
        savu_error_set(err, "FBP filter: out of memory for %d rows of %d", n_rows_batch, padded);
        savu_fbp_filter_destroy(plan);
        return NULL;
    }
    if (make_fftw_plans(plan, n_threads) != 0) {
        savu_error_set(err, "FBP filter: FFTW could not plan %d transforms of length %d",
                       n_rows_batch, padded);
        savu_fbp_filter_destroy(plan);
        return NULL;
    }
    build_response(plan, kind);
    return plan;
}

/* Filters every row of the buffer in place. */
static void filter_buffer(savu_fbp_filter_plan *plan)
{
    fftwf_execute(plan->forward);
    const float *restrict gain = plan->gain;
    for (int r = 0; r < plan->batch; r++) {
        float *restrict bins = plan->buffer + (size_t)r * plan->stride;
        for (int j = 0; j < plan->n_bins; j++) {
            bins[2 * j] *= gain[j];
            bins[2 * j + 1] *= gain[j];
        }
    }
    fftwf_execute(plan->backward);
}

int savu_fbp_filter_apply(savu_fbp_filter_plan *plan, float *rows, int n_rows)
{
    if (!plan || n_rows < 0 || (n_rows > 0 && !rows))
        return -1;
    size_t n = (size_t)plan->n;
    for (int start = 0; start < n_rows; start += plan->batch) {
        int count = n_rows - start < plan->batch ? n_rows - start : plan->batch;
        for (int r = 0; r < plan->batch; r++) {
            float *row = plan->buffer + (size_t)r * plan->stride;
            if (r < count) {
                memcpy(row, rows + (size_t)(start + r) * n, sizeof(float) * n);
                memset(row + n, 0, sizeof(float) * (plan->stride - n));
            } else {
                memset(row, 0, sizeof(float) * plan->stride);
            }
        }
        filter_buffer(plan);
        for (int r = 0; r < count; r++)
            memcpy(rows + (size_t)(start + r) * n, plan->buffer + (size_t)r * plan->stride,
                   sizeof(float) * n);
    }
    return 0;
}

const float *savu_fbp_filter_response(const savu_fbp_filter_plan *plan, int *n_bins)
{
    if (n_bins)
        *n_bins = plan ? plan->n_bins : 0;
    return plan ? plan->response : NULL;
}

int savu_fbp_filter_length(const savu_fbp_filter_plan *plan)
{
    return plan ? plan->padded : -1;
}

void savu_fbp_filter_destroy(savu_fbp_filter_plan *plan)
{
    if (!plan)
        return;
    if (plan->forward || plan->backward) {
        savu_fftw_planner_lock();
        if (plan->forward)
            fftwf_destroy_plan(plan->forward);
        if (plan->backward)
            fftwf_destroy_plan(plan->backward);
        savu_fftw_planner_unlock();
    }
    fftwf_free(plan->buffer);
    free(plan->gain);
    free(plan->response);
    free(plan);
}
