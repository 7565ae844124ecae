/* wavelet.h: one level of the 2-D discrete wavelet transform and its
 * inverse with the Daubechies wavelets db1 to db38, in PyWavelets'
 * conventions (pywt.dwt2 and pywt.idwt2, mode "symmetric"), in double
 * precision, on arrays laid out row after row. The stripe removal of
 * Münch et al. (stripe_fft.h) is built on them.
 *
 * Along one axis, n samples x[0 .. n) give n_out = (n + L - 1) / 2
 * approximation and detail coefficients, L = 2N the filter length of dbN:
 *     a[o] = sum_j dec_lo[j] x[2o + 1 - j],   d[o] = sum_j dec_hi[j] x[2o + 1 - j]
 * where x is extended by half-sample symmetry (x[-1] = x[0], x[n] =
 * x[n - 1], repeated as often as short signals need). The inverse of m
 * coefficients gives 2m - L + 2 samples:
 *     y[o] = sum_i a[i] rec_lo[o + L - 2 - 2i] + d[i] rec_hi[o + L - 2 - 2i]
 * (terms whose filter index falls outside [0, L) left out). The filters
 * come from dbN's scaling filter h (daubechies.c, pywt's rec_lo):
 * rec_lo = h, dec_lo[k] = h[L-1-k], rec_hi[k] = (-1)^k h[L-1-k],
 * dec_hi[k] = (-1)^(k+1) h[k].
 *
 * In 2-D, axis 0 (rows of the array: the first index) is transformed
 * first, then axis 1, and the four bands are named as pywt's dwt2 names
 * them: cA (approximation along both), cH (detail along axis 0,
 * approximation along axis 1), cV (approximation along axis 0, detail
 * along axis 1: structures that vary across columns and not down them,
 * such as a sinogram's stripes) and cD (detail along both). */
#ifndef SAVU_WAVELET_H
#define SAVU_WAVELET_H

#define SAVU_DAUBECHIES_MAX 38
#define SAVU_WAVELET_MAX_LEN (2 * SAVU_DAUBECHIES_MAX)

/* dbN's scaling filter (2N values, pywt's rec_lo), N in 1 .. 38; [0] NULL. */
extern const double *const savu_daubechies_filters[SAVU_DAUBECHIES_MAX + 1];

struct savu_wavelet {
    int len; /* L */
    double dec_lo[SAVU_WAVELET_MAX_LEN], dec_hi[SAVU_WAVELET_MAX_LEN];
    double rec_lo[SAVU_WAVELET_MAX_LEN], rec_hi[SAVU_WAVELET_MAX_LEN];
};

/* The four filters of dbN into *w; -1 when N is not in 1 .. 38. */
int savu_wavelet_daubechies(struct savu_wavelet *w, int order);

/* Coefficients of n samples along one axis, and samples from n coefficients. */
static inline long savu_dwt_len(long n, int len) { return (n + len - 1) / 2; }
static inline long savu_idwt_len(long n, int len) { return 2 * n - len + 2; }

/* The doubles of scratch either transform needs: 4 x (the longer side + 2L). */
long savu_wavelet_scratch(long rows, long cols, int len);

/* in [rows][cols] (row stride `stride`) into the four bands, each
 * savu_dwt_len(rows) x savu_dwt_len(cols), rows after rows. */
void savu_dwt2(const struct savu_wavelet *w, const double *in, long rows, long cols, long stride,
               double *ca, double *ch, double *cv, double *cd, double *scratch);

/* The four bands of rows x cols (ca with row stride ca_stride, the others
 * packed) into out, savu_idwt_len(rows) x savu_idwt_len(cols), packed. */
void savu_idwt2(const struct savu_wavelet *w, const double *ca, long ca_stride, const double *ch,
                const double *cv, const double *cd, long rows, long cols, double *out,
                double *scratch);

#endif
