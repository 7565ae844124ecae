/* cuda_device.cu: CUDA device discovery and a self-test kernel (see
 * cuda_device.h). Built with nvcc when configure finds CUDA. */
#include "cuda_device.h"
#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int savu_cuda_device_count(void)
{
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError(); /* clear the sticky "no device" error */
        return 0;
    }
    return count;
}

int savu_cuda_device_describe(int dev, char *out, size_t size)
{
    cudaDeviceProp prop;
    cudaError_t rc = cudaGetDeviceProperties(&prop, dev);
    if (rc != cudaSuccess) {
        snprintf(out, size, "%s", cudaGetErrorString(rc));
        return -1;
    }
    snprintf(out, size, "%s (sm_%d%d, %zu MiB)", prop.name, prop.major, prop.minor,
             (size_t)(prop.totalGlobalMem >> 20));
    return 0;
}

void savu_cuda_warm_up(int local_rank)
{
    int n = 0;
    if (cudaGetDeviceCount(&n) == cudaSuccess && n > 0 && cudaSetDevice(local_rank % n) == cudaSuccess)
        cudaFree(0);
    cudaGetLastError();
}

void savu_cuda_release(int dev)
{
    if (cudaSetDevice(dev) == cudaSuccess)
        cudaDeviceReset();
    cudaGetLastError();
}

__global__ static void saxpy_kernel(size_t n, float a, const float *x, float *y)
{
    size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}

static double fail(char *why, size_t size, const char *what, cudaError_t rc)
{
    snprintf(why, size, "%s: %s", what, cudaGetErrorString(rc));
    return -1.0;
}

double savu_cuda_selftest(int dev, size_t n, char *why, size_t why_size)
{
    cudaError_t rc;
    if ((rc = cudaSetDevice(dev)) != cudaSuccess)
        return fail(why, why_size, "cudaSetDevice", rc);
    float *hx = (float *)malloc(n * sizeof(float));
    float *hy = (float *)malloc(n * sizeof(float));
    float *dx = NULL, *dy = NULL;
    double worst = -1.0;
    if (!hx || !hy) {
        snprintf(why, why_size, "out of host memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        hx[i] = (float)(i % 1000) * 0.001f;
        hy[i] = (float)(i % 7);
    }
    if ((rc = cudaMalloc(&dx, n * sizeof(float))) != cudaSuccess ||
        (rc = cudaMalloc(&dy, n * sizeof(float))) != cudaSuccess) {
        worst = fail(why, why_size, "cudaMalloc", rc);
        goto out;
    }
    cudaMemcpy(dx, hx, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, hy, n * sizeof(float), cudaMemcpyHostToDevice);
    saxpy_kernel<<<(unsigned)((n + 255) / 256), 256>>>(n, 2.5f, dx, dy);
    if ((rc = cudaGetLastError()) != cudaSuccess ||
        (rc = cudaMemcpy(hy, dy, n * sizeof(float), cudaMemcpyDeviceToHost)) != cudaSuccess) {
        worst = fail(why, why_size, "saxpy kernel", rc);
        goto out;
    }
    worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double expected = 2.5 * (double)((float)(i % 1000) * 0.001f) + (double)(i % 7);
        double d = fabs((double)hy[i] - expected);
        if (d > worst)
            worst = d;
    }
out:
    cudaFree(dx);
    cudaFree(dy);
    free(hx);
    free(hy);
    return worst;
}
