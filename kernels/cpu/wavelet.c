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
    return 2 * ((rows > cols ? rows : cols) + 2L * len);
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
 * are filled by symmetry first. With the filters reversed, a[o] =
 * sum_j rec_lo[j] x[2o + 1 + j - (len - 1)]: a forward dot product. */
static void dwt_row(const struct savu_wavelet *w, double *ext, long n, double *a, double *d)
{
    const int len = w->len;
    const long m = len - 1, n_out = savu_dwt_len(n, len);
    for (long k = 0; k < m; k++) {
        ext[k] = ext[m + symmetric(k - m, n)];
        ext[m + n + k] = ext[m + symmetric(n + k, n)];
    }
    for (long o = 0; o < n_out; o++) {
        const double *x = ext + 2 * o + 1;
        double sa = 0.0, sd = 0.0;
        for (int j = 0; j < len; j++) {
            sa += w->dec_lo[len - 1 - j] * x[j];
            sd += w->dec_hi[len - 1 - j] * x[j];
        }
        a[o] = sa;
        d[o] = sd;
    }
}

void savu_dwt2(const struct savu_wavelet *w, const double *in, long rows, long cols, long stride,
               double *ca, double *ch, double *cv, double *cd, double *scratch)
{
    const int len = w->len;
    const long m = len - 1, out_rows = savu_dwt_len(rows, len), out_cols = savu_dwt_len(cols, len);
    double *lo = scratch, *hi = scratch + cols + 2 * len;
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
        dwt_row(w, lo, cols, ca + o * out_cols, cv + o * out_cols);
        dwt_row(w, hi, cols, ch + o * out_cols, cd + o * out_cols);
    }
}

/* Samples of one row from its approximation a and detail d (n each) into
 * y (savu_idwt_len(n)). */
static void idwt_row(const struct savu_wavelet *w, const double *a, const double *d, long n,
                     double *y)
{
    const int len = w->len;
    const long n_out = savu_idwt_len(n, len);
    for (long p = 0; p < n_out; p++) {
        double s = 0.0;
        for (long i = p / 2, k = p + len - 2 - 2 * i; k >= 0; i++, k -= 2)
            s += a[i] * w->rec_lo[k] + d[i] * w->rec_hi[k];
        y[p] = s;
    }
}

void savu_idwt2(const struct savu_wavelet *w, const double *ca, long ca_stride, const double *ch,
                const double *cv, const double *cd, long rows, long cols, double *out,
                double *scratch)
{
    const int len = w->len;
    const long out_rows = savu_idwt_len(rows, len), out_cols = savu_idwt_len(cols, len);
    double *restrict xa = scratch, *restrict xd = scratch + cols;
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
        idwt_row(w, xa, xd, cols, out + o * out_cols);
    }
}
