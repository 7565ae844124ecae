/* cuda_filter.cu: the FBP filter on the GPU (cuda_filter.h).
 *
 * Two implementations behind one interface. The fused kernel
 * (cuda_filter_fused.h: one pass over the rows, FFTs in shared memory) is
 * used whenever it takes the padded length and SAVU_CUDA_FILTER is not
 * "cufft"; its input and output rows are pitched to the width rounded up to
 * 32 floats, and load() only notes where the next apply() reads. Otherwise
 * cuFFT:
 *
 * Buffers: `input`, rows of N floats (the row in front, zeros behind: the
 * CPU's padding); `spectrum`, rows of N/2 + 1 complex values, which the
 * in-place C2R turns into rows of 2 (N/2 + 1) floats — the output. R2C is out
 * of place, so the input stays as it is. cuFFT runs with its work area
 * shared by all four plans (R2C and C2R, for a batch of
 * FILTER_SLICES_PER_FFT sinograms and for one), allocated once.
 *
 * The frequency response R[j] is the CPU's (savu_fbp_filter_response of a
 * one-row CPU plan); the multiply kernel scales bin j of row (s, a) by
 * R[j] / N * row_weight[a], cuFFT's C2R, like FFTW's, not dividing by N. */
#include "cuda_filter.h"
#include "cuda_check.h"
#include "cuda_filter_fused.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

extern "C" {
#include "cpu/fbp_filter.h"
#include "env_choice.h"
}

enum {
    FILTER_SLICES_PER_FFT = 8, /* sinograms per batched cuFFT call */
    FILTER_THREADS = 256,
};

/* The cuFFT plans: forward and backward, for B sinograms and for one. */
enum { R2C_BATCH, C2R_BATCH, R2C_ONE, C2R_ONE, N_PLANS };

struct savu_cuda_filter {
    int width, n_angles, max_slices;
    int padded;           /* N */
    int n_bins;           /* N / 2 + 1 */
    int slices_per_fft;   /* B: sinograms in the batched plans */
    float *input;         /* rows of N floats */
    float2 *spectrum;     /* rows of n_bins complex = output rows of 2 n_bins floats */
    float *gain;          /* n_bins: R[j] / N */
    float *weights;       /* n_angles */
    void *work;           /* cuFFT work area */
    cufftHandle plan[N_PLANS];
    bool have_plan[N_PLANS];
    /* the fused kernel */
    bool fused;
    size_t in_pitch, out_pitch; /* floats per input and output row */
    float *output;              /* rows of out_pitch floats */
    const float *source;        /* where the next apply reads (NULL: input) */
    size_t source_pitch;
};

enum { FUSED_ROW_ALIGN = 32 }; /* floats */

/* ---- kernels ---- */

/* dst row r = src row r (width floats) followed by zeros up to `pitch`. */
__global__ static void load_rows_kernel(const float *__restrict__ src, int width,
                                        unsigned n_rows, float *__restrict__ dst, int pitch)
{
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= pitch)
        return;
    for (unsigned row = blockIdx.y; row < n_rows; row += gridDim.y)
        dst[(size_t)row * pitch + col] = col < width ? src[(size_t)row * width + col] : 0.0f;
}

/* Bin j of row r times gain[j] * weights[r % n_angles]. */
__global__ static void scale_kernel(float2 *__restrict__ spectrum, int n_bins, unsigned n_rows,
                                    unsigned n_angles, const float *__restrict__ gain,
                                    const float *__restrict__ weights)
{
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n_bins)
        return;
    float g = gain[j];
    for (unsigned row = blockIdx.y; row < n_rows; row += gridDim.y) {
        float s = g * weights[row % n_angles];
        float2 *bin = spectrum + (size_t)row * n_bins + j;
        float2 v = *bin;
        v.x *= s;
        v.y *= s;
        *bin = v;
    }
}

static dim3 row_grid(int columns, unsigned n_rows)
{
    unsigned y = n_rows < SAVU_CUDA_MAX_GRID_Y ? n_rows : SAVU_CUDA_MAX_GRID_Y;
    return dim3((unsigned)((columns + FILTER_THREADS - 1) / FILTER_THREADS), y ? y : 1u);
}

/* ---- sizes ---- */

static int slices_per_fft(int max_slices)
{
    return max_slices < FILTER_SLICES_PER_FFT ? max_slices : FILTER_SLICES_PER_FFT;
}

size_t savu_cuda_filter_bytes(int width, int n_angles, int max_slices)
{
    int padded = savu_fbp_filter_padded_length(width);
    if (padded < 0 || n_angles < 1 || max_slices < 1)
        return 0;
    size_t rows = (size_t)n_angles * (size_t)max_slices;
    size_t n_bins = (size_t)padded / 2 + 1;
    size_t input = rows * (size_t)padded * sizeof(float);
    size_t spectrum = rows * n_bins * sizeof(float2);
    /* cuFFT's work area: at most about one batch of spectra */
    size_t work = (size_t)n_angles * (size_t)slices_per_fft(max_slices) * n_bins * sizeof(float2);
    return input + spectrum + work + (n_bins + (size_t)n_angles) * sizeof(float);
}

/* ---- creation ---- */

/* 1 for the fused kernel where it can, 0 for cuFFT (SAVU_CUDA_FILTER=cufft),
 * -1 with err set for another value. */
static int wants_fused(savu_error *err)
{
    static const char *const choices[] = {"fused", "cufft", NULL};
    int choice = savu_env_choice("SAVU_CUDA_FILTER", choices, err);
    return choice < 0 ? -1 : choice == 0;
}

/* Builds R[j] / N with the CPU code; NULL with err set. */
static float *host_gain(int width, const char *filter, int *n_bins, savu_error *err)
{
    savu_fbp_filter_plan *cpu = savu_fbp_filter_create(width, 1, filter, 1, err);
    if (!cpu)
        return NULL;
    const float *response = savu_fbp_filter_response(cpu, n_bins);
    double length = savu_fbp_filter_length(cpu);
    float *gain = (float *)malloc(sizeof(float) * (size_t)*n_bins);
    if (gain) {
        for (int j = 0; j < *n_bins; j++)
            gain[j] = (float)((double)response[j] / length);
    } else {
        savu_error_set(err, "GPU filter: out of host memory");
    }
    savu_fbp_filter_destroy(cpu);
    return gain;
}

/* Makes plan `which` (R2C, or in-place C2R) for `rows` rows, without a work
 * area; *work_size gets its need. */
static int make_plan(savu_cuda_filter *f, int which, long long rows, size_t *work_size,
                     savu_error *err)
{
    bool forward = which == R2C_BATCH || which == R2C_ONE;
    cufftResult rc = cufftCreate(&f->plan[which]);
    if (rc != CUFFT_SUCCESS)
        return savu_cufft_fail(err, "GPU filter: creating a cuFFT plan", rc);
    f->have_plan[which] = true;
    long long n = f->padded, bins = f->n_bins, real_row = 2 * bins;
    long long real_embed = forward ? n : real_row;
    long long real_dist = forward ? n : real_row;
    rc = cufftSetAutoAllocation(f->plan[which], 0);
    if (rc == CUFFT_SUCCESS) {
        if (forward)
            rc = cufftMakePlanMany64(f->plan[which], 1, &n, &real_embed, 1, real_dist, &bins, 1,
                                     bins, CUFFT_R2C, rows, work_size);
        else
            rc = cufftMakePlanMany64(f->plan[which], 1, &n, &bins, 1, bins, &real_embed, 1,
                                     real_dist, CUFFT_C2R, rows, work_size);
    }
    if (rc != CUFFT_SUCCESS)
        return savu_error_set(err, "GPU filter: cuFFT could not plan %lld %s transforms of "
                                   "length %d: %s", rows, forward ? "R2C" : "C2R", f->padded,
                              savu_cufft_result_name(rc));
    return 0;
}

static int make_plans(savu_cuda_filter *f, savu_error *err)
{
    size_t need[N_PLANS] = {0, 0, 0, 0};
    long long batch_rows = (long long)f->n_angles * f->slices_per_fft;
    int n_plans = f->slices_per_fft > 1 ? N_PLANS : 2;
    for (int p = 0; p < n_plans; p++) {
        long long rows = p == R2C_BATCH || p == C2R_BATCH ? batch_rows : f->n_angles;
        if (make_plan(f, p, rows, &need[p], err) != 0)
            return -1;
    }
    size_t work = 0;
    for (int p = 0; p < N_PLANS; p++)
        work = need[p] > work ? need[p] : work;
    cudaError_t rc = cudaMalloc(&f->work, work ? work : 1);
    if (rc != cudaSuccess) {
        cudaGetLastError();
        return savu_error_set(err, "GPU filter: out of device memory for cuFFT's work area "
                                   "(%zu MiB)", work >> 20);
    }
    for (int p = 0; p < n_plans; p++) {
        cufftResult frc = cufftSetWorkArea(f->plan[p], f->work);
        if (frc != CUFFT_SUCCESS)
            return savu_cufft_fail(err, "GPU filter: setting cuFFT's work area", frc);
    }
    return 0;
}

static int upload(void *dst, const void *src, size_t bytes, savu_error *err)
{
    cudaError_t rc = cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice);
    return rc == cudaSuccess ? 0 : savu_cuda_fail(err, "GPU filter: copying the response", rc);
}

savu_cuda_filter *savu_cuda_filter_create(int width, int n_angles, int max_slices,
                                          const char *filter, const double *row_weights,
                                          savu_error *err)
{
    if (savu_fbp_filter_check_name(filter, err) != 0)
        return NULL;
    int padded = savu_fbp_filter_padded_length(width);
    if (padded < 0 || n_angles < 1 || max_slices < 1 ||
        (double)n_angles * max_slices * ((double)padded / 2 + 1) > (double)UINT_MAX) {
        savu_error_set(err, "GPU filter: %d sinograms of %d angles x %d pixels are out of range",
                       max_slices, n_angles, width);
        return NULL;
    }
    int want_fused = wants_fused(err);
    if (want_fused < 0)
        return NULL;
    savu_cuda_filter *f = (savu_cuda_filter *)calloc(1, sizeof *f);
    if (!f) {
        savu_error_set(err, "GPU filter: out of host memory");
        return NULL;
    }
    f->fused = want_fused && savu_fused_filter_ready(padded);
    f->width = width;
    f->n_angles = n_angles;
    f->max_slices = max_slices;
    f->padded = padded;
    f->n_bins = padded / 2 + 1;
    f->slices_per_fft = slices_per_fft(max_slices);
    size_t rows = (size_t)n_angles * (size_t)max_slices;
    float *gain = NULL, *weights = NULL;
    int n_bins = 0;
    if (!(gain = host_gain(width, filter, &n_bins, err)))
        goto fail;
    if (n_bins != f->n_bins) {
        savu_error_set(err, "GPU filter: the CPU filter has %d bins, expected %d", n_bins,
                       f->n_bins);
        goto fail;
    }
    if (!(weights = (float *)malloc(sizeof(float) * (size_t)n_angles))) {
        savu_error_set(err, "GPU filter: out of host memory");
        goto fail;
    }
    for (int a = 0; a < n_angles; a++)
        weights[a] = row_weights ? (float)row_weights[a] : 1.0f;
    f->in_pitch = f->fused ? savu_round_up((size_t)width, FUSED_ROW_ALIGN) : (size_t)padded;
    f->out_pitch = f->fused ? savu_round_up((size_t)width, FUSED_ROW_ALIGN) : 2 * (size_t)f->n_bins;
    if (cudaMalloc(&f->input, rows * f->in_pitch * sizeof(float)) != cudaSuccess ||
        (f->fused ? cudaMalloc(&f->output, rows * f->out_pitch * sizeof(float))
                  : cudaMalloc(&f->spectrum, rows * (size_t)f->n_bins * sizeof(float2))) !=
            cudaSuccess ||
        cudaMalloc(&f->gain, (size_t)f->n_bins * sizeof(float)) != cudaSuccess ||
        cudaMalloc(&f->weights, (size_t)n_angles * sizeof(float)) != cudaSuccess) {
        cudaGetLastError();
        savu_error_set(err, "GPU filter: out of device memory for %d sinograms of %d angles x %d "
                            "pixels padded to %d", max_slices, n_angles, width, padded);
        goto fail;
    }
    if (upload(f->gain, gain, (size_t)f->n_bins * sizeof(float), err) ||
        upload(f->weights, weights, (size_t)n_angles * sizeof(float), err))
        goto fail;
    if (!f->fused && make_plans(f, err) != 0)
        goto fail;
    free(gain);
    free(weights);
    return f;
fail:
    free(gain);
    free(weights);
    savu_cuda_filter_destroy(f);
    return NULL;
}

/* ---- use ---- */

float *savu_cuda_filter_input(savu_cuda_filter *f, size_t *pitch)
{
    *pitch = f->in_pitch;
    return f->input;
}

const float *savu_cuda_filter_output(const savu_cuda_filter *f, size_t *pitch)
{
    *pitch = f->out_pitch;
    return f->fused ? f->output : (const float *)f->spectrum;
}

const char *savu_cuda_filter_kind(const savu_cuda_filter *f)
{
    return f->fused ? "fused" : "cuFFT";
}

int savu_cuda_filter_length(const savu_cuda_filter *f)
{
    return f->padded;
}

static int check_slices(const savu_cuda_filter *f, int n_slices, savu_error *err)
{
    if (n_slices < 0 || n_slices > f->max_slices)
        return savu_error_set(err, "GPU filter: %d sinograms is outside 0..%d", n_slices,
                              f->max_slices);
    return 0;
}

int savu_cuda_filter_zero_padding(savu_cuda_filter *f, int n_slices, void *stream,
                                  savu_error *err)
{
    if (check_slices(f, n_slices, err) != 0)
        return -1;
    if (n_slices == 0 || f->fused || f->padded == f->width)
        return 0;
    size_t pitch = (size_t)f->padded * sizeof(float);
    cudaError_t rc = cudaMemset2DAsync(f->input + f->width, pitch, 0,
                                       (size_t)(f->padded - f->width) * sizeof(float),
                                       (size_t)n_slices * (size_t)f->n_angles,
                                       (cudaStream_t)stream);
    return rc == cudaSuccess ? 0 : savu_cuda_fail(err, "GPU filter: zeroing the padding", rc);
}

int savu_cuda_filter_load(savu_cuda_filter *f, const float *d_sinograms, int n_slices,
                          void *stream, savu_error *err)
{
    if (check_slices(f, n_slices, err) != 0)
        return -1;
    if (n_slices == 0)
        return 0;
    if (f->fused) {
        f->source = d_sinograms;
        f->source_pitch = (size_t)f->width;
        return 0;
    }
    unsigned rows = (unsigned)n_slices * (unsigned)f->n_angles;
    load_rows_kernel<<<row_grid(f->padded, rows), FILTER_THREADS, 0, (cudaStream_t)stream>>>(
        d_sinograms, f->width, rows, f->input, f->padded);
    return savu_cuda_check_launch(err, "GPU filter: loading the rows");
}

/* Runs `forward` (R2C, input -> spectrum) or the in-place C2R over the rows
 * of n_slices sinograms, B sinograms per call while B are left. */
static int run_ffts(savu_cuda_filter *f, bool forward, int n_slices, cudaStream_t stream,
                    savu_error *err)
{
    size_t slice_rows = (size_t)f->n_angles;
    int s = 0;
    while (s < n_slices) {
        bool batch = n_slices - s >= f->slices_per_fft;
        cufftHandle plan = f->plan[forward ? (batch ? R2C_BATCH : R2C_ONE)
                                           : (batch ? C2R_BATCH : C2R_ONE)];
        size_t row = (size_t)s * slice_rows;
        float2 *spectrum = f->spectrum + row * (size_t)f->n_bins;
        cufftResult rc = cufftSetStream(plan, stream);
        if (rc == CUFFT_SUCCESS)
            rc = forward ? cufftExecR2C(plan, f->input + row * (size_t)f->padded, spectrum)
                         : cufftExecC2R(plan, spectrum, (float *)spectrum);
        if (rc != CUFFT_SUCCESS)
            return savu_cufft_fail(err, forward ? "GPU filter: R2C transform"
                                                : "GPU filter: C2R transform", rc);
        s += batch ? f->slices_per_fft : 1;
    }
    return 0;
}

int savu_cuda_filter_apply(savu_cuda_filter *f, int n_slices, void *stream, savu_error *err)
{
    if (check_slices(f, n_slices, err) != 0)
        return -1;
    if (n_slices == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    unsigned rows = (unsigned)n_slices * (unsigned)f->n_angles;
    if (f->fused) {
        const float *in = f->source ? f->source : f->input;
        size_t in_pitch = f->source ? f->source_pitch : f->in_pitch;
        f->source = NULL;
        return savu_fused_filter_run(in, in_pitch, f->output, f->out_pitch, f->width, rows,
                                     f->n_angles, f->weights, f->gain, f->padded, s, err);
    }
    if (run_ffts(f, true, n_slices, s, err) != 0)
        return -1;
    scale_kernel<<<row_grid(f->n_bins, rows), FILTER_THREADS, 0, s>>>(
        f->spectrum, f->n_bins, rows, (unsigned)f->n_angles, f->gain, f->weights);
    if (savu_cuda_check_launch(err, "GPU filter: multiplying by the response") != 0)
        return -1;
    return run_ffts(f, false, n_slices, s, err);
}

void savu_cuda_filter_destroy(savu_cuda_filter *f)
{
    if (!f)
        return;
    for (int p = 0; p < N_PLANS; p++)
        if (f->have_plan[p])
            cufftDestroy(f->plan[p]);
    cudaFree(f->work);
    cudaFree(f->input);
    cudaFree(f->spectrum);
    cudaFree(f->output);
    cudaFree(f->gain);
    cudaFree(f->weights);
    free(f);
}
