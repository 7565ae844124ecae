/* cuda_check.h: one-line error messages from CUDA runtime and cuFFT status
 * codes, a scope that makes a device current, and the rounding helpers the
 * kernels/cuda files share. Internal to the .cu files of kernels/cuda (C++
 * only). */
#ifndef SAVU_CUDA_CHECK_H
#define SAVU_CUDA_CHECK_H

#include <cuda_runtime.h>
#include <cufft.h>
#include <stddef.h>

extern "C" {
#include "error.h"
}

/* "WHAT: CUDA error text"; returns -1. */
static inline int savu_cuda_fail(savu_error *err, const char *what, cudaError_t rc)
{
    return savu_error_set(err, "%s: %s", what, cudaGetErrorString(rc));
}

static inline const char *savu_cufft_result_name(cufftResult rc)
{
    switch (rc) {
    case CUFFT_SUCCESS: return "success";
    case CUFFT_INVALID_PLAN: return "invalid plan";
    case CUFFT_ALLOC_FAILED: return "out of memory";
    case CUFFT_INVALID_VALUE: return "invalid value";
    case CUFFT_INTERNAL_ERROR: return "internal error";
    case CUFFT_EXEC_FAILED: return "execution failed";
    case CUFFT_SETUP_FAILED: return "setup failed (CUDA driver or runtime)";
    case CUFFT_INVALID_SIZE: return "invalid size";
    case CUFFT_NOT_SUPPORTED: return "not supported";
    default: return "error";
    }
}

/* "WHAT: cuFFT error text (code N)"; returns -1. */
static inline int savu_cufft_fail(savu_error *err, const char *what, cufftResult rc)
{
    return savu_error_set(err, "%s: cuFFT %s (code %d)", what, savu_cufft_result_name(rc), (int)rc);
}

/* The last launch error (cleared), as savu_cuda_fail; 0 when none. */
static inline int savu_cuda_check_launch(savu_error *err, const char *what)
{
    cudaError_t rc = cudaGetLastError();
    return rc == cudaSuccess ? 0 : savu_cuda_fail(err, what, rc);
}

static inline size_t savu_round_up(size_t value, size_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

/* Makes `device` current for the life of the object, then restores the
 * previous one. */
struct device_scope {
    int previous;
    bool changed;
    cudaError_t rc;
    explicit device_scope(int device) : previous(0), changed(false)
    {
        rc = cudaGetDevice(&previous);
        if (rc == cudaSuccess && previous != device) {
            rc = cudaSetDevice(device);
            changed = rc == cudaSuccess;
        }
    }
    ~device_scope()
    {
        if (changed)
            cudaSetDevice(previous);
    }
};

/* Rows of a 2D grid: at most this many blocks along y, rows beyond are
 * covered by a loop in the kernels. */
#define SAVU_CUDA_MAX_GRID_Y 65535u

#endif
