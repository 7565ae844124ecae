/* cuda_fbp.h: filtered backprojection of parallel-beam sinograms on a CUDA
 * GPU — the GPU twin of kernels/cpu/fbp.h, with the same geometry
 * (geometry.h), the same filters (fbp_filter.h: the frequency response is
 * built on the host by the CPU code), the same angle weights
 * (angle_weights.h), circular mask and centre-of-rotation rules
 * (backproject.h) and the same layouts: sinograms [slice][angle][detector x],
 * slices [slice][ix][iz].
 *
 * Plan / execute / destroy as in FFTW. The plan holds, on one device, the
 * filter (cuFFT plans, padded row buffers) and the backprojector (packed
 * buffers) for up to max_slices slices at a time; execute takes any number
 * of slices and works through them in chunks of max_slices.
 *
 * Precision (enum savu_cuda_precision):
 *  - SAVU_CUDA_FP32 (default): one float2 (q[i], q[i+1]) per detector pixel
 *    read with a cached load, interpolated in fp32 with the exact fraction,
 *    accumulated in fp32. Agrees with the CPU to ~3e-6 (relative L2). The
 *    texture hardware's linear filtering is not used here: its 8-bit
 *    interpolation weights alone give a ~3e-4 difference from the CPU.
 *  - SAVU_CUDA_FP16X4: four slices with one centre of rotation share one
 *    half4 texel of a texture object, interpolated by the texture hardware;
 *    one fetch serves the four slices, sums in fp32. Agrees with the CPU to
 *    ~4e-4. About twice the speed of fp32. The filtered,
 *    weighted values are stored scaled by a power of two near 16 n_angles / pi;
 *    attenuations per pixel from ~1e-5 to ~1e3 keep fp16's relative precision
 *    (larger magnitudes saturate at the fp16 limit).
 *
 * Errors are one line in savu_error, e.g. "CUDA device 0: out of memory for
 * 64 sinograms of 2048 angles x 2048 pixels (needs 9.1 GiB, 3.2 GiB free)";
 * running out of device memory is an error, never a crash.
 *
 * A plan is used by one host thread at a time. Built only when configure
 * finds CUDA (HAVE_CUDA); link libsavucuda.a, libsavukernels, libsavucore. */
#ifndef SAVU_CUDA_FBP_H
#define SAVU_CUDA_FBP_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stddef.h>
#include "error.h"

enum savu_cuda_precision {
    SAVU_CUDA_FP32 = 0,   /* fp32 texels, exact interpolation (default) */
    SAVU_CUDA_FP16X4 = 1, /* 4 slices per half4 texel, hardware interpolation */
};

/* "fp32" or "fp16x4" (NULL for an unknown value). */
const char *savu_cuda_precision_name(enum savu_cuda_precision precision);

typedef struct savu_cuda_fbp_plan savu_cuda_fbp_plan;

/* A plan on CUDA device `device` for sinograms of n_angles rows of `width`
 * detector pixels at angles_deg (degrees, any order), filter `filter` (a name
 * of SAVU_FBP_FILTER_NAMES), mask ratio `ratio` (<= 0: none), precision
 * `precision`, with device buffers for max_slices slices at a time (>= 1).
 * Limits: width and n_angles within the device's 2D texture limits
 * (65000 angles on current GPUs). NULL with err set on bad arguments, no such
 * device, or not enough device memory. */
savu_cuda_fbp_plan *savu_cuda_fbp_create(int device, int width, int n_angles,
                                         const double *angles_deg, const char *filter,
                                         double ratio, enum savu_cuda_precision precision,
                                         int max_slices, savu_error *err);

/* Reconstructs n_slices slices from host memory into host memory: sinograms
 * [slice][angle][x] (n_slices x n_angles x width), cor[slice] the centre of
 * rotation of each slice in detector pixels, out [slice][ix][iz]. Copies go
 * through pinned staging buffers (allocated at the first call, 2 x max_slices
 * slices of input and output, plus 2 x max_slices output slices on the
 * device) and overlap the computation of neighbouring chunks: a call is cut
 * into up to 4 chunks (multiples of 4 slices), so that even one call keeps
 * the copies and the GPU busy at once. Synchronous: out is
 * complete on return. 0, or -1 with err set. */
int savu_cuda_fbp_execute(savu_cuda_fbp_plan *plan, const float *sinograms, int n_slices,
                          const double *cor, float *out, savu_error *err);

/* How the host path copies between the caller's memory and its pinned
 * staging buffers: fn(ctx, dst, src, n, to_device) fills dst[0..n) from
 * src[0..n), as it is or transformed on the way to the device (minus the
 * logarithm, say), and may use threads of its own. NULL, the default:
 * memcpy on the calling thread. */
typedef void (*savu_cuda_host_copy_fn)(void *ctx, float *dst, const float *src, size_t n,
                                       int to_device);
void savu_cuda_fbp_set_host_copy(savu_cuda_fbp_plan *plan, savu_cuda_host_copy_fn fn,
                                 void *ctx);
/* The same for data already on the plan's device: d_sinograms and d_out are
 * device pointers with the layouts above, `stream` a cudaStream_t (NULL: the
 * legacy default stream). The work is queued on `stream` and the call
 * returns without waiting; calls on different streams are ordered by the
 * plan itself. cor is read before the call returns. 0, or -1 with err set
 * (launch errors; errors of the queued work appear at the caller's next
 * synchronisation). */
int savu_cuda_fbp_execute_device(savu_cuda_fbp_plan *plan, const float *d_sinograms,
                                 int n_slices, const double *cor, float *d_out, void *stream,
                                 savu_error *err);

/* Waits for all work of the plan; 0, or -1 with err set (an error of the
 * queued work). */
int savu_cuda_fbp_synchronize(savu_cuda_fbp_plan *plan, savu_error *err);

void savu_cuda_fbp_destroy(savu_cuda_fbp_plan *plan);

/* How many slices at a time (max_slices) an fp32 plan with the host path in
 * use fits in the free memory of `device` now, leaving a margin (fp16x4 plans
 * need less); 0 when none fits, there is no such device or the sizes are out
 * of range. */
int savu_cuda_fbp_max_slices(int device, int width, int n_angles);

#ifdef __cplusplus
}
#endif

#endif
