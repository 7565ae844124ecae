/* stripe_fft.h: two stripe (ring artefact) removals in Fourier space, on
 * one sinogram at a time ([nrow angles][ncol detector pixels], float32 row
 * after row), as Savu's plugins compute them:
 *
 * - wavelet-FFT (Münch, Trtik, Marone and Stampanoni, Opt. Express 17,
 *   8567, 2009; Savu's RingRemovalWaveletfft, after tomopy's
 *   remove_stripe_fw): the sinogram is padded by `pad` rows of each
 *   column's mean above and below, then by `pad` columns repeating the
 *   edge ones (numpy.pad "mean", then "edge"); decomposed over `level`
 *   levels with the Daubechies wavelet db`order` (wavelet.h); in each
 *   level's vertical-detail band cV, the Fourier transform along the
 *   angles is damped by 1 - exp(-y^2 / (2 sigma^2)), where y is Savu's
 *   centred frequency of the fftshift-ed position s of m rows, s - (m-1)/2
 *   (a half-integer when m is even); the real part is kept; the sinogram is
 *   rebuilt (each coarser approximation cut to the size of the finer
 *   bands, as pywt.waverec2 does) and the padding cut off.
 *
 * - Raven's filter (Rev. Sci. Instrum. 69, 2978, 1998; Savu's RavenFilter):
 *   the sinogram is padded by `pad` rows and columns repeating the edges
 *   (Savu's frame padding), transformed in 2-D and fftshift-ed; the 2v + 1
 *   rows cy - v .. cy + v, cy = ceil(H/2) - 1 of H padded rows, are
 *   multiplied by (1 + i) / (1 + ((x - cx) / u)^(2n)) along the columns x,
 *   cx = ceil(W/2) - 1 (Savu's filter: a Butterworth low-pass across the
 *   detector at the lowest angular frequencies, times 1 + i); transformed
 *   back, real part, padding cut off. Where H and W are odd the band is
 *   symmetric about the zero frequency and the result is that of the
 *   real filter (algotom's remove_stripe_based_fft); where one is even,
 *   Savu's centre sits one sample off and the factor 1 + i adds minus the
 *   imaginary part of the filtered band, as Savu computes it.
 *
 * Both compute in double precision (numpy's transforms). One plan per
 * sinogram shape and parameters holds the FFTW plans and one workspace
 * per worker; apply runs from any number of threads, each with its own
 * worker index. */
#ifndef SAVU_STRIPE_FFT_H
#define SAVU_STRIPE_FFT_H

#include "error.h"

struct savu_wavelet_fft_params {
    double sigma; /* damping, > 0 */
    int level;    /* 1 .. savu_wavelet_fft_max_level */
    int order;    /* the wavelet db`order`, 1 .. 38 */
    int pad;      /* rows and columns each side, >= 0 */
};

struct savu_raven_params {
    double u;     /* cut-off frequency, > 0 */
    int v;        /* rows each side of the zero frequency, 0 .. savu_raven_max_v */
    int n;        /* filter order, >= 1 */
    int pad;      /* rows and columns each side, >= 0 */
};

typedef struct savu_stripe_fft savu_stripe_fft;

/* The most levels of a wavelet-FFT of nrow x ncol sinograms padded by pad:
 * floor(log2) of the padded sinogram's smaller side (each level halves it). */
int savu_wavelet_fft_max_level(long nrow, long ncol, int pad);
/* The largest v of Raven's filter on nrow angles padded by pad: the band
 * must lie within the padded rows, ceil((nrow + 2 pad) / 2) - 1. */
long savu_raven_max_v(long nrow, int pad);

/* Plans for nrow x ncol sinograms used by n_workers threads; NULL with err
 * set on bad parameters or no memory. */
savu_stripe_fft *savu_wavelet_fft_create(long nrow, long ncol,
                                         const struct savu_wavelet_fft_params *p, int n_workers,
                                         savu_error *err);
savu_stripe_fft *savu_raven_create(long nrow, long ncol, const struct savu_raven_params *p,
                                   int n_workers, savu_error *err);
/* One sinogram in into out (not overlapping), on worker `worker`'s workspace. */
void savu_stripe_fft_apply(const savu_stripe_fft *s, int worker, const float *in, float *out);
void savu_stripe_fft_destroy(savu_stripe_fft *s);

#endif
