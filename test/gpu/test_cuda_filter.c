/* test_cuda_filter.c: the GPU FBP filter's two implementations on a GPU.
 * For row widths whose padded lengths take every radix of the fused
 * kernel, random rows (odd row counts, row weights) are filtered
 *   - by the fused kernel on the device: equal to its host emulation
 *     (the same code; relative L2 <= 2e-6) and to the CPU filter (FFTW);
 *   - by cuFFT (SAVU_CUDA_FILTER=cufft): equal to the fused result;
 * both through the device rows named by load() and through the input rows.
 * A wrong SAVU_CUDA_FILTER is a one-line error.
 *
 *     test_cuda_filter
 *
 * Exit 77 (skip) when there is no GPU, 1 when a check fails. */
#include <cuda_runtime.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/fbp_filter.h"
#include "cuda/cuda_device.h"
#include "cuda/cuda_filter.h"
#include "cuda/cuda_filter_fused.h"
#include "gpu_check.h"

#define TOLERANCE 2e-6

static void cuda_ok(cudaError_t rc, const char *what)
{
    if (rc != cudaSuccess) {
        fprintf(stderr, "%s: %s\n", what, cudaGetErrorString(rc));
        exit(1);
    }
}

static double relative_l2(const float *x, size_t x_pitch, const float *ref, size_t ref_pitch,
                          int width, int n_rows)
{
    double num = 0, den = 0;
    for (int r = 0; r < n_rows; r++)
        for (int i = 0; i < width; i++) {
            double d = (double)x[r * x_pitch + i] - (double)ref[r * ref_pitch + i];
            num += d * d;
            den += (double)ref[r * ref_pitch + i] * ref[r * ref_pitch + i];
        }
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

/* One implementation on the GPU: rows [slice][angle][x] (n_slices x n_angles
 * rows of width) -> out (rows of width). via_load: through load() from device
 * rows; else copied into the input rows. */
static int gpu_filter(const char *kind, int width, int n_angles, int n_slices,
                      const char *filter, const double *weights, const float *rows, int via_load,
                      float *out)
{
    savu_error err;
    setenv("SAVU_CUDA_FILTER", kind, 1);
    savu_cuda_filter *f = savu_cuda_filter_create(width, n_angles, n_slices, filter, weights,
                                                  &err);
    unsetenv("SAVU_CUDA_FILTER");
    if (!f) {
        check(0, "%s filter of width %d: %s", kind, width, err.msg);
        return -1;
    }
    int fused = strcmp(savu_cuda_filter_kind(f), "fused") == 0;
    check(fused == (strcmp(kind, "fused") == 0), "width %d: SAVU_CUDA_FILTER=%s gives %s", width,
          kind, savu_cuda_filter_kind(f));
    size_t n_rows = (size_t)n_angles * n_slices, row_bytes = sizeof(float) * (size_t)width;
    float *d_rows = NULL;
    int rc = 0;
    if (via_load) {
        cuda_ok(cudaMalloc((void **)&d_rows, n_rows * row_bytes), "cudaMalloc");
        cuda_ok(cudaMemcpy(d_rows, rows, n_rows * row_bytes, cudaMemcpyHostToDevice), "H2D");
        rc = savu_cuda_filter_load(f, d_rows, n_slices, NULL, &err);
    } else {
        size_t pitch;
        float *input = savu_cuda_filter_input(f, &pitch);
        rc = savu_cuda_filter_zero_padding(f, n_slices, NULL, &err);
        if (rc == 0)
            cuda_ok(cudaMemcpy2D(input, pitch * sizeof(float), rows, row_bytes, row_bytes,
                                 n_rows, cudaMemcpyHostToDevice), "H2D");
    }
    if (rc == 0)
        rc = savu_cuda_filter_apply(f, n_slices, NULL, &err);
    if (rc == 0) {
        size_t pitch;
        const float *output = savu_cuda_filter_output(f, &pitch);
        cuda_ok(cudaMemcpy2D(out, row_bytes, output, pitch * sizeof(float), row_bytes, n_rows,
                             cudaMemcpyDeviceToHost), "D2H");
    } else {
        check(0, "%s filter of width %d: %s", kind, width, err.msg);
    }
    cudaFree(d_rows);
    savu_cuda_filter_destroy(f);
    return rc;
}

/* The CPU (FFTW) filter with the row weights, and the fused kernel's host
 * emulation, of the same rows. */
static void host_filters(int width, int n_angles, int n_slices, const char *filter,
                         const double *weights, const float *rows, float *fftw, float *emulated)
{
    savu_error err;
    int n_rows = n_angles * n_slices;
    memcpy(fftw, rows, sizeof(float) * (size_t)n_rows * width);
    savu_fbp_filter_plan *cpu = savu_fbp_filter_create(width, n_rows, filter, 1, &err);
    if (!cpu || savu_fbp_filter_apply(cpu, fftw, n_rows) != 0) {
        fprintf(stderr, "CPU filter: %s\n", err.msg);
        exit(1);
    }
    int n_bins, padded = savu_fbp_filter_length(cpu);
    const float *response = savu_fbp_filter_response(cpu, &n_bins);
    float *gain = xmalloc(sizeof(float) * (size_t)n_bins);
    float *w = xmalloc(sizeof(float) * (size_t)n_angles);
    for (int j = 0; j < n_bins; j++)
        gain[j] = (float)((double)response[j] / padded);
    for (int a = 0; a < n_angles; a++)
        w[a] = (float)weights[a];
    for (int r = 0; r < n_rows; r++)
        for (int x = 0; x < width; x++)
            fftw[(size_t)r * width + x] *= w[r % n_angles];
    if (savu_fused_filter_host(rows, (size_t)width, emulated, (size_t)width, width,
                               (unsigned)n_rows, n_angles, w, gain, padded, &err) != 0) {
        fprintf(stderr, "fused filter on the host: %s\n", err.msg);
        exit(1);
    }
    savu_fbp_filter_destroy(cpu);
    free(gain);
    free(w);
}

static void test_width(int width, int n_angles, int n_slices, const char *filter)
{
    size_t n = (size_t)n_angles * n_slices * width;
    float *rows = xmalloc(sizeof(float) * n), *fftw = xmalloc(sizeof(float) * n);
    float *emulated = xmalloc(sizeof(float) * n), *out = xmalloc(sizeof(float) * n);
    double *weights = xmalloc(sizeof(double) * (size_t)n_angles);
    unsigned state = (unsigned)width;
    for (size_t i = 0; i < n; i++) {
        state = state * 1664525u + 1013904223u;
        rows[i] = (float)((state >> 8) / 8388608.0 - 1.0);
    }
    for (int a = 0; a < n_angles; a++)
        weights[a] = 0.5 + 0.01 * a;
    host_filters(width, n_angles, n_slices, filter, weights, rows, fftw, emulated);
    int n_rows = n_angles * n_slices;
    for (int via_load = 0; via_load < 2; via_load++) {
        const char *how = via_load ? "load()" : "input rows";
        if (gpu_filter("fused", width, n_angles, n_slices, filter, weights, rows, via_load, out) ==
            0) {
            double e = relative_l2(out, width, emulated, width, width, n_rows);
            check(e <= TOLERANCE, "fused, width %d, %s, %s: %.2e from its host emulation", width,
                  filter, how, e);
            e = relative_l2(out, width, fftw, width, width, n_rows);
            check(e <= TOLERANCE, "fused, width %d, %s, %s: %.2e from FFTW", width, filter, how,
                  e);
        }
        if (gpu_filter("cufft", width, n_angles, n_slices, filter, weights, rows, via_load,
                       out) == 0) {
            double e = relative_l2(out, width, emulated, width, width, n_rows);
            check(e <= TOLERANCE, "cuFFT, width %d, %s, %s: %.2e from the fused filter", width,
                  filter, how, e);
        }
    }
    free(rows);
    free(fftw);
    free(emulated);
    free(out);
    free(weights);
}

static void test_bad_choice(void)
{
    savu_error err;
    double w = 1;
    setenv("SAVU_CUDA_FILTER", "fftw", 1);
    savu_cuda_filter *f = savu_cuda_filter_create(64, 1, 1, "ramp", &w, &err);
    unsetenv("SAVU_CUDA_FILTER");
    check(!f && strstr(err.msg, "SAVU_CUDA_FILTER='fftw': expected 'fused' or 'cufft'"),
          "SAVU_CUDA_FILTER=fftw: \"%s\"", f ? "(accepted)" : err.msg);
    savu_cuda_filter_destroy(f);
}

int main(void)
{
    if (no_gpu())
        return 77;
    /* padded lengths: 512 (16,16,2), 500 (4,5,5,5), 90 (2,3,3,5), 4096
     * (16,16,16), 5120 (16,16,4,5), 8100 (4,3,3,3,3,5,5) */
    test_width(256, 33, 3, "ramp");
    test_width(250, 7, 3, "hann");
    test_width(45, 9, 1, "shepp-logan");
    test_width(2048, 45, 3, "ramp");
    test_width(2560, 15, 1, "parzen");
    test_width(4050, 5, 1, "ramp");
    test_bad_choice();
    printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
