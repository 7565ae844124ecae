/* wavelet.c: the 2-D Daubechies wavelet transform of one level and its
 * inverse, in pywt's conventions (wavelet.h). Each transform runs along
 * axis 0 one output row at a time (a weighted sum of whole input rows,
 * which vectorises), then along that row, so that it needs two rows of
 * scratch and no transposed copy. */
#include "wavelet.h"

#include <string.h>

int savu_wavelet_daubechies(struct savu_wavelet *w, int order)
{
    if (order < 1 || order > SAVU_DAUBECHIES_MAX)
        return -1;
    const double *h = savu_daubechies_filters[order];
    const int len = 2 * order;
    w->len = len;
    for (int k = 0; k < len; k++) {
        double sign = (k & 1) ? -1.0 : 1.0;
        w->rec_lo[k] = h[k];
        w->dec_lo[k] = h[len - 1 - k];
        w->rec_hi[k] = sign * h[len - 1 - k];
        w->dec_hi[k] = -sign * h[k];
    }
    return 0;
}

long savu_wavelet_scratch(long rows, long cols, int len)
{
    return 4 * ((rows > cols ? rows : cols) + 2L * len);
}

/* Index i of n samples extended by half-sample symmetry. */
static long symmetric(long i, long n)
{
    long period = 2 * n, j = i % period;
    if (j < 0)
        j += period;
    return j < n ? j : period - 1 - j;
}

/* One row of n samples, held in ext[len - 1 .. len - 1 + n), into its
 * approximation a and detail d (savu_dwt_len(n) each): the margins of ext
 * are filled by symmetry first. With g the filter reversed, a[o] =
 * sum_j g[j] ext[2o + 1 + j]; split by the parity of j over the odd and
 * even samples of ext (phase[1], phase[0]), each tap is a loop over o
 * along contiguous samples. */
static void dwt_row(const struct savu_wavelet *w, double *ext, long n, double *a, double *d,
                    double *phase0, double *phase1)
{
    const int len = w->len;
    const long m = len - 1, n_out = savu_dwt_len(n, len), n_ext = n + 2 * m;
    for (long k = 0; k < m; k++) {
        ext[k] = ext[m + symmetric(k - m, n)];
        ext[m + n + k] = ext[m + symmetric(n + k, n)];
    }
    for (long k = 0; 2 * k < n_ext; k++) {
        phase0[k] = ext[2 * k];
        phase1[k] = 2 * k + 1 < n_ext ? ext[2 * k + 1] : 0.0;
    }
    memset(a, 0, (size_t)n_out * sizeof *a);
    memset(d, 0, (size_t)n_out * sizeof *d);
    for (int t = 0; t < len / 2; t++) {
        const double lo_odd = w->dec_lo[len - 1 - 2 * t], lo_even = w->dec_lo[len - 2 - 2 * t];
        const double hi_odd = w->dec_hi[len - 1 - 2 * t], hi_even = w->dec_hi[len - 2 - 2 * t];
        const double *restrict x1 = phase1 + t, *restrict x0 = phase0 + t + 1;
        for (long o = 0; o < n_out; o++) {
            a[o] += lo_odd * x1[o] + lo_even * x0[o];
            d[o] += hi_odd * x1[o] + hi_even * x0[o];
        }
    }
}

void savu_dwt2(const struct savu_wavelet *w, const double *in, long rows, long cols, long stride,
               double *ca, double *ch, double *cv, double *cd, double *scratch)
{
    const int len = w->len;
    const long m = len - 1, out_rows = savu_dwt_len(rows, len), out_cols = savu_dwt_len(cols, len);
    const long half = (cols + 2 * len) / 2 + 1;
    double *lo = scratch, *hi = lo + cols + 2 * len, *phase = hi + cols + 2 * len;
    for (long o = 0; o < out_rows; o++) {
        double *restrict l = lo + m, *restrict h = hi + m;
        memset(l, 0, (size_t)cols * sizeof *l);
        memset(h, 0, (size_t)cols * sizeof *h);
        for (int j = 0; j < len; j++) {
            const double *restrict x = in + symmetric(2 * o + 1 - j, rows) * stride;
            const double fl = w->dec_lo[j], fh = w->dec_hi[j];
            for (long c = 0; c < cols; c++) {
                l[c] += fl * x[c];
                h[c] += fh * x[c];
            }
        }
        dwt_row(w, lo, cols, ca + o * out_cols, cv + o * out_cols, phase, phase + half);
        dwt_row(w, hi, cols, ch + o * out_cols, cd + o * out_cols, phase, phase + half);
    }
}

/* Samples of one row from its approximation a and detail d (n each) into
 * y (savu_idwt_len(n), an even number): y[2q] = sum_t a[i] rec_lo[2t] +
 * d[i] rec_hi[2t] and y[2q + 1] the same with rec_lo[2t + 1] and
 * rec_hi[2t + 1], i = q + len/2 - 1 - t; each tap a loop over q, into
 * even and odd (len n_out / 2 each), then interleaved. */
static void idwt_row(const struct savu_wavelet *w, const double *a, const double *d, long n,
                     double *y, double *even, double *odd)
{
    const int len = w->len;
    const long n_half = savu_idwt_len(n, len) / 2;
    memset(even, 0, (size_t)n_half * sizeof *even);
    memset(odd, 0, (size_t)n_half * sizeof *odd);
    for (int t = 0; t < len / 2; t++) {
        const double *restrict at = a + len / 2 - 1 - t, *restrict dt = d + len / 2 - 1 - t;
        const double le = w->rec_lo[2 * t], lo = w->rec_lo[2 * t + 1];
        const double he = w->rec_hi[2 * t], ho = w->rec_hi[2 * t + 1];
        for (long q = 0; q < n_half; q++) {
            even[q] += at[q] * le + dt[q] * he;
            odd[q] += at[q] * lo + dt[q] * ho;
        }
    }
    for (long q = 0; q < n_half; q++) {
        y[2 * q] = even[q];
        y[2 * q + 1] = odd[q];
    }
}

void savu_idwt2(const struct savu_wavelet *w, const double *ca, long ca_stride, const double *ch,
                const double *cv, const double *cd, long rows, long cols, double *out,
                double *scratch)
{
    const int len = w->len;
    const long out_rows = savu_idwt_len(rows, len), out_cols = savu_idwt_len(cols, len);
    double *restrict xa = scratch, *restrict xd = scratch + cols;
    double *even = xd + cols, *odd = even + cols;
    for (long o = 0; o < out_rows; o++) {
        memset(xa, 0, (size_t)cols * sizeof *xa);
        memset(xd, 0, (size_t)cols * sizeof *xd);
        for (long i = o / 2, k = o + len - 2 - 2 * i; k >= 0; i++, k -= 2) {
            const double *restrict a = ca + i * ca_stride, *restrict h = ch + i * cols;
            const double *restrict v = cv + i * cols, *restrict dd = cd + i * cols;
            const double fl = w->rec_lo[k], fh = w->rec_hi[k];
            for (long c = 0; c < cols; c++) {
                xa[c] += fl * a[c] + fh * h[c];
                xd[c] += fl * v[c] + fh * dd[c];
            }
        }
        idwt_row(w, xa, xd, cols, out + o * out_cols, even, odd);
    }
}
