/* cuda_filter_fused.h: the FBP filter in one kernel — each thread block
 * reads two detector rows, filters them through one complex FFT of the
 * padded length N in shared memory (fft_shared.cuh) and writes them back:
 * the rows cross device memory once each way, instead of the four passes of
 * pad, R2C, multiply and C2R.
 *
 * Two real rows a and b (weights wa, wb) go into one complex row
 * z = wa a + i wb b, zero-padded to N. The response R is real and even
 * (bin j and bin N - j get gain[min(j, N - j)]), so the inverse transform of
 * gain * FFT(z) is (wa a) * h + i (wb b) * h: the real part is row a
 * filtered, the imaginary part row b — exactly what the R2C/C2R path gives,
 * to float rounding. gain[j] is R[j] / N (savu_fbp_filter_response).
 *
 * Rows are numbered over n_rows = sinograms x n_angles; row r has weight
 * weights[r % n_angles]. Input rows are read up to `width`, output rows
 * written up to `width` (pitches in floats). */
#ifndef SAVU_CUDA_FILTER_FUSED_H
#define SAVU_CUDA_FILTER_FUSED_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "error.h"

/* Whether the fused kernel takes padded length N (2^a 3^b 5^c, at most
 * 8192) on the current device, whose shared memory must hold it; readies
 * the kernel for N (the shared-memory limit) when it does. */
int savu_fused_filter_ready(int padded);

/* Queues the filter of n_rows rows on `stream` (device pointers). */
int savu_fused_filter_run(const float *in, size_t in_pitch, float *out, size_t out_pitch,
                          int width, unsigned n_rows, int n_angles, const float *weights,
                          const float *gain, int padded, void *stream, savu_error *err);

/* The same computation on the host, thread after thread, with the kernel's
 * own code (host pointers): the algorithm's test without a GPU. */
int savu_fused_filter_host(const float *in, size_t in_pitch, float *out, size_t out_pitch,
                           int width, unsigned n_rows, int n_angles, const float *weights,
                           const float *gain, int padded, savu_error *err);

/* The kernel's complex FFT of length n (interleaved re, im), in place, on the
 * host; sign -1 forward, +1 inverse unnormalised. -1 when n is not
 * 2^a 3^b 5^c within 2..16384. */
int savu_fft_shared_host(float *re_im, int n, int sign);

#ifdef __cplusplus
}
#endif

#endif
