/* cuda_filter_fused.cu: the one-kernel FBP filter (cuda_filter_fused.h).
 *
 * A block runs F transforms side by side (threadIdx.y), each with
 * T = threads_for(N) threads (threadIdx.x), F = max(1, 256 / T); transform f
 * of block b takes rows 2 (b F + f) and 2 (b F + f) + 1. Its steps — load the
 * pair into shared memory, forward FFT, multiply by the response, inverse
 * FFT, store — are the functions below, which the host emulation calls
 * thread after thread in the same order. */
#include "cuda_filter_fused.h"
#include "cuda_check.h"
#include "fft_shared.cuh"

#include <stdlib.h>

/* Blocks of BLOCK_THREADS per SM the register budget of the small
 * transforms aims at (a macro, so that a benchmark build can try others). */
#ifndef FUSED_FILTER_MIN_BLOCKS
#define FUSED_FILTER_MIN_BLOCKS 4
#endif

enum {
    BLOCK_THREADS = 256,         /* threads per block when transforms are small */
    MAX_TRANSFORM_THREADS = 512, /* N <= 8192; longer rows go to cuFFT */
};

/* The two rows of one transform; a missing row b (odd n_rows) has b == NULL. */
struct row_pair {
    const float *a, *b;
    float *out_a, *out_b;
    float weight_a, weight_b;
};

struct filter_args {
    const float *in;
    size_t in_pitch;
    float *out;
    size_t out_pitch;
    int width;
    unsigned n_rows;
    int n_angles;
    const float *weights;
    const float *gain;
};

FFT_HD row_pair pair_of(const filter_args &f, size_t pair)
{
    row_pair p = {NULL, NULL, NULL, NULL, 0.0f, 0.0f};
    size_t row = 2 * pair;
    if (row < f.n_rows) {
        p.a = f.in + row * f.in_pitch;
        p.out_a = f.out + row * f.out_pitch;
        p.weight_a = f.weights[row % (unsigned)f.n_angles];
    }
    if (row + 1 < f.n_rows) {
        p.b = f.in + (row + 1) * f.in_pitch;
        p.out_b = f.out + (row + 1) * f.out_pitch;
        p.weight_b = f.weights[(row + 1) % (unsigned)f.n_angles];
    }
    return p;
}

/* data[x] = wa a[x] + i wb b[x] for x < width, 0 up to the padded length. */
FFT_HD void load_pair(float2 *data, const row_pair &p, int width, int length, int t,
                      int threads)
{
    for (int x = t; x < length; x += threads) {
        float2 z = make_float2(0.0f, 0.0f);
        if (x < width) {
            if (p.a)
                z.x = p.weight_a * p.a[x];
            if (p.b)
                z.y = p.weight_b * p.b[x];
        }
        data[skewed(x)] = z;
    }
}

/* Bin x times gain[min(x, N - x)]. */
FFT_HD void multiply_response(float2 *data, const float *gain, int length, int t, int threads)
{
    for (int x = t; x < length; x += threads) {
        int bin = x <= length / 2 ? x : length - x;
        data[skewed(x)] = c_scale(data[skewed(x)], gain[bin]);
    }
}

FFT_HD void store_pair(const float2 *data, const row_pair &p, int width, int t, int threads)
{
    for (int x = t; x < width; x += threads) {
        float2 z = data[skewed(x)];
        if (p.out_a)
            p.out_a[x] = z.x;
        if (p.out_b)
            p.out_b[x] = z.y;
    }
}

/* ---- device ---- */

/* Transforms of up to 256 threads (N <= 4096) are held to 64 registers, for
 * 4 blocks of 256 threads per SM on sm_90: with the 93 the compiler would
 * take, only 2 blocks fit, and the passes' barriers leave the SM idle. The
 * few spills cost less than the occupancy gains (2048 x 4096 x 64 on an
 * H200: 3.33 ms with 2 blocks, 2.79 ms with 3, 2.60 ms with 4). Bigger
 * transforms (up to MAX_TRANSFORM_THREADS) have the registers they need. */
template <int P2, bool HAS3, bool HAS5, bool BIG>
__global__ static void __launch_bounds__(BIG ? MAX_TRANSFORM_THREADS : BLOCK_THREADS,
                                         BIG ? 1 : FUSED_FILTER_MIN_BLOCKS) fused_filter_kernel(filter_args f, fft_shared_plan plan)
{
    extern __shared__ float2 shared[];
    int t = threadIdx.x, T = plan.threads;
    float2 *data = shared + (size_t)threadIdx.y * (size_t)fft_shared_slots(plan.length);
    row_pair p = pair_of(f, (size_t)blockIdx.x * blockDim.y + threadIdx.y);
    load_pair(data, p, f.width, plan.length, t, T);
    __syncthreads();
    fft_shared_device<P2, HAS3, HAS5, -1>(data, plan, t);
    multiply_response(data, f.gain, plan.length, t, T);
    __syncthreads();
    fft_shared_device<P2, HAS3, HAS5, +1>(data, plan, t);
    store_pair(data, p, f.width, t, T);
}

typedef void (*fused_kernel)(filter_args, fft_shared_plan);

template <int P2, bool BIG> static fused_kernel kernel_with(bool has3, bool has5)
{
    if (has3)
        return has5 ? fused_filter_kernel<P2, true, true, BIG>
                    : fused_filter_kernel<P2, true, false, BIG>;
    return has5 ? fused_filter_kernel<P2, false, true, BIG>
                : fused_filter_kernel<P2, false, false, BIG>;
}

template <bool BIG> static fused_kernel kernel_of_size(const fft_shared_plan &plan)
{
    bool has3 = plan.n3 > 0, has5 = plan.n5 > 0;
    switch (plan.p2) {
    case 2: return kernel_with<2, BIG>(has3, has5);
    case 4: return kernel_with<4, BIG>(has3, has5);
    case 8: return kernel_with<8, BIG>(has3, has5);
    default: return kernel_with<1, BIG>(has3, has5);
    }
}

/* The kernel compiled for the plan's radices. */
static fused_kernel kernel_for(const fft_shared_plan &plan)
{
    return plan.threads > BLOCK_THREADS ? kernel_of_size<true>(plan)
                                        : kernel_of_size<false>(plan);
}

static int transforms_per_block(const fft_shared_plan &plan)
{
    int f = BLOCK_THREADS / plan.threads;
    return f > 1 ? f : 1;
}

static size_t shared_bytes(const fft_shared_plan &plan)
{
    return (size_t)transforms_per_block(plan) * (size_t)fft_shared_slots(plan.length) *
           sizeof(float2);
}

int savu_fused_filter_ready(int padded)
{
    fft_shared_plan plan;
    if (fft_shared_plan_make(padded, &plan) != 0 || plan.threads > MAX_TRANSFORM_THREADS)
        return 0;
    int device = 0, limit = 0;
    if (cudaGetDevice(&device) != cudaSuccess ||
        cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device) !=
            cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    size_t bytes = shared_bytes(plan);
    if (bytes > (size_t)limit)
        return 0;
    if (cudaFuncSetAttribute(kernel_for(plan), cudaFuncAttributeMaxDynamicSharedMemorySize,
                             (int)bytes) != cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    return 1;
}

static int check_sizes(int width, int padded, fft_shared_plan *plan, savu_error *err)
{
    if (fft_shared_plan_make(padded, plan) != 0)
        return savu_error_set(err, "fused FBP filter: padded length %d is not 2^a 3^b 5^c "
                                   "within 2..%d", padded, SAVU_FFT_SHARED_MAX_LENGTH);
    if (plan->threads > MAX_TRANSFORM_THREADS)
        return savu_error_set(err, "fused FBP filter: padded length %d is over %d", padded,
                              16 * MAX_TRANSFORM_THREADS);
    if (width < 1 || 2 * width > padded)
        return savu_error_set(err, "fused FBP filter: width %d does not fit half of %d", width,
                              padded);
    return 0;
}

int savu_fused_filter_run(const float *in, size_t in_pitch, float *out, size_t out_pitch,
                          int width, unsigned n_rows, int n_angles, const float *weights,
                          const float *gain, int padded, void *stream, savu_error *err)
{
    fft_shared_plan plan;
    if (check_sizes(width, padded, &plan, err) != 0)
        return -1;
    if (n_rows == 0)
        return 0;
    filter_args f = {in, in_pitch, out, out_pitch, width, n_rows, n_angles, weights, gain};
    int per_block = transforms_per_block(plan);
    size_t pairs = ((size_t)n_rows + 1) / 2;
    dim3 block((unsigned)plan.threads, (unsigned)per_block);
    dim3 grid((unsigned)((pairs + per_block - 1) / per_block));
    kernel_for(plan)<<<grid, block, shared_bytes(plan), (cudaStream_t)stream>>>(f, plan);
    return savu_cuda_check_launch(err, "fused FBP filter");
}

/* ---- host emulation ---- */

int savu_fused_filter_host(const float *in, size_t in_pitch, float *out, size_t out_pitch,
                           int width, unsigned n_rows, int n_angles, const float *weights,
                           const float *gain, int padded, savu_error *err)
{
    fft_shared_plan plan;
    if (check_sizes(width, padded, &plan, err) != 0)
        return -1;
    filter_args f = {in, in_pitch, out, out_pitch, width, n_rows, n_angles, weights, gain};
    float2 *data = (float2 *)malloc(sizeof(float2) * (size_t)fft_shared_slots(padded));
    float2 *scratch = (float2 *)malloc(sizeof(float2) * fft_shared_host_scratch(plan));
    if (!data || !scratch) {
        free(data);
        free(scratch);
        return savu_error_set(err, "fused FBP filter: out of host memory");
    }
    int T = plan.threads;
    for (size_t pair = 0; pair < ((size_t)n_rows + 1) / 2; pair++) {
        row_pair p = pair_of(f, pair);
        for (int t = 0; t < T; t++)
            load_pair(data, p, width, padded, t, T);
        fft_shared_host<-1>(data, plan, scratch);
        for (int t = 0; t < T; t++)
            multiply_response(data, gain, padded, t, T);
        fft_shared_host<+1>(data, plan, scratch);
        for (int t = 0; t < T; t++)
            store_pair(data, p, width, t, T);
    }
    free(data);
    free(scratch);
    return 0;
}

int savu_fft_shared_host(float *re_im, int n, int sign)
{
    fft_shared_plan plan;
    if (fft_shared_plan_make(n, &plan) != 0)
        return -1;
    float2 *data = (float2 *)malloc(sizeof(float2) * (size_t)fft_shared_slots(n));
    float2 *scratch = (float2 *)malloc(sizeof(float2) * fft_shared_host_scratch(plan));
    if (!data || !scratch) {
        free(data);
        free(scratch);
        return -1;
    }
    for (int x = 0; x < n; x++)
        data[skewed(x)] = make_float2(re_im[2 * x], re_im[2 * x + 1]);
    if (sign < 0)
        fft_shared_host<-1>(data, plan, scratch);
    else
        fft_shared_host<+1>(data, plan, scratch);
    for (int x = 0; x < n; x++) {
        re_im[2 * x] = data[skewed(x)].x;
        re_im[2 * x + 1] = data[skewed(x)].y;
    }
    free(data);
    free(scratch);
    return 0;
}
