/* cuda_fbp.cu: filtered backprojection on a CUDA GPU (cuda_fbp.h) — the
 * plan's lifecycle and the two execute paths, on top of the filter
 * (cuda_filter.h) and the backprojector (cuda_backproject.h).
 *
 * Host path, chunk k of up to max_slices slices (a quarter of the call's
 * slices, rounded up to a multiple of 4, when that is smaller), b = k % 2:
 *     host:      wait until staging input b is free (H2D of chunk k-2),
 *                copy the chunk's sinograms into it
 *     copy_in:   wait until the filter has read chunk k-1's rows; zero the
 *                padding; 2D copy staging b -> the filter's padded rows
 *     compute:   filter; wait until device output b is free (D2H of chunk
 *                k-2); backproject into device output b
 *     copy_out:  device output b -> staging output b
 *     host:      wait for chunk k-1's D2H; copy its slices to the caller
 * so that the host copies, the H2D and D2H transfers and the kernels of
 * neighbouring chunks overlap. The padding of the H2D copy is the copy's own
 * pitch: the rows land directly in the padded buffer.
 *
 * Device path: load (pad) -> filter -> backproject per chunk, all on the
 * caller's stream. An event recorded after each call's last work orders the
 * next call, whichever path and stream it uses. */
#include "cuda_fbp.h"
#include "cuda_backproject.h"
#include "cuda_check.h"
#include "cuda_filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

extern "C" {
#include "cpu/angle_weights.h"
#include "cpu/fbp_filter.h"
}

enum { MAX_PLAN_SLICES = 65535 };

struct savu_cuda_fbp_plan {
    int device, width, n_angles, max_slices;
    enum savu_cuda_precision precision;
    savu_cuda_filter *filter;
    savu_cuda_backprojector *backprojector;
    cudaEvent_t idle; /* after the last queued work of the plan */
    bool have_idle;
    /* host path, made at its first use */
    bool host_ready;
    cudaStream_t stream[3]; /* copy_in, compute, copy_out */
    cudaEvent_t event[7];   /* input_free, h2d_done[2], bp_done[2], d2h_done[2] */
    int n_streams, n_events;
    float *d_out[2];
    float *h_in[2], *h_out[2]; /* pinned */
    savu_cuda_host_copy_fn host_copy; /* NULL: memcpy */
    void *host_copy_ctx;
};

enum { COPY_IN, COMPUTE, COPY_OUT };
enum { INPUT_FREE, H2D_DONE, BP_DONE = H2D_DONE + 2, D2H_DONE = BP_DONE + 2, N_EVENTS = D2H_DONE + 2 };

const char *savu_cuda_precision_name(enum savu_cuda_precision precision)
{
    switch (precision) {
    case SAVU_CUDA_FP32: return "fp32";
    case SAVU_CUDA_FP16X4: return "fp16x4";
    }
    return NULL;
}

/* ---- sizes ---- */

static double gib(size_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0 * 1024.0);
}

static size_t output_bytes(int width, int n_slices)
{
    return (size_t)n_slices * (size_t)width * (size_t)width * sizeof(float);
}

static size_t plan_bytes(int width, int n_angles, enum savu_cuda_precision precision,
                         int max_slices)
{
    size_t filter = savu_cuda_filter_bytes(width, n_angles, max_slices);
    size_t bp = savu_cuda_backprojector_bytes(width, n_angles, precision, max_slices);
    return filter && bp ? filter + bp : 0;
}

/* Room kept free on the device: cuFFT, the context's own needs, other users. */
static size_t memory_margin(size_t total)
{
    size_t minimum = (size_t)256 << 20;
    return total / 20 > minimum ? total / 20 : minimum;
}

static int device_count(void)
{
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    return count;
}

static int device_exists(int device)
{
    return device >= 0 && device < device_count();
}

int savu_cuda_fbp_max_slices(int device, int width, int n_angles)
{
    if (!device_exists(device) || width < 1 || n_angles < 1)
        return 0;
    device_scope scope(device);
    size_t free_bytes = 0, total = 0;
    if (scope.rc != cudaSuccess || cudaMemGetInfo(&free_bytes, &total) != cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    size_t margin = memory_margin(total);
    if (free_bytes <= margin)
        return 0;
    size_t usable = free_bytes - margin;
    int lo = 0, hi = MAX_PLAN_SLICES;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        size_t need = plan_bytes(width, n_angles, SAVU_CUDA_FP32, mid);
        need += 2 * output_bytes(width, mid);
        if (need && need <= usable)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* ---- creation ---- */

static int check_memory(int device, int width, int n_angles, enum savu_cuda_precision precision,
                        int max_slices, savu_error *err)
{
    size_t free_bytes = 0, total = 0;
    cudaError_t rc = cudaMemGetInfo(&free_bytes, &total);
    if (rc != cudaSuccess)
        return savu_error_set(err, "CUDA device %d: %s", device, cudaGetErrorString(rc));
    size_t need = plan_bytes(width, n_angles, precision, max_slices);
    if (need > free_bytes)
        return savu_error_set(err, "CUDA device %d: out of memory for %d sinograms of %d angles "
                                   "x %d pixels (needs %.1f GiB, %.1f GiB free)", device,
                              max_slices, n_angles, width, gib(need), gib(free_bytes));
    return 0;
}

static int check_create_args(int device, int width, int n_angles, const double *angles_deg,
                             const char *filter, enum savu_cuda_precision precision,
                             int max_slices, savu_error *err)
{
    if (!device_exists(device))
        return savu_error_set(err, "CUDA device %d: no such device (%d found)", device,
                              device_count());
    if (savu_fbp_filter_check_name(filter, err) != 0)
        return -1;
    if (!savu_cuda_precision_name(precision))
        return savu_error_set(err, "GPU FBP: unknown precision %d", (int)precision);
    if (width < 1 || n_angles < 1 || !angles_deg)
        return savu_error_set(err, "GPU FBP: %s", !angles_deg ? "no angles given"
                                                  : width < 1 ? "width is less than 1"
                                                              : "number of angles is less than 1");
    if (max_slices < 1 || max_slices > MAX_PLAN_SLICES)
        return savu_error_set(err, "GPU FBP: max_slices %d is outside 1..%d", max_slices,
                              MAX_PLAN_SLICES);
    return 0;
}

savu_cuda_fbp_plan *savu_cuda_fbp_create(int device, int width, int n_angles,
                                         const double *angles_deg, const char *filter,
                                         double ratio, enum savu_cuda_precision precision,
                                         int max_slices, savu_error *err)
{
    if (check_create_args(device, width, n_angles, angles_deg, filter, precision, max_slices,
                          err) != 0)
        return NULL;
    device_scope scope(device);
    if (scope.rc != cudaSuccess) {
        savu_error_set(err, "CUDA device %d: %s", device, cudaGetErrorString(scope.rc));
        return NULL;
    }
    if (check_memory(device, width, n_angles, precision, max_slices, err) != 0)
        return NULL;
    savu_cuda_fbp_plan *plan = (savu_cuda_fbp_plan *)calloc(1, sizeof *plan);
    double *weights = (double *)malloc(sizeof(double) * (size_t)n_angles);
    if (!plan || !weights) {
        free(plan);
        free(weights);
        savu_error_set(err, "GPU FBP: out of host memory");
        return NULL;
    }
    plan->device = device;
    plan->width = width;
    plan->n_angles = n_angles;
    plan->max_slices = max_slices;
    plan->precision = precision;
    cudaError_t rc;
    if (savu_angle_weights(n_angles, angles_deg, weights, err) != 0) {
        savu_error_prefix(err, "GPU FBP: ");
        goto fail;
    }
    plan->backprojector = savu_cuda_backprojector_create(width, n_angles, angles_deg, ratio,
                                                         precision, max_slices, err);
    if (!plan->backprojector)
        goto fail_device;
    plan->filter = savu_cuda_filter_create(width, n_angles, max_slices, filter, weights, err);
    if (!plan->filter)
        goto fail_device;
    rc = cudaEventCreateWithFlags(&plan->idle, cudaEventDisableTiming);
    if (rc != cudaSuccess) {
        savu_cuda_fail(err, "GPU FBP: creating an event", rc);
        goto fail_device;
    }
    plan->have_idle = true;
    free(weights);
    return plan;
fail_device:
    savu_error_prefix(err, "CUDA device %d: ", device);
fail:
    free(weights);
    savu_cuda_fbp_destroy(plan);
    return NULL;
}

static void release_host_path(savu_cuda_fbp_plan *plan)
{
    for (int i = 0; i < plan->n_streams; i++)
        cudaStreamDestroy(plan->stream[i]);
    for (int i = 0; i < plan->n_events; i++)
        cudaEventDestroy(plan->event[i]);
    plan->n_streams = plan->n_events = 0;
    for (int b = 0; b < 2; b++) {
        cudaFree(plan->d_out[b]);
        cudaFreeHost(plan->h_in[b]);
        cudaFreeHost(plan->h_out[b]);
        plan->d_out[b] = plan->h_in[b] = plan->h_out[b] = NULL;
    }
    plan->host_ready = false;
}

void savu_cuda_fbp_destroy(savu_cuda_fbp_plan *plan)
{
    if (!plan)
        return;
    device_scope scope(plan->device);
    if (plan->have_idle)
        cudaEventSynchronize(plan->idle);
    release_host_path(plan);
    if (plan->have_idle)
        cudaEventDestroy(plan->idle);
    savu_cuda_filter_destroy(plan->filter);
    savu_cuda_backprojector_destroy(plan->backprojector);
    cudaGetLastError();
    free(plan);
}

/* Streams, events and the staging buffers of the host path. */
static int make_host_path(savu_cuda_fbp_plan *plan, savu_error *err)
{
    if (plan->host_ready)
        return 0;
    cudaError_t rc = cudaSuccess;
    for (int i = 0; i < 3 && rc == cudaSuccess; i++)
        if ((rc = cudaStreamCreateWithFlags(&plan->stream[i], cudaStreamNonBlocking)) ==
            cudaSuccess)
            plan->n_streams = i + 1;
    for (int i = 0; i < N_EVENTS && rc == cudaSuccess; i++)
        if ((rc = cudaEventCreateWithFlags(&plan->event[i], cudaEventDisableTiming)) ==
            cudaSuccess)
            plan->n_events = i + 1;
    if (rc != cudaSuccess) {
        savu_error_set(err, "CUDA device %d: creating streams: %s", plan->device,
                       cudaGetErrorString(rc));
        release_host_path(plan);
        return -1;
    }
    size_t in_bytes = (size_t)plan->max_slices * (size_t)plan->n_angles * (size_t)plan->width *
                      sizeof(float);
    size_t out_bytes = output_bytes(plan->width, plan->max_slices);
    for (int b = 0; b < 2 && rc == cudaSuccess; b++)
        if ((rc = cudaMalloc(&plan->d_out[b], out_bytes)) != cudaSuccess)
            plan->d_out[b] = NULL;
    if (rc != cudaSuccess) {
        cudaGetLastError();
        savu_error_set(err, "CUDA device %d: out of memory for the output of %d slices of %d x "
                            "%d (2 x %.1f GiB)", plan->device, plan->max_slices, plan->width,
                       plan->width, gib(out_bytes));
        release_host_path(plan);
        return -1;
    }
    for (int b = 0; b < 2 && rc == cudaSuccess; b++) {
        if ((rc = cudaHostAlloc(&plan->h_in[b], in_bytes, cudaHostAllocDefault)) != cudaSuccess)
            plan->h_in[b] = NULL;
        else if ((rc = cudaHostAlloc(&plan->h_out[b], out_bytes, cudaHostAllocDefault)) !=
                 cudaSuccess)
            plan->h_out[b] = NULL;
    }
    if (rc != cudaSuccess) {
        cudaGetLastError();
        savu_error_set(err, "CUDA device %d: out of pinned host memory for staging %d slices "
                            "(2 x %.1f GiB)", plan->device, plan->max_slices,
                       gib(in_bytes + out_bytes));
        release_host_path(plan);
        return -1;
    }
    plan->host_ready = true;
    return 0;
}

/* ---- execution ---- */

static int check_execute_args(const savu_cuda_fbp_plan *plan, const void *sinograms,
                              int n_slices, const double *cor, const void *out, savu_error *err)
{
    if (!plan)
        return savu_error_set(err, "GPU FBP: no plan");
    if (n_slices < 0)
        return savu_error_set(err, "GPU FBP: number of slices %d is negative", n_slices);
    if (n_slices > 0 && (!sinograms || !cor || !out))
        return savu_error_set(err, "GPU FBP: missing %s",
                              !sinograms ? "sinograms" : !cor ? "centres of rotation" : "output");
    for (int s = 0; s < n_slices; s++)
        if (!isfinite(cor[s]) || fabs(cor[s]) > SAVU_CUDA_MAX_ABS_COR)
            return savu_error_set(err, "GPU FBP: centre of rotation %g of slice %d is not a "
                                       "finite number within +-%g", cor[s], s,
                                  SAVU_CUDA_MAX_ABS_COR);
    return 0;
}

/* Waits for the host path's streams (after an error, so that no staging
 * buffer is in use) and records the plan's idle event. */
static void settle_host_path(savu_cuda_fbp_plan *plan)
{
    for (int i = 0; i < 3; i++)
        cudaStreamSynchronize(plan->stream[i]);
    cudaEventRecord(plan->idle, plan->stream[COMPUTE]);
}

/* Queues chunk k (slices first .. first+count-1) on the three streams. */
static int queue_chunk(savu_cuda_fbp_plan *plan, int k, const double *cor, int count,
                       savu_error *err)
{
    int b = k & 1;
    cudaStream_t in = plan->stream[COPY_IN], compute = plan->stream[COMPUTE],
                 out = plan->stream[COPY_OUT];
    size_t pitch;
    float *rows = savu_cuda_filter_input(plan->filter, &pitch);
    cudaError_t rc = cudaStreamWaitEvent(in, plan->event[INPUT_FREE], 0);
    if (rc != cudaSuccess)
        return savu_cuda_fail(err, "GPU FBP: ordering the copies", rc);
    if (savu_cuda_filter_zero_padding(plan->filter, count, in, err) != 0)
        return -1;
    size_t row_bytes = (size_t)plan->width * sizeof(float);
    rc = cudaMemcpy2DAsync(rows, pitch * sizeof(float), plan->h_in[b], row_bytes, row_bytes,
                           (size_t)count * (size_t)plan->n_angles, cudaMemcpyHostToDevice, in);
    if (rc == cudaSuccess)
        rc = cudaEventRecord(plan->event[H2D_DONE + b], in);
    if (rc == cudaSuccess)
        rc = cudaStreamWaitEvent(compute, plan->event[H2D_DONE + b], 0);
    if (rc != cudaSuccess)
        return savu_cuda_fail(err, "GPU FBP: copying sinograms to the device", rc);
    if (savu_cuda_filter_apply(plan->filter, count, compute, err) != 0)
        return -1;
    if ((rc = cudaEventRecord(plan->event[INPUT_FREE], compute)) != cudaSuccess ||
        (k >= 2 && (rc = cudaStreamWaitEvent(compute, plan->event[D2H_DONE + b], 0)) !=
                       cudaSuccess))
        return savu_cuda_fail(err, "GPU FBP: ordering the filter", rc);
    const float *filtered = savu_cuda_filter_output(plan->filter, &pitch);
    if (savu_cuda_backprojector_execute(plan->backprojector, filtered, pitch, count, cor,
                                        plan->d_out[b], compute, err) != 0)
        return -1;
    rc = cudaEventRecord(plan->event[BP_DONE + b], compute);
    if (rc == cudaSuccess)
        rc = cudaStreamWaitEvent(out, plan->event[BP_DONE + b], 0);
    if (rc == cudaSuccess)
        rc = cudaMemcpyAsync(plan->h_out[b], plan->d_out[b], output_bytes(plan->width, count),
                             cudaMemcpyDeviceToHost, out);
    if (rc == cudaSuccess)
        rc = cudaEventRecord(plan->event[D2H_DONE + b], out);
    return rc == cudaSuccess ? 0 : savu_cuda_fail(err, "GPU FBP: copying slices to the host", rc);
}

void savu_cuda_fbp_set_host_copy(savu_cuda_fbp_plan *plan, savu_cuda_host_copy_fn fn,
                                 void *ctx)
{
    plan->host_copy = fn;
    plan->host_copy_ctx = ctx;
}

/* n floats between the caller's memory and a staging buffer. */
static void host_copy(const savu_cuda_fbp_plan *plan, float *dst, const float *src, size_t n,
                      int to_device)
{
    if (plan->host_copy)
        plan->host_copy(plan->host_copy_ctx, dst, src, n, to_device);
    else
        memcpy(dst, src, n * sizeof(float));
}

/* Slices per chunk of a call of n_slices: max_slices, or a quarter of the
 * call (a multiple of 4, for fp16x4's groups) when that is smaller. */
static int host_chunk(int max_slices, int n_slices)
{
    int quarter = (n_slices + 3) / 4;
    quarter = (quarter + 3) / 4 * 4;
    return quarter < max_slices ? quarter : max_slices;
}

/* Waits for chunk k's slices and copies them to the caller's `out`. */
static int deliver_chunk(savu_cuda_fbp_plan *plan, int k, int count, float *out, savu_error *err)
{
    int b = k & 1;
    cudaError_t rc = cudaEventSynchronize(plan->event[D2H_DONE + b]);
    if (rc != cudaSuccess)
        return savu_cuda_fail(err, "GPU FBP", rc);
    host_copy(plan, out, plan->h_out[b], output_bytes(plan->width, count) / sizeof(float), 0);
    return 0;
}

static int run_host_chunks(savu_cuda_fbp_plan *plan, const float *sinograms, int n_slices,
                           const double *cor, float *out, savu_error *err)
{
    int chunk = host_chunk(plan->max_slices, n_slices);
    size_t slice_in = (size_t)plan->n_angles * (size_t)plan->width;
    size_t slice_out = (size_t)plan->width * (size_t)plan->width;
    int n_chunks = (n_slices + chunk - 1) / chunk;
    for (int i = 0; i < 3; i++) {
        cudaError_t rc = cudaStreamWaitEvent(plan->stream[i], plan->idle, 0);
        if (rc != cudaSuccess)
            return savu_cuda_fail(err, "GPU FBP: ordering after earlier work", rc);
    }
    for (int k = 0; k < n_chunks; k++) {
        int first = k * chunk, b = k & 1;
        int count = n_slices - first < chunk ? n_slices - first : chunk;
        if (k >= 2) {
            cudaError_t rc = cudaEventSynchronize(plan->event[H2D_DONE + b]);
            if (rc != cudaSuccess)
                return savu_cuda_fail(err, "GPU FBP", rc);
        }
        host_copy(plan, plan->h_in[b], sinograms + (size_t)first * slice_in,
                  slice_in * (size_t)count, 1);
        if (queue_chunk(plan, k, cor + first, count, err) != 0)
            return -1;
        if (k >= 1 && deliver_chunk(plan, k - 1, chunk, out + (size_t)(first - chunk) * slice_out,
                                    err) != 0)
            return -1;
    }
    int last = n_chunks - 1, first = last * chunk;
    return deliver_chunk(plan, last, n_slices - first, out + (size_t)first * slice_out, err);
}

/* What both execute paths do first: check the arguments, return 0 for no
 * slices, make the plan's device current (for the life of `body`), then run
 * body(). */
template <typename Body>
static int on_plan_device(savu_cuda_fbp_plan *plan, const void *sinograms, int n_slices,
                          const double *cor, const void *out, savu_error *err, Body body)
{
    if (check_execute_args(plan, sinograms, n_slices, cor, out, err) != 0)
        return -1;
    if (n_slices == 0)
        return 0;
    device_scope scope(plan->device);
    if (scope.rc != cudaSuccess)
        return savu_error_set(err, "CUDA device %d: %s", plan->device,
                              cudaGetErrorString(scope.rc));
    return body();
}

int savu_cuda_fbp_execute(savu_cuda_fbp_plan *plan, const float *sinograms, int n_slices,
                          const double *cor, float *out, savu_error *err)
{
    return on_plan_device(plan, sinograms, n_slices, cor, out, err, [&]() {
        if (make_host_path(plan, err) != 0)
            return -1;
        int rc = run_host_chunks(plan, sinograms, n_slices, cor, out, err);
        settle_host_path(plan);
        if (rc != 0)
            savu_error_prefix(err, "CUDA device %d: ", plan->device);
        return rc;
    });
}

/* The device path's chunks on `stream` (the plan's device current). */
static int run_device_chunks(savu_cuda_fbp_plan *plan, const float *d_sinograms, int n_slices,
                             const double *cor, float *d_out, void *stream, savu_error *err)
{
    cudaStream_t s = (cudaStream_t)stream;
    cudaError_t crc = cudaStreamWaitEvent(s, plan->idle, 0);
    if (crc != cudaSuccess)
        return savu_error_set(err, "CUDA device %d: GPU FBP: %s", plan->device,
                              cudaGetErrorString(crc));
    int chunk = plan->max_slices, rc = 0;
    size_t slice_in = (size_t)plan->n_angles * (size_t)plan->width;
    size_t slice_out = (size_t)plan->width * (size_t)plan->width;
    for (int first = 0; first < n_slices && rc == 0; first += chunk) {
        int count = n_slices - first < chunk ? n_slices - first : chunk;
        size_t pitch;
        rc = savu_cuda_filter_load(plan->filter, d_sinograms + (size_t)first * slice_in, count, s,
                                   err);
        if (rc == 0)
            rc = savu_cuda_filter_apply(plan->filter, count, s, err);
        if (rc == 0) {
            const float *filtered = savu_cuda_filter_output(plan->filter, &pitch);
            rc = savu_cuda_backprojector_execute(plan->backprojector, filtered, pitch, count,
                                                 cor + first, d_out + (size_t)first * slice_out,
                                                 s, err);
        }
    }
    crc = cudaEventRecord(plan->idle, s);
    if (rc == 0 && crc != cudaSuccess)
        rc = savu_cuda_fail(err, "GPU FBP: recording an event", crc);
    if (rc != 0)
        savu_error_prefix(err, "CUDA device %d: ", plan->device);
    return rc;
}

int savu_cuda_fbp_execute_device(savu_cuda_fbp_plan *plan, const float *d_sinograms,
                                 int n_slices, const double *cor, float *d_out, void *stream,
                                 savu_error *err)
{
    return on_plan_device(plan, d_sinograms, n_slices, cor, d_out, err, [&]() {
        return run_device_chunks(plan, d_sinograms, n_slices, cor, d_out, stream, err);
    });
}

int savu_cuda_fbp_synchronize(savu_cuda_fbp_plan *plan, savu_error *err)
{
    if (!plan)
        return savu_error_set(err, "GPU FBP: no plan");
    device_scope scope(plan->device);
    cudaError_t rc = scope.rc == cudaSuccess ? cudaEventSynchronize(plan->idle) : scope.rc;
    if (rc != cudaSuccess)
        return savu_error_set(err, "CUDA device %d: GPU FBP: %s", plan->device,
                              cudaGetErrorString(rc));
    return 0;
}
