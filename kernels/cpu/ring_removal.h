/* ring_removal.h: the stripe (ring artefact) removal methods of Vo, Atwood
 * and Drakopoulos, Opt. Express 26, 28396 (2018), on one sinogram at a
 * time: [nrow angles][ncol detector pixels], float32, row after row. They
 * follow the authors' reference code (algotom.prep.removal, 1.7.0) step
 * for step — sorting each column by value, median filters along the
 * detector axis with scipy's "reflect" edges, stripe detection by the
 * ratio to a fitted noise level — so that results agree with it to float
 * rounding. Each call uses a workspace made for the sinogram's shape (one
 * per thread); the FFT used by the filtering method is planned once
 * (savu_ring_filter_create, double precision as numpy) and run from any
 * thread. */
#ifndef SAVU_RING_REMOVAL_H
#define SAVU_RING_REMOVAL_H

#include <stdbool.h>

/* Scratch for one sinogram of nrow x ncol (one per thread). */
struct savu_ring_work;
struct savu_ring_work *savu_ring_work_create(long nrow, long ncol);
void savu_ring_work_destroy(struct savu_ring_work *w);

/* What a call found, as bits of its return value (0: nothing to say). */
enum {
    SAVU_RING_NOISE_FREE = 1, /* the stripe detection met a noise-free profile
                               * (algotom raises an error there): no stripe
                               * was taken as detected */
};

/* Algorithm 3: each column sorted by value, a median filter of `size`
 * (odd) pixels along each row of the sorted sinogram, sorted back. */
int savu_ring_sorting(const float *in, float *out, long nrow, long ncol, int size,
                      struct savu_ring_work *w);

/* Algorithm 5: large stripes, detected from the ratio of each sorted
 * column's mean (without drop_ratio/2 of the rows at each end) to that of
 * its median-filtered neighbours with snr, then replaced by the sorted and
 * filtered values; with norm, every column is divided by that ratio
 * first. in may equal out. */
int savu_ring_large(const float *in, float *out, long nrow, long ncol, double snr, int size,
                    double drop_ratio, bool norm, struct savu_ring_work *w);

/* Algorithm 6: unresponsive and fluctuating stripes, detected from each
 * column's departure from its smoothed self, replaced by linear
 * interpolation between the nearest good columns; with residual, then
 * algorithm 5 (drop_ratio 0.1, norm) with the same snr and size. */
int savu_ring_dead(const float *in, float *out, long nrow, long ncol, double snr, int size,
                   bool residual, struct savu_ring_work *w);

/* Algorithms 6, 5 and 3 in turn (algotom's remove_all_stripe, drop_ratio
 * 0.1): dead stripes and large stripes with la_size, then sorting with
 * sm_size. */
int savu_ring_all(const float *in, float *out, long nrow, long ncol, double snr, int la_size,
                  int sm_size, struct savu_ring_work *w);

/* Algorithm 2: each column split by a Gaussian window of `sigma` in
 * Fourier space (padded by reflection) into smooth and sharp parts; the
 * smooth part is sorted, median filtered along the rows with `size` and
 * sorted back; the sum is the result. The plan holds the FFT of the
 * padded column (one per shape and sigma); execution is thread-safe. */
struct savu_ring_filter;
struct savu_ring_filter *savu_ring_filter_create(long nrow, double sigma);
void savu_ring_filter_destroy(struct savu_ring_filter *f);
int savu_ring_filtering(const struct savu_ring_filter *f, const float *in, float *out, long nrow,
                        long ncol, int size, struct savu_ring_work *w);

#endif
