/* cuda_darkflat.cu: dark- and flat-field correction (and -log) on the GPU
 * (cuda_darkflat.h). One element-wise kernel, four values per thread with
 * 16-byte loads when the rows allow it (cols a multiple of 4, aligned
 * pointers), one value per thread otherwise; a grid-stride loop over the
 * block. The dark image and the inverse of (flat - dark) stay on the device. */
#include "cuda_darkflat.h"
#include "cuda_check.h"
#include "minus_log.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

enum { DARKFLAT_THREADS = 256, DARKFLAT_MAX_BLOCKS = 65536 };

struct savu_cuda_darkflat {
    int device, rows, cols;
    float *dark;    /* rows x cols (zeros when no dark was given) */
    float *inverse; /* rows x cols */
};

struct block_shape {
    size_t total;      /* values in the block */
    size_t row_values; /* values per detector row of the block: cols (projections) or
                          n_frames * cols (sinograms) */
    int cols, n_rows, first_row;
    bool sinograms;
};

__device__ static float correct(float raw, float dark, float inverse, bool take_log)
{
    float v = (raw - dark) * inverse;
    if (!isfinite(v))
        v = 0.0f;
    if (take_log)
        v = minus_log_value(v);
    return v;
}

/* Offset of value i's pixel in the dark and flat images. */
__device__ static size_t image_offset(const block_shape &b, size_t i)
{
    size_t col = i % (size_t)b.cols;
    size_t row = b.sinograms ? i / b.row_values : (i / (size_t)b.cols) % (size_t)b.n_rows;
    return ((size_t)b.first_row + row) * (size_t)b.cols + col;
}

template <int VECTOR>
__global__ static void darkflat_kernel(const float *in, float *out, /* may be the same */
                                       const float *__restrict__ dark,
                                       const float *__restrict__ inverse, block_shape b,
                                       bool take_log)
{
    size_t n = b.total / VECTOR;
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t g = (size_t)blockIdx.x * blockDim.x + threadIdx.x; g < n; g += stride) {
        size_t i = g * VECTOR;
        size_t p = image_offset(b, i);
        if constexpr (VECTOR == 4) {
            float4 x = ((const float4 *)in)[g];
            float4 d = *(const float4 *)(dark + p);
            float4 f = *(const float4 *)(inverse + p);
            float4 v = make_float4(correct(x.x, d.x, f.x, take_log), correct(x.y, d.y, f.y, take_log),
                                   correct(x.z, d.z, f.z, take_log), correct(x.w, d.w, f.w, take_log));
            ((float4 *)out)[g] = v;
        } else {
            out[i] = correct(in[i], dark[p], inverse[p], take_log);
        }
    }
}

savu_cuda_darkflat *savu_cuda_darkflat_create(int device, int rows, int cols, const float *dark,
                                              const float *flat, savu_error *err)
{
    if (rows < 1 || cols < 1 || !flat) {
        savu_error_set(err, "GPU dark/flat: %s", !flat ? "no flat field given"
                                                      : "image size is less than 1 x 1");
        return NULL;
    }
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || device < 0 || device >= count) {
        cudaGetLastError();
        savu_error_set(err, "CUDA device %d: no such device (%d found)", device, count);
        return NULL;
    }
    size_t n = (size_t)rows * (size_t)cols;
    savu_cuda_darkflat *df = (savu_cuda_darkflat *)calloc(1, sizeof *df);
    float *host = (float *)malloc(sizeof(float) * n * 2);
    if (!df || !host) {
        free(df);
        free(host);
        savu_error_set(err, "GPU dark/flat: out of host memory");
        return NULL;
    }
    df->device = device;
    df->rows = rows;
    df->cols = cols;
    float *host_dark = host, *host_inverse = host + n;
    for (size_t i = 0; i < n; i++) {
        host_dark[i] = dark ? dark[i] : 0.0f;
        double d = flat[i] - (dark ? dark[i] : 0.0f);
        host_inverse[i] = (float)(d == 0 ? 1.0 : 1.0 / d);
    }
    int previous = 0;
    cudaGetDevice(&previous);
    cudaError_t rc = cudaSetDevice(device);
    if (rc == cudaSuccess)
        rc = cudaMalloc(&df->dark, sizeof(float) * n);
    if (rc == cudaSuccess)
        rc = cudaMalloc(&df->inverse, sizeof(float) * n);
    if (rc == cudaSuccess)
        rc = cudaMemcpy(df->dark, host_dark, sizeof(float) * n, cudaMemcpyHostToDevice);
    if (rc == cudaSuccess)
        rc = cudaMemcpy(df->inverse, host_inverse, sizeof(float) * n, cudaMemcpyHostToDevice);
    free(host);
    if (rc != cudaSuccess) {
        cudaGetLastError();
        savu_error_set(err, "CUDA device %d: GPU dark/flat: %s for %d x %d images", device,
                       cudaGetErrorString(rc), rows, cols);
        savu_cuda_darkflat_destroy(df);
        df = NULL;
    }
    cudaSetDevice(previous);
    return df;
}

void savu_cuda_darkflat_destroy(savu_cuda_darkflat *df)
{
    if (!df)
        return;
    int previous = 0;
    cudaGetDevice(&previous);
    cudaSetDevice(df->device);
    cudaFree(df->dark);
    cudaFree(df->inverse);
    cudaSetDevice(previous);
    free(df);
}

static int check_block(const savu_cuda_darkflat *df, enum savu_cuda_layout layout,
                       const void *in, const void *out, int n_frames, int n_rows, int first_row,
                       savu_error *err)
{
    if (!df)
        return savu_error_set(err, "GPU dark/flat: no correction");
    if (layout != SAVU_CUDA_PROJECTIONS && layout != SAVU_CUDA_SINOGRAMS)
        return savu_error_set(err, "GPU dark/flat: unknown layout %d", (int)layout);
    if (n_frames < 0 || n_rows < 0 || first_row < 0 || first_row + n_rows > df->rows)
        return savu_error_set(err, "GPU dark/flat: %d frames of detector rows %d..%d do not fit "
                                   "the %d rows of the dark and flat images", n_frames, first_row,
                              first_row + n_rows - 1, df->rows);
    if ((size_t)n_frames * (size_t)n_rows > 0 && (!in || !out))
        return savu_error_set(err, "GPU dark/flat: missing %s", !in ? "input" : "output");
    return 0;
}

static int launch(const savu_cuda_darkflat *df, enum savu_cuda_layout layout, const float *d_in,
                  float *d_out, int n_frames, int n_rows, int first_row, int take_log,
                  cudaStream_t stream, savu_error *err)
{
    block_shape b;
    b.cols = df->cols;
    b.n_rows = n_rows;
    b.first_row = first_row;
    b.sinograms = layout == SAVU_CUDA_SINOGRAMS;
    b.total = (size_t)n_frames * (size_t)n_rows * (size_t)df->cols;
    b.row_values = b.sinograms ? (size_t)n_frames * (size_t)df->cols : (size_t)df->cols;
    if (b.total == 0)
        return 0;
    bool vector = df->cols % 4 == 0 && (uintptr_t)d_in % 16 == 0 && (uintptr_t)d_out % 16 == 0;
    size_t items = vector ? b.total / 4 : b.total;
    size_t blocks = (items + DARKFLAT_THREADS - 1) / DARKFLAT_THREADS;
    if (blocks > DARKFLAT_MAX_BLOCKS)
        blocks = DARKFLAT_MAX_BLOCKS;
    if (vector)
        darkflat_kernel<4><<<(unsigned)blocks, DARKFLAT_THREADS, 0, stream>>>(
            d_in, d_out, df->dark, df->inverse, b, take_log != 0);
    else
        darkflat_kernel<1><<<(unsigned)blocks, DARKFLAT_THREADS, 0, stream>>>(
            d_in, d_out, df->dark, df->inverse, b, take_log != 0);
    return savu_cuda_check_launch(err, "GPU dark/flat");
}

int savu_cuda_darkflat_apply_device(const savu_cuda_darkflat *df, enum savu_cuda_layout layout,
                                    const float *d_in, float *d_out, int n_frames, int n_rows,
                                    int first_row, int take_log, void *stream, savu_error *err)
{
    if (check_block(df, layout, d_in, d_out, n_frames, n_rows, first_row, err) != 0)
        return -1;
    int previous = 0;
    cudaGetDevice(&previous);
    cudaSetDevice(df->device);
    int rc = launch(df, layout, d_in, d_out, n_frames, n_rows, first_row, take_log,
                    (cudaStream_t)stream, err);
    cudaSetDevice(previous);
    return rc;
}

int savu_cuda_darkflat_apply(const savu_cuda_darkflat *df, enum savu_cuda_layout layout,
                             const float *in, float *out, int n_frames, int n_rows,
                             int first_row, int take_log, savu_error *err)
{
    if (check_block(df, layout, in, out, n_frames, n_rows, first_row, err) != 0)
        return -1;
    size_t bytes = (size_t)n_frames * (size_t)n_rows * (size_t)df->cols * sizeof(float);
    if (bytes == 0)
        return 0;
    int previous = 0;
    cudaGetDevice(&previous);
    float *d_data = NULL;
    cudaError_t rc = cudaSetDevice(df->device);
    if (rc == cudaSuccess)
        rc = cudaMalloc(&d_data, bytes);
    if (rc != cudaSuccess) {
        cudaGetLastError();
        cudaSetDevice(previous);
        return savu_error_set(err, "CUDA device %d: GPU dark/flat: %s for a block of %zu MiB",
                              df->device, cudaGetErrorString(rc), bytes >> 20);
    }
    int result = -1;
    rc = cudaMemcpy(d_data, in, bytes, cudaMemcpyHostToDevice);
    if (rc == cudaSuccess &&
        launch(df, layout, d_data, d_data, n_frames, n_rows, first_row, take_log, 0, err) == 0) {
        rc = cudaMemcpy(out, d_data, bytes, cudaMemcpyDeviceToHost);
        result = 0;
    }
    if (rc != cudaSuccess)
        result = savu_error_set(err, "CUDA device %d: GPU dark/flat: %s", df->device,
                                cudaGetErrorString(rc));
    cudaFree(d_data);
    cudaSetDevice(previous);
    return result;
}

__global__ static void minus_log_kernel(float *data, size_t n)
{
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        data[i] = minus_log_value(data[i]);
}

int savu_cuda_minus_log_device(int device, float *d_data, size_t n, void *stream,
                               savu_error *err)
{
    if (n == 0)
        return 0;
    if (!d_data)
        return savu_error_set(err, "GPU minus log: no data");
    device_scope scope(device);
    if (scope.rc != cudaSuccess)
        return savu_error_set(err, "CUDA device %d: %s", device, cudaGetErrorString(scope.rc));
    size_t blocks = (n + DARKFLAT_THREADS - 1) / DARKFLAT_THREADS;
    if (blocks > DARKFLAT_MAX_BLOCKS)
        blocks = DARKFLAT_MAX_BLOCKS;
    minus_log_kernel<<<(unsigned)blocks, DARKFLAT_THREADS, 0, (cudaStream_t)stream>>>(d_data, n);
    return savu_cuda_check_launch(err, "GPU minus log");
}
