/* bench_cuda_fbp.c: throughput of the CUDA FBP kernels (kernels/cuda) on one
 * GPU, timed with CUDA events, the best of --repeat runs after a warm-up:
 *  - bandwidth ceilings measured in the same run: a device-to-device
 *    cudaMemcpy of the sinograms (bytes read + written / time), and pinned
 *    host-to-device and device-to-host copies;
 *  - the filter (cuda_filter.h) on sinograms already on the device, both
 *    ways: cuFFT (padded load, R2C, multiply, C2R) and the fused kernel (one
 *    pass, FFTs in shared memory), as sinogram bytes read + written per
 *    second and as a percentage of the D2D copy's rate;
 *  - the backprojection (cuda_backproject.h, texture packing included) in
 *    voxel updates per second, n_angles x width^2 x n_slices / seconds (the
 *    peers' metric, counted over the whole square), for fp32 and fp16x4;
 *  - the whole plan (cuda_fbp.h): device path, and host path from and to
 *    pageable host memory in chunks of --chunk slices.
 *
 *   bench_cuda_fbp [--angles N] [--width N] [--slices N] [--chunk N]
 *                  [--repeat N] [--ratio R] [--filter NAME] [--device N]
 *
 * Default: 2048 angles x 2048^2 x 64 slices, chunks of 16, no mask, ramp,
 * best of 3. Built by make when CUDA is configured; run by hand (results in
 * test/bench/RESULTS.md). */
#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/angle_weights.h"
#include "cuda/cuda_backproject.h"
#include "cuda/cuda_device.h"
#include "cuda/cuda_fbp.h"
#include "cuda/cuda_filter.h"
#include "geometry.h"

struct options {
    int angles, width, slices, chunk, repeat, device;
    double ratio;
    const char *filter;
};

static int parse_options(int argc, char **argv, struct options *o)
{
    *o = (struct options){2048, 2048, 64, 16, 3, 0, 0.0, "ramp"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (i + 1 >= argc) {
            fprintf(stderr, "bench_cuda_fbp: %s needs a value\n", arg);
            return -1;
        }
        const char *value = argv[++i];
        if (strcmp(arg, "--angles") == 0)
            o->angles = atoi(value);
        else if (strcmp(arg, "--width") == 0)
            o->width = atoi(value);
        else if (strcmp(arg, "--slices") == 0)
            o->slices = atoi(value);
        else if (strcmp(arg, "--chunk") == 0)
            o->chunk = atoi(value);
        else if (strcmp(arg, "--repeat") == 0)
            o->repeat = atoi(value);
        else if (strcmp(arg, "--device") == 0)
            o->device = atoi(value);
        else if (strcmp(arg, "--ratio") == 0)
            o->ratio = atof(value);
        else if (strcmp(arg, "--filter") == 0)
            o->filter = value;
        else {
            fprintf(stderr, "bench_cuda_fbp: unknown option %s\n", arg);
            return -1;
        }
    }
    if (o->angles < 1 || o->width < 1 || o->slices < 1 || o->chunk < 1 || o->repeat < 1) {
        fprintf(stderr, "bench_cuda_fbp: sizes must be positive\n");
        return -1;
    }
    return 0;
}

static void die_cuda(const char *what, cudaError_t rc)
{
    if (rc != cudaSuccess) {
        fprintf(stderr, "bench_cuda_fbp: %s: %s\n", what, cudaGetErrorString(rc));
        exit(1);
    }
}

static void die_savu(const char *what, int rc, const savu_error *err)
{
    if (rc != 0) {
        fprintf(stderr, "bench_cuda_fbp: %s: %s\n", what, err->msg);
        exit(1);
    }
}

/* A timed region on `stream`: start() ... seconds(). */
struct timer {
    cudaEvent_t begin, end;
    cudaStream_t stream;
};

static void timer_start(struct timer *t)
{
    die_cuda("event", cudaEventRecord(t->begin, t->stream));
}

static double timer_seconds(struct timer *t)
{
    float ms = 0;
    die_cuda("event", cudaEventRecord(t->end, t->stream));
    die_cuda("synchronize", cudaEventSynchronize(t->end));
    die_cuda("elapsed time", cudaEventElapsedTime(&ms, t->begin, t->end));
    return ms * 1e-3;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double best(double a, double b)
{
    return a < b ? a : b;
}

/* Sinograms of a centred disc of radius width / 3 (chord lengths), the same
 * for every angle and slice. */
static float *make_sinograms(const struct options *o)
{
    size_t row = (size_t)o->width, rows = (size_t)o->angles * (size_t)o->slices;
    float *s = malloc(sizeof(float) * row * rows);
    if (!s) {
        fprintf(stderr, "bench_cuda_fbp: out of host memory\n");
        exit(1);
    }
    double c = savu_default_cor(o->width), r = o->width / 3.0;
    for (size_t u = 0; u < row; u++) {
        double d = (double)u - c;
        s[u] = d * d < r * r ? (float)(2 * sqrt(r * r - d * d) * 0.01) : 0.0f;
    }
    for (size_t k = 1; k < rows; k++)
        memcpy(s + k * row, s, sizeof(float) * row);
    return s;
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(argc, argv, &o) != 0)
        return 2;
    if (savu_cuda_device_count() <= o.device) {
        printf("no CUDA device %d: nothing to measure\n", o.device);
        return 77;
    }
    char name[256];
    savu_cuda_device_describe(o.device, name, sizeof name);
    die_cuda("cudaSetDevice", cudaSetDevice(o.device));
    double updates = (double)o.angles * o.width * (double)o.width * o.slices;
    size_t sino_bytes = sizeof(float) * (size_t)o.angles * o.width * (size_t)o.slices;
    size_t out_bytes = sizeof(float) * (size_t)o.width * o.width * (size_t)o.slices;
    printf("device %d: %s\n", o.device, name);
    printf("size: %d angles x %d^2 x %d slices, filter %s, mask ratio %g, best of %d\n", o.angles,
           o.width, o.slices, o.filter, o.ratio, o.repeat);

    struct timer t;
    die_cuda("stream", cudaStreamCreateWithFlags(&t.stream, cudaStreamNonBlocking));
    die_cuda("event", cudaEventCreate(&t.begin));
    die_cuda("event", cudaEventCreate(&t.end));
    float *host_sino = make_sinograms(&o);
    float *d_sino, *d_copy, *d_out;
    die_cuda("cudaMalloc", cudaMalloc((void **)&d_sino, sino_bytes));
    die_cuda("cudaMalloc", cudaMalloc((void **)&d_copy, sino_bytes));
    die_cuda("cudaMalloc", cudaMalloc((void **)&d_out, out_bytes));
    die_cuda("H2D", cudaMemcpy(d_sino, host_sino, sino_bytes, cudaMemcpyHostToDevice));

    /* ---- ceilings ---- */
    double d2d = INFINITY, h2d = INFINITY, d2h = INFINITY;
    void *pinned;
    die_cuda("cudaHostAlloc", cudaHostAlloc(&pinned, sino_bytes, cudaHostAllocDefault));
    memcpy(pinned, host_sino, sino_bytes);
    for (int r = 0; r <= o.repeat; r++) {
        double s;
        timer_start(&t);
        die_cuda("D2D", cudaMemcpyAsync(d_copy, d_sino, sino_bytes, cudaMemcpyDeviceToDevice,
                                        t.stream));
        s = timer_seconds(&t);
        d2d = r ? best(d2d, s) : d2d;
        timer_start(&t);
        die_cuda("H2D", cudaMemcpyAsync(d_copy, pinned, sino_bytes, cudaMemcpyHostToDevice,
                                        t.stream));
        s = timer_seconds(&t);
        h2d = r ? best(h2d, s) : h2d;
        timer_start(&t);
        die_cuda("D2H", cudaMemcpyAsync(pinned, d_copy, sino_bytes, cudaMemcpyDeviceToHost,
                                        t.stream));
        s = timer_seconds(&t);
        d2h = r ? best(d2h, s) : d2h;
    }
    cudaFreeHost(pinned);
    cudaFree(d_copy);
    double d2d_rate = 2.0 * sino_bytes / d2d;
    printf("D2D cudaMemcpy of the sinograms (%.2f GB): %.3f ms, %.0f GB/s (read + written)\n",
           sino_bytes * 1e-9, d2d * 1e3, d2d_rate * 1e-9);
    printf("H2D pinned: %.3f ms, %.1f GB/s;  D2H pinned: %.3f ms, %.1f GB/s\n", h2d * 1e3,
           sino_bytes / h2d * 1e-9, d2h * 1e3, sino_bytes / d2h * 1e-9);

    /* ---- filter ---- */
    savu_error err;
    double *angles = malloc(sizeof(double) * (size_t)o.angles);
    double *weights = malloc(sizeof(double) * (size_t)o.angles);
    double *cor = malloc(sizeof(double) * (size_t)o.slices);
    for (int a = 0; a < o.angles; a++)
        angles[a] = 180.0 * a / o.angles;
    for (int s = 0; s < o.slices; s++)
        cor[s] = savu_default_cor(o.width);
    die_savu("angle weights", savu_angle_weights(o.angles, angles, weights, &err), &err);
    /* cuFFT first, then the fused kernel, which the backprojection then reads */
    savu_cuda_filter *filter = NULL;
    for (int k = 0; k < 2; k++) {
        savu_cuda_filter_destroy(filter);
        setenv("SAVU_CUDA_FILTER", k ? "fused" : "cufft", 1);
        filter = savu_cuda_filter_create(o.width, o.angles, o.slices, o.filter, weights, &err);
        unsetenv("SAVU_CUDA_FILTER");
        die_savu("filter", filter ? 0 : -1, &err);
        double load = INFINITY, apply = INFINITY;
        for (int r = 0; r <= o.repeat; r++) {
            timer_start(&t);
            die_savu("load", savu_cuda_filter_load(filter, d_sino, o.slices, t.stream, &err),
                     &err);
            double s = timer_seconds(&t);
            load = r ? best(load, s) : load;
            timer_start(&t);
            die_savu("filter", savu_cuda_filter_apply(filter, o.slices, t.stream, &err), &err);
            s = timer_seconds(&t);
            apply = r ? best(apply, s) : apply;
        }
        double total = load + apply, filter_rate = 2.0 * sino_bytes / total;
        printf("filter %s (N = %d): load %.3f ms, filter %.3f ms, total %.3f ms: "
               "%.0f GB/s of sinogram read + written = %.1f%% of D2D\n",
               savu_cuda_filter_kind(filter), savu_cuda_filter_length(filter), load * 1e3,
               apply * 1e3, total * 1e3, filter_rate * 1e-9, 100.0 * filter_rate / d2d_rate);
        /* the arithmetic of the fused filter: a complex FFT of length N both
         * ways per pair of rows, counted as 5 N log2 N flops each */
        double n = savu_cuda_filter_length(filter), pairs = (double)o.angles * o.slices / 2;
        if (k)
            printf("fused filter arithmetic: %.1f TFLOP/s (2 x 5 N log2 N per pair of rows)\n",
                   pairs * 2 * 5 * n * log2(n) / total * 1e-12);
    }

    /* ---- backprojection ---- */
    size_t pitch;
    const float *filtered = savu_cuda_filter_output(filter, &pitch);
    for (int p = 0; p < 2; p++) {
        enum savu_cuda_precision precision = p ? SAVU_CUDA_FP16X4 : SAVU_CUDA_FP32;
        savu_cuda_backprojector *bp = savu_cuda_backprojector_create(
            o.width, o.angles, angles, o.ratio, precision, o.slices, &err);
        die_savu("backprojector", bp ? 0 : -1, &err);
        double seconds = INFINITY;
        for (int r = 0; r <= o.repeat; r++) {
            timer_start(&t);
            die_savu("backprojection", savu_cuda_backprojector_execute(bp, filtered, pitch,
                                                                       o.slices, cor, d_out,
                                                                       t.stream, &err), &err);
            double s = timer_seconds(&t);
            seconds = r ? best(seconds, s) : seconds;
        }
        printf("backprojection %-6s (packing included): %.3f s, %.3e voxel updates/s "
               "(%.0f GVU/s)\n", savu_cuda_precision_name(precision), seconds, updates / seconds,
               updates / seconds * 1e-9);
        savu_cuda_backprojector_destroy(bp);
    }
    savu_cuda_filter_destroy(filter);

    /* ---- whole plan ---- */
    float *host_out = malloc(out_bytes);
    if (!host_out) {
        fprintf(stderr, "bench_cuda_fbp: out of host memory\n");
        return 1;
    }
    for (int p = 0; p < 2; p++) {
        enum savu_cuda_precision precision = p ? SAVU_CUDA_FP16X4 : SAVU_CUDA_FP32;
        const char *pname = savu_cuda_precision_name(precision);
        savu_cuda_fbp_plan *plan = savu_cuda_fbp_create(o.device, o.width, o.angles, angles,
                                                        o.filter, o.ratio, precision, o.slices,
                                                        &err);
        die_savu("plan", plan ? 0 : -1, &err);
        double seconds = INFINITY;
        for (int r = 0; r <= o.repeat; r++) {
            timer_start(&t);
            die_savu("execute_device", savu_cuda_fbp_execute_device(plan, d_sino, o.slices, cor,
                                                                    d_out, t.stream, &err), &err);
            double s = timer_seconds(&t);
            seconds = r ? best(seconds, s) : seconds;
        }
        printf("FBP device path  %-6s (chunk %d): %.3f s, %.3e voxel updates/s\n", pname,
               o.slices, seconds, updates / seconds);
        savu_cuda_fbp_destroy(plan);
        int chunk = o.chunk < o.slices ? o.chunk : o.slices;
        plan = savu_cuda_fbp_create(o.device, o.width, o.angles, angles, o.filter, o.ratio,
                                    precision, chunk, &err);
        die_savu("plan", plan ? 0 : -1, &err);
        seconds = INFINITY;
        for (int r = 0; r <= o.repeat; r++) {
            double start = now(); /* execute is synchronous: wall clock */
            die_savu("execute", savu_cuda_fbp_execute(plan, host_sino, o.slices, cor, host_out,
                                                      &err), &err);
            double s = now() - start;
            seconds = r ? best(seconds, s) : seconds;
        }
        printf("FBP host path    %-6s (chunks of %d, pageable memory): %.3f s, %.3e voxel "
               "updates/s\n", pname, chunk, seconds, updates / seconds);
        savu_cuda_fbp_destroy(plan);
    }
    printf("check: centre voxel of slice 0 = %g (a disc of 0.01 per pixel gives ~0.01)\n",
           host_out[(size_t)(o.width / 2) * o.width + o.width / 2]);
    free(host_out);
    free(host_sino);
    free(angles);
    free(weights);
    free(cor);
    cudaFree(d_sino);
    cudaFree(d_out);
    return 0;
}
