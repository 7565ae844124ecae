/* cuda_filter.h: the FBP filter of fbp_filter.h on the GPU, for the
 * current CUDA device: rows of n pixels zero-padded to N (as the CPU pads
 * them), batched cuFFT R2C, multiplication by the filter's frequency response
 * (built on the host by savu_fbp_filter_create, divided by N) times a
 * per-row weight, and an in-place C2R. Used by cuda_fbp.cu; the benchmark
 * times it on its own.
 *
 * The object owns the input and output rows for up to max_slices sinograms
 * of n_angles rows. Callers fill the input (the first `width` floats of each
 * row, at its pitch; or name device rows with savu_cuda_filter_load) and read
 * the filtered rows from the output. It filters with the one-kernel filter
 * of cuda_filter_fused.h where that takes the padded length (2^a 3^b 5^c up
 * to 8192, which covers every row of up to 4096 pixels) and the environment
 * variable SAVU_CUDA_FILTER is not "cufft"; otherwise with cuFFT.
 * All calls queue work on `stream` (a cudaStream_t; NULL: the legacy default
 * stream) and return without waiting. */
#ifndef SAVU_CUDA_FILTER_H
#define SAVU_CUDA_FILTER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "error.h"

typedef struct savu_cuda_filter savu_cuda_filter;

/* A filter for max_slices sinograms of n_angles rows of `width` pixels with
 * filter `filter`; row a of every sinogram is also multiplied by
 * row_weights[a] (n_angles values; NULL: 1). NULL with err set (bad
 * arguments, out of device memory, cuFFT failures). */
savu_cuda_filter *savu_cuda_filter_create(int width, int n_angles, int max_slices,
                                          const char *filter, const double *row_weights,
                                          savu_error *err);

/* Device bytes a filter of these sizes takes (an estimate of cuFFT's work
 * area included); 0 when the sizes are out of range. */
size_t savu_cuda_filter_bytes(int width, int n_angles, int max_slices);

/* The padded input rows: max_slices * n_angles rows of *pitch floats. */
float *savu_cuda_filter_input(savu_cuda_filter *f, size_t *pitch);

/* Zeroes the padding (floats width .. pitch-1) of the input rows of the
 * first n_slices sinograms (the fused filter needs none: nothing). */
int savu_cuda_filter_zero_padding(savu_cuda_filter *f, int n_slices, void *stream,
                                  savu_error *err);

/* Makes the next savu_cuda_filter_apply read n_slices sinograms
 * [slice][angle][x] from device memory: cuFFT copies them into the input rows
 * now, with the padding zeroed; the fused filter reads them where they are
 * (they must stay until that apply has run). */
int savu_cuda_filter_load(savu_cuda_filter *f, const float *d_sinograms, int n_slices,
                          void *stream, savu_error *err);

/* Filters the input rows of the first n_slices sinograms into the output
 * rows. The input is left unchanged. */
int savu_cuda_filter_apply(savu_cuda_filter *f, int n_slices, void *stream, savu_error *err);

/* The filtered rows: max_slices * n_angles rows of *pitch floats, of which
 * the first `width` are the result (per pixel, weighted). */
const float *savu_cuda_filter_output(const savu_cuda_filter *f, size_t *pitch);

/* "fused" or "cuFFT": which implementation filters. */
const char *savu_cuda_filter_kind(const savu_cuda_filter *f);

/* The padded length N (as savu_fbp_filter_padded_length). */
int savu_cuda_filter_length(const savu_cuda_filter *f);

void savu_cuda_filter_destroy(savu_cuda_filter *f);

#ifdef __cplusplus
}
#endif

#endif
