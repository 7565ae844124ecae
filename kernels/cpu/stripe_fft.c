/* stripe_fft.c: the wavelet-FFT and Raven stripe removals on one sinogram
 * (stripe_fft.h). Double-precision FFTW plans are made once per shape
 * (under the planner lock) on buffers of the same alignment as every
 * worker's (fftw_malloc), and executed on the worker's own arrays
 * (new-array execute). Savu's filters, defined on fftshift-ed positions,
 * are stored once for FFTW's order of frequencies; where Savu keeps the
 * real part of a complex result, the filter is replaced by its Hermitian
 * part, (F(k) + conj F(-k)) / 2, which gives that real part directly from
 * a real-to-complex transform and its inverse. */
#include "stripe_fft.h"

#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fftw_planner.h"
#include "wavelet.h"

#define MAX_LEVELS 62

enum stripe_method { STRIPE_WAVELET_FFT, STRIPE_RAVEN };

/* One level of the wavelet-FFT: its bands are rows x cols. */
struct wavelet_level {
    long rows, cols;
    fftw_plan forward, backward; /* along the rows of cV, all columns at once */
    double *damp;                /* [rows / 2 + 1]: Hermitian part / rows */
};

struct stripe_work {
    double *img;                 /* the padded sinogram (and the rebuilt one) */
    double *approx[2];           /* coarser approximations, in turn */
    double *band[MAX_LEVELS][3]; /* cH, cV, cD of each level */
    fftw_complex *spectrum;      /* of cV (the finest level's size); Raven's direct
                                  * way: the filtered rows of the spectrum */
    double *scratch;             /* rows for wavelet.c */
};

struct savu_stripe_fft {
    enum stripe_method method;
    long nrow, ncol, pad, rows, cols; /* the sinogram and the padded one */
    /* wavelet-FFT */
    struct savu_wavelet wavelet;
    int levels;
    struct wavelet_level level[MAX_LEVELS];
    /* Raven */
    fftw_plan forward, backward; /* in place, rows of 2 (cols / 2 + 1): 2-D, or one
                                  * row (the direct way) */
    long n_filtered;             /* rows of the half spectrum the filter touches */
    long *filtered_row;          /* [n_filtered] */
    double complex *filter;      /* [n_filtered][cols / 2 + 1], Hermitian part */
    bool direct;                 /* few filtered rows: 1-D transforms (see Raven below) */
    double complex *twiddle;     /* direct: [n_filtered][nrow] */
    int n_workers;
    struct stripe_work *work;
};

int savu_wavelet_fft_max_level(long nrow, long ncol, int pad)
{
    long side = (nrow < ncol ? nrow : ncol) + 2L * pad;
    int level = 0;
    while (side >= 2) {
        side /= 2;
        level++;
    }
    return level;
}

long savu_raven_max_v(long nrow, int pad)
{
    return (nrow + 2L * pad + 1) / 2 - 1;
}

/* ---- wavelet-FFT ---- */

/* Savu's damping of a band of m rows: 1 - exp(-y^2 / (2 sigma^2)) at the
 * fftshift-ed position s, y = s - (m - 1) / 2; FFTW's frequency q sits at
 * s = (q + m / 2) mod m. */
static double savu_damping(long q, long m, double sigma)
{
    double y = (double)((q + m / 2) % m) - (double)(m - 1) / 2.0;
    return -expm1(-y * y / (2.0 * sigma * sigma));
}

static int wavelet_plan(savu_stripe_fft *s, double sigma)
{
    const int len = s->wavelet.len;
    long rows = s->rows, cols = s->cols;
    for (int j = 0; j < s->levels; j++) {
        struct wavelet_level *lv = &s->level[j];
        lv->rows = rows = savu_dwt_len(rows, len);
        lv->cols = cols = savu_dwt_len(cols, len);
        lv->damp = malloc((size_t)(rows / 2 + 1) * sizeof *lv->damp);
        if (!lv->damp)
            return -1;
        for (long q = 0; q <= rows / 2; q++)
            lv->damp[q] = 0.5 / (double)rows *
                          (savu_damping(q, rows, sigma) +
                           savu_damping((rows - q) % rows, rows, sigma));
        double *band = fftw_malloc((size_t)(rows * cols) * sizeof *band);
        fftw_complex *spec = fftw_malloc((size_t)((rows / 2 + 1) * cols) * sizeof *spec);
        if (!band || !spec) {
            fftw_free(band);
            fftw_free(spec);
            return -1;
        }
        int n = (int)rows;
        savu_fftw_planner_lock(); /* double plans are single-threaded */
        lv->forward = fftw_plan_many_dft_r2c(1, &n, (int)cols, band, NULL, (int)cols, 1, spec, NULL,
                                             (int)cols, 1, FFTW_ESTIMATE);
        lv->backward = fftw_plan_many_dft_c2r(1, &n, (int)cols, spec, NULL, (int)cols, 1, band,
                                              NULL, (int)cols, 1, FFTW_ESTIMATE);
        savu_fftw_planner_unlock();
        fftw_free(band);
        fftw_free(spec);
        if (!lv->forward || !lv->backward)
            return -1;
    }
    return 0;
}

static int wavelet_work(savu_stripe_fft *s, struct stripe_work *w)
{
    const int len = s->wavelet.len;
    const struct wavelet_level *first = &s->level[0];
    size_t d = sizeof(double);
    w->img = fftw_malloc((size_t)((s->rows + 1) * (s->cols + 1)) * d);
    for (int k = 0; k < 2; k++)
        w->approx[k] = fftw_malloc((size_t)((first->rows + 1) * (first->cols + 1)) * d);
    w->spectrum =
        fftw_malloc((size_t)((first->rows / 2 + 1) * first->cols) * sizeof(fftw_complex));
    w->scratch = fftw_malloc((size_t)savu_wavelet_scratch(s->rows, s->cols, len) * d);
    int ok = w->img && w->approx[0] && w->approx[1] && w->spectrum && w->scratch;
    for (int j = 0; j < s->levels; j++)
        for (int b = 0; b < 3; b++)
            ok &= !!(w->band[j][b] =
                         fftw_malloc((size_t)(s->level[j].rows * s->level[j].cols) * d));
    return ok ? 0 : -1;
}

/* The padded sinogram into img (rows x cols, packed): each column's mean
 * (rounded to float32, as numpy.pad keeps it; into mean[ncol]) above and
 * below, then the edge columns repeated: Savu's np.pad "mean" along the
 * angles, then "edge" along the detector. */
static void pad_mean_edge(const savu_stripe_fft *s, const float *in, double *img, double *mean)
{
    const long nrow = s->nrow, ncol = s->ncol, pad = s->pad, cols = s->cols;
    memset(mean, 0, (size_t)ncol * sizeof *mean);
    for (long r = 0; r < nrow; r++) {
        double *row = img + (pad + r) * cols + pad;
        for (long c = 0; c < ncol; c++) {
            row[c] = in[r * ncol + c];
            mean[c] += row[c];
        }
    }
    for (long c = 0; c < ncol; c++)
        mean[c] = (float)(mean[c] / (double)nrow);
    for (long r = 0; r < s->rows; r++) {
        double *row = img + r * cols;
        if (r < pad || r >= pad + nrow)
            memcpy(row + pad, mean, (size_t)ncol * sizeof *row);
        for (long c = 0; c < pad; c++) {
            row[c] = row[pad];
            row[pad + ncol + c] = row[pad + ncol - 1];
        }
    }
}

static void wavelet_fft_apply(const savu_stripe_fft *s, struct stripe_work *w, const float *in,
                              float *out)
{
    const struct savu_wavelet *wl = &s->wavelet;
    pad_mean_edge(s, in, w->img, w->scratch);
    /* Decomposition: level j's approximation (img, then approx[0], [1], ...) */
    const double *a = w->img;
    long a_rows = s->rows, a_cols = s->cols;
    for (int j = 0; j < s->levels; j++) {
        double *next = w->approx[j & 1];
        savu_dwt2(wl, a, a_rows, a_cols, a_cols, next, w->band[j][0], w->band[j][1],
                  w->band[j][2], w->scratch);
        a = next;
        a_rows = s->level[j].rows;
        a_cols = s->level[j].cols;
    }
    /* Damping of cV along the angles, every level. */
    for (int j = 0; j < s->levels; j++) {
        const struct wavelet_level *lv = &s->level[j];
        double *cv = w->band[j][1];
        fftw_execute_dft_r2c(lv->forward, cv, w->spectrum);
        for (long q = 0; q <= lv->rows / 2; q++) {
            double *f = (double *)(w->spectrum + q * lv->cols);
            for (long c = 0; c < 2 * lv->cols; c++)
                f[c] *= lv->damp[q];
        }
        fftw_execute_dft_c2r(lv->backward, w->spectrum, cv);
    }
    /* Reconstruction: each approximation cut to its bands' size. */
    long a_stride = a_cols;
    for (int j = s->levels - 1; j >= 0; j--) {
        const struct wavelet_level *lv = &s->level[j];
        double *dest = j == 0 ? w->img : w->approx[(j + 1) & 1];
        savu_idwt2(wl, a, a_stride, w->band[j][0], w->band[j][1], w->band[j][2], lv->rows,
                   lv->cols, dest, w->scratch);
        a = dest;
        a_stride = savu_idwt_len(lv->cols, wl->len);
    }
    for (long r = 0; r < s->nrow; r++)
        for (long c = 0; c < s->ncol; c++)
            out[r * s->ncol + c] = (float)a[(r + s->pad) * a_stride + s->pad + c];
}

/* ---- Raven ----
 * The filter changes only the few rows of the 2-D spectrum in its band and
 * their mirrors (n_filtered of them: 2v + 1 for an odd number of padded
 * angles, up to 2v + 3 for an even one). With that few (RAVEN_DIRECT_ROWS
 * at most) the result is computed as the sinogram plus the change those
 * rows make: each padded row is transformed along the detector and summed
 * into the filtered rows' spectra with the angular DFT's weights; the
 * change, G = (filter - 1), is applied there; and each output row gets
 * back its share, transformed back along the detector. That is one 1-D
 * transform per padded row each way (the padding rows, copies of the
 * first or last, are transformed once) and no transform along the angles.
 * With more rows, the whole padded sinogram is transformed in 2-D. */

/* Above this many rows the 2-D transform is faster (1800 x 2560 sinograms
 * padded by 50: equal at about 15). */
#define RAVEN_DIRECT_ROWS 12

/* Savu's filter at FFTW's frequency (qy, qx) of the padded rows x cols:
 * (1 + i) times the Butterworth window in the band, 1 elsewhere. */
static double complex raven_filter_at(const savu_stripe_fft *s, const struct savu_raven_params *p,
                                      long qy, long qx)
{
    long sy = (qy + s->rows / 2) % s->rows, sx = (qx + s->cols / 2) % s->cols;
    long cy = (s->rows + 1) / 2 - 1, cx = (s->cols + 1) / 2 - 1;
    if (sy < cy - p->v || sy > cy + p->v)
        return 1.0;
    double x = (double)(sx - cx) / p->u;
    return (1.0 + I) / (1.0 + pow(x, 2.0 * p->n));
}

static int raven_plan(savu_stripe_fft *s, const struct savu_raven_params *p)
{
    const long rows = s->rows, half = s->cols / 2 + 1;
    /* The rows the filter touches: the band and its mirror. */
    s->filtered_row = malloc((size_t)rows * sizeof *s->filtered_row);
    if (!s->filtered_row)
        return -1;
    for (long q = 0; q < rows; q++)
        if (raven_filter_at(s, p, q, 0) != 1.0 ||
            raven_filter_at(s, p, (rows - q) % rows, 0) != 1.0)
            s->filtered_row[s->n_filtered++] = q;
    s->direct = s->n_filtered <= RAVEN_DIRECT_ROWS;
    /* The Hermitian part of the filter (minus 1 for the direct way), over
     * the whole 1 / (rows cols) of the two inverse transforms. */
    s->filter = malloc((size_t)(s->n_filtered * half) * sizeof *s->filter);
    if (!s->filter)
        return -1;
    const double scale = 1.0 / ((double)rows * (double)s->cols);
    for (long i = 0; i < s->n_filtered; i++) {
        long q = s->filtered_row[i];
        for (long x = 0; x < half; x++)
            s->filter[i * half + x] =
                (0.5 * (raven_filter_at(s, p, q, x) +
                        conj(raven_filter_at(s, p, (rows - q) % rows, (s->cols - x) % s->cols))) -
                 (s->direct ? 1.0 : 0.0)) * (s->direct ? scale : 1.0);
    }
    /* The direct way's weights: exp(-2 pi i q y / rows) of every filtered
     * row q at every padded row y, those of the padding rows summed onto
     * the first and last rows of the sinogram. */
    if (s->direct) {
        s->twiddle = malloc((size_t)(s->n_filtered * s->nrow) * sizeof *s->twiddle);
        if (!s->twiddle)
            return -1;
        for (long i = 0; i < s->n_filtered; i++)
            for (long r = 0; r < s->nrow; r++) {
                long y0 = r == 0 ? 0 : s->pad + r, y1 = r == s->nrow - 1 ? rows : s->pad + r + 1;
                double complex sum = 0.0;
                for (long y = y0; y < y1; y++)
                    sum += cexp(-2.0 * M_PI * I *
                                (double)((s->filtered_row[i] * y) % rows) / (double)rows);
                s->twiddle[i * s->nrow + r] = sum;
            }
    }
    double *buf = fftw_malloc((size_t)((s->direct ? 1 : rows) * 2 * half) * sizeof *buf);
    if (!buf)
        return -1;
    int n = (int)s->cols;
    savu_fftw_planner_lock();
    if (s->direct) {
        s->forward = fftw_plan_dft_r2c_1d(n, buf, (fftw_complex *)buf, FFTW_ESTIMATE);
        s->backward = fftw_plan_dft_c2r_1d(n, (fftw_complex *)buf, buf, FFTW_ESTIMATE);
    } else {
        s->forward = fftw_plan_dft_r2c_2d((int)rows, n, buf, (fftw_complex *)buf, FFTW_ESTIMATE);
        s->backward = fftw_plan_dft_c2r_2d((int)rows, n, (fftw_complex *)buf, buf, FFTW_ESTIMATE);
    }
    savu_fftw_planner_unlock();
    fftw_free(buf);
    return s->forward && s->backward ? 0 : -1;
}

static int raven_work(savu_stripe_fft *s, struct stripe_work *w)
{
    const long half = s->cols / 2 + 1;
    if (s->direct) {
        w->img = fftw_malloc((size_t)(2 * half) * sizeof(double));
        w->spectrum = fftw_malloc((size_t)(s->n_filtered * half) * sizeof(fftw_complex));
    } else {
        w->img = fftw_malloc((size_t)(s->rows * 2 * half) * sizeof(double));
    }
    return w->img && (w->spectrum || !s->direct) ? 0 : -1;
}

/* Row r of the sinogram padded by its edge values into row (2 (cols/2 + 1) doubles). */
static void raven_row(const savu_stripe_fft *s, const float *in, long r, double *row)
{
    const float *src = in + r * s->ncol;
    for (long c = 0; c < s->pad; c++)
        row[c] = src[0];
    for (long c = 0; c < s->ncol; c++)
        row[s->pad + c] = src[c];
    for (long c = s->pad + s->ncol; c < s->cols; c++)
        row[c] = src[s->ncol - 1];
}

static void raven_direct(const savu_stripe_fft *s, struct stripe_work *w, const float *in,
                         float *out)
{
    const long half = s->cols / 2 + 1, nf = s->n_filtered;
    double complex *row = (double complex *)w->img, *acc = (double complex *)w->spectrum;
    memset(acc, 0, (size_t)(nf * half) * sizeof *acc);
    for (long r = 0; r < s->nrow; r++) {
        raven_row(s, in, r, w->img);
        fftw_execute_dft_r2c(s->forward, w->img, (fftw_complex *)row);
        for (long i = 0; i < nf; i++) {
            const double complex t = s->twiddle[i * s->nrow + r];
            double complex *a = acc + i * half;
            for (long x = 0; x < half; x++)
                a[x] += row[x] * t;
        }
    }
    for (long i = 0; i < nf; i++)
        for (long x = 0; x < half; x++)
            acc[i * half + x] *= s->filter[i * half + x];
    for (long r = 0; r < s->nrow; r++) {
        const long y = s->pad + r;
        memset(row, 0, (size_t)half * sizeof *row);
        for (long i = 0; i < nf; i++) {
            const long q = s->filtered_row[i];
            const double complex t = cexp(2.0 * M_PI * I * (double)((q * y) % s->rows) /
                                          (double)s->rows);
            const double complex *a = acc + i * half;
            for (long x = 0; x < half; x++)
                row[x] += a[x] * t;
        }
        fftw_execute_dft_c2r(s->backward, (fftw_complex *)row, w->img);
        for (long c = 0; c < s->ncol; c++)
            out[r * s->ncol + c] = (float)((double)in[r * s->ncol + c] + w->img[s->pad + c]);
    }
}

static void raven_apply(const savu_stripe_fft *s, struct stripe_work *w, const float *in,
                        float *out)
{
    if (s->direct) {
        raven_direct(s, w, in, out);
        return;
    }
    const long half = s->cols / 2 + 1, stride = 2 * half;
    for (long r = 0; r < s->rows; r++) {
        long from = r < s->pad ? 0 : r - s->pad < s->nrow ? r - s->pad : s->nrow - 1;
        raven_row(s, in, from, w->img + r * stride);
    }
    fftw_execute_dft_r2c(s->forward, w->img, (fftw_complex *)w->img);
    double complex *spec = (double complex *)w->img;
    for (long i = 0; i < s->n_filtered; i++) {
        double complex *row = spec + s->filtered_row[i] * half;
        const double complex *f = s->filter + i * half;
        for (long x = 0; x < half; x++)
            row[x] *= f[x];
    }
    fftw_execute_dft_c2r(s->backward, (fftw_complex *)w->img, w->img);
    const double scale = 1.0 / ((double)s->rows * (double)s->cols);
    for (long r = 0; r < s->nrow; r++)
        for (long c = 0; c < s->ncol; c++)
            out[r * s->ncol + c] = (float)(w->img[(r + s->pad) * stride + s->pad + c] * scale);
}

/* ---- plans ---- */

static savu_stripe_fft *stripe_new(enum stripe_method method, long nrow, long ncol, int pad,
                                   int n_workers, savu_error *err)
{
    if (nrow < 1 || ncol < 1 || pad < 0 || n_workers < 1) {
        savu_error_set(err, "stripe removal: bad sinogram %ld x %ld, padding %d or %d workers",
                       nrow, ncol, pad, n_workers);
        return NULL;
    }
    savu_stripe_fft *s = calloc(1, sizeof *s);
    if (s) {
        s->method = method;
        s->nrow = nrow, s->ncol = ncol, s->pad = pad, s->n_workers = n_workers;
        s->rows = nrow + 2L * pad, s->cols = ncol + 2L * pad;
        s->work = calloc((size_t)n_workers, sizeof *s->work);
    }
    if (!s || !s->work || s->rows > INT32_MAX / 2 || s->cols > INT32_MAX / 2) {
        savu_stripe_fft_destroy(s);
        savu_error_set(err, "stripe removal: out of memory for %ld x %ld padded sinograms",
                       nrow + 2L * pad, ncol + 2L * pad);
        return NULL;
    }
    return s;
}

/* The workspaces (and on failure, everything), once the plans are made. */
static savu_stripe_fft *stripe_finish(savu_stripe_fft *s, int planned, savu_error *err)
{
    for (int k = 0; planned == 0 && k < s->n_workers; k++)
        planned = s->method == STRIPE_RAVEN ? raven_work(s, &s->work[k])
                                            : wavelet_work(s, &s->work[k]);
    if (planned == 0)
        return s;
    savu_error_set(err, "stripe removal: out of memory for %d workspaces of %ld x %ld padded "
                        "sinograms", s->n_workers, s->rows, s->cols);
    savu_stripe_fft_destroy(s);
    return NULL;
}

savu_stripe_fft *savu_wavelet_fft_create(long nrow, long ncol,
                                         const struct savu_wavelet_fft_params *p, int n_workers,
                                         savu_error *err)
{
    if (!(p->sigma > 0) || p->level < 1 || p->level > MAX_LEVELS || p->pad < 0 ||
        p->level > savu_wavelet_fft_max_level(nrow, ncol, p->pad) || p->order < 1 ||
        p->order > SAVU_DAUBECHIES_MAX) {
        savu_error_set(err, "wavelet-FFT: bad sigma %g, level %d, order %d or padding %d",
                       p->sigma, p->level, p->order, p->pad);
        return NULL;
    }
    savu_stripe_fft *s = stripe_new(STRIPE_WAVELET_FFT, nrow, ncol, p->pad, n_workers, err);
    if (!s)
        return NULL;
    savu_wavelet_daubechies(&s->wavelet, p->order);
    s->levels = p->level;
    return stripe_finish(s, wavelet_plan(s, p->sigma), err);
}

savu_stripe_fft *savu_raven_create(long nrow, long ncol, const struct savu_raven_params *p,
                                   int n_workers, savu_error *err)
{
    if (!(p->u > 0) || p->v < 0 || p->v > savu_raven_max_v(nrow, p->pad) || p->n < 1 ||
        p->pad < 0) {
        savu_error_set(err, "Raven filter: bad u %g, v %d, n %d or padding %d", p->u, p->v,
                       p->n, p->pad);
        return NULL;
    }
    savu_stripe_fft *s = stripe_new(STRIPE_RAVEN, nrow, ncol, p->pad, n_workers, err);
    return s ? stripe_finish(s, raven_plan(s, p), err) : NULL;
}

void savu_stripe_fft_apply(const savu_stripe_fft *s, int worker, const float *in, float *out)
{
    if (s->method == STRIPE_RAVEN)
        raven_apply(s, &s->work[worker], in, out);
    else
        wavelet_fft_apply(s, &s->work[worker], in, out);
}

/* With the planner lock held. */
static void destroy_plans(fftw_plan forward, fftw_plan backward)
{
    if (forward)
        fftw_destroy_plan(forward);
    if (backward)
        fftw_destroy_plan(backward);
}

void savu_stripe_fft_destroy(savu_stripe_fft *s)
{
    if (!s)
        return;
    for (int k = 0; s->work && k < s->n_workers; k++) {
        struct stripe_work *w = &s->work[k];
        fftw_free(w->img);
        fftw_free(w->approx[0]);
        fftw_free(w->approx[1]);
        fftw_free(w->spectrum);
        fftw_free(w->scratch);
        for (int j = 0; j < s->levels; j++)
            for (int b = 0; b < 3; b++)
                fftw_free(w->band[j][b]);
    }
    free(s->work);
    savu_fftw_planner_lock();
    for (int j = 0; j < s->levels; j++) {
        destroy_plans(s->level[j].forward, s->level[j].backward);
        free(s->level[j].damp);
    }
    destroy_plans(s->forward, s->backward);
    savu_fftw_planner_unlock();
    free(s->filtered_row);
    free(s->filter);
    free(s->twiddle);
    free(s);
}
