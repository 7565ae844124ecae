/* fbp_filter.h: the filter of filtered backprojection, applied to detector
 * rows with batched single-precision FFTW transforms (plan once, apply many).
 *
 * The filter is the FFT of the discrete spatial ramp kernel (pixel units)
 *     h(0) = 1/4,  h(k) = -1 / (pi^2 k^2) for odd k,  h(k) = 0 for even k != 0,
 * on the padded length N (|k| <= N/2), multiplied by an apodisation window.
 * Its response approximates |nu| (nu in cycles per pixel, Nyquist 0.5) with
 * the small positive DC value of the truncated kernel, which is right for
 * rows of finite length. Rows of length n are zero-padded on the right to
 * N = 2 * (the smallest 2^a 3^b 5^c >= n), so for the ramp the result is
 * exactly the linear convolution q(u) = sum_v p(v) h(u - v), with no
 * wrap-around. apply() writes q in the units of the input (per pixel), so that
 * backprojecting q with angle weights summing to pi gives attenuation per pixel.
 *
 * Windows, as functions of the normalised frequency w = nu / 0.5 in [0, 1]:
 *     ramp, ram-lak, none  1  ("none" = no window, as in TomoPy; still ramp-filtered)
 *     shepp-logan          sin(pi w / 2) / (pi w / 2)   (1 at w = 0)
 *     cosine               cos(pi w / 2)
 *     hamming              0.54 + 0.46 cos(pi w)
 *     hann                 0.5 + 0.5 cos(pi w)
 *     parzen               1 - 6 w^2 + 6 w^3 for w <= 1/2,  2 (1 - w)^3 for w > 1/2
 * Names are matched without regard to case. */
#ifndef SAVU_FBP_FILTER_H
#define SAVU_FBP_FILTER_H

#include "error.h"

typedef struct savu_fbp_filter_plan savu_fbp_filter_plan;

/* The valid filter names, for messages and parameter descriptions. */
#define SAVU_FBP_FILTER_NAMES "ramp, ram-lak, none, shepp-logan, cosine, hamming, hann, parzen"

/* The largest row length the filter accepts. */
#define SAVU_FBP_FILTER_MAX_N (1 << 24)

/* 0 when `name` is a valid filter name; otherwise -1 and
 * "unknown FBP filter 'NAME': valid filters are ramp, ram-lak, ...". */
int savu_fbp_filter_check_name(const char *name, savu_error *err);

/* The window of filter `name` at normalised frequency w in [0, 1] (see above);
 * -1 with err set for an unknown name. */
int savu_fbp_filter_window(const char *name, double w, double *value, savu_error *err);

/* The padded FFT length N for rows of n pixels (1 <= n <= SAVU_FBP_FILTER_MAX_N),
 * or -1 when n is out of range. */
int savu_fbp_filter_padded_length(int n);

/* A plan filtering up to n_rows_batch rows of n pixels per FFTW call, with
 * FFTW using n_threads threads inside each call. FFTW_ESTIMATE planning: quick
 * and deterministic. NULL with err set on bad arguments or failure. */
savu_fbp_filter_plan *savu_fbp_filter_create(int n, int n_rows_batch, const char *filter,
                                             int n_threads, savu_error *err);

/* Filters n_rows consecutive rows of n floats in place; 0, or -1 on bad
 * arguments. A plan is used by one thread at a time (it owns its work buffer);
 * separate plans may be applied concurrently. */
int savu_fbp_filter_apply(savu_fbp_filter_plan *plan, float *rows, int n_rows);

/* The frequency response: N / 2 + 1 real values R[j] at nu_j = j / N cycles
 * per pixel; filtering multiplies the DFT of the padded row by R. */
const float *savu_fbp_filter_response(const savu_fbp_filter_plan *plan, int *n_bins);

/* The padded length N of the plan. */
int savu_fbp_filter_length(const savu_fbp_filter_plan *plan);

void savu_fbp_filter_destroy(savu_fbp_filter_plan *plan);

#endif
