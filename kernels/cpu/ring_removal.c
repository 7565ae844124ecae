/* ring_removal.c: Vo et al.'s stripe removal methods on one sinogram
 * (ring_removal.h): the shared steps — sorting columns with their row
 * indices, the sliding median along a row with scipy's "reflect" edges,
 * the stripe detection of algorithm 4 — and algorithms 2, 3, 5 and 6 built
 * from them in the order algotom applies them. Values are float32 as in
 * the data; means, fits and ratios are double, as numpy computes them. */
#include "ring_removal.h"

#include "fftw_planner.h"

#include <fftw3.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct savu_ring_work {
    long nrow, ncol;
    float *sorted;     /* [nrow][ncol]: each column sorted */
    int32_t *rows;     /* [nrow][ncol]: the row each sorted value came from */
    float *filtered;   /* [nrow][ncol] */
    float *tmp;        /* [nrow][ncol] */
    uint32_t *keys[2];  /* [nrow] each: a column's sort keys (radix sort) */
    int32_t *order[2];  /* [nrow] each: their rows */
    double *line, *line_out, *window; /* [max(nrow, ncol)] */
    double *list1, *list2, *fact;     /* [ncol] */
    float *mask;                       /* [ncol] */
    fftw_complex *fft;                 /* padded column, for filtering (double,
                                        * as numpy's FFT: the smooth part is
                                        * sorted, so its rounding must agree) */
};

struct savu_ring_filter {
    long nrow, pad, n;
    double *window; /* the Gaussian of n points */
    fftw_plan forward, backward;
};

/* numpy's FFT padding: min(150, int(0.1 * n)) each side. */
static long filter_pad(long nrow)
{
    long pad = (long)(0.1 * (double)nrow);
    return pad < 150 ? pad : 150;
}

struct savu_ring_work *savu_ring_work_create(long nrow, long ncol)
{
    struct savu_ring_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    size_t n = (size_t)nrow * (size_t)ncol, m = (size_t)(nrow > ncol ? nrow : ncol);
    w->nrow = nrow;
    w->ncol = ncol;
    w->sorted = malloc(n * sizeof *w->sorted);
    w->rows = malloc(n * sizeof *w->rows);
    w->filtered = malloc(n * sizeof *w->filtered);
    w->tmp = malloc(n * sizeof *w->tmp);
    for (int k = 0; k < 2; k++) {
        w->keys[k] = malloc((size_t)nrow * sizeof *w->keys[k]);
        w->order[k] = malloc((size_t)nrow * sizeof *w->order[k]);
    }
    w->line = malloc(m * sizeof(double));
    w->line_out = malloc(m * sizeof(double));
    w->window = malloc(m * sizeof(double));
    w->list1 = malloc((size_t)ncol * sizeof(double));
    w->list2 = malloc((size_t)ncol * sizeof(double));
    w->fact = malloc((size_t)ncol * sizeof(double));
    w->mask = malloc((size_t)ncol * sizeof(float));
    w->fft = fftw_malloc((size_t)(nrow + 2 * filter_pad(nrow)) * sizeof(fftw_complex));
    if (!w->sorted || !w->rows || !w->filtered || !w->tmp || !w->keys[0] || !w->keys[1] ||
        !w->order[0] || !w->order[1] || !w->line ||
        !w->line_out || !w->window || !w->list1 || !w->list2 || !w->fact || !w->mask || !w->fft) {
        savu_ring_work_destroy(w);
        return NULL;
    }
    return w;
}

void savu_ring_work_destroy(struct savu_ring_work *w)
{
    if (!w)
        return;
    free(w->sorted);
    free(w->rows);
    free(w->filtered);
    free(w->tmp);
    for (int k = 0; k < 2; k++) {
        free(w->keys[k]);
        free(w->order[k]);
    }
    free(w->line);
    free(w->line_out);
    free(w->window);
    free(w->list1);
    free(w->list2);
    free(w->fact);
    free(w->mask);
    fftw_free(w->fft);
    free(w);
}

/* ---- Shared steps ---- */

/* scipy.ndimage's "reflect" (d c b a | a b c d | d c b a), any distance. */
static long reflect_edge(long i, long n)
{
    long period = 2 * n;
    i %= period;
    if (i < 0)
        i += period;
    return i < n ? i : period - 1 - i;
}

/* numpy.pad's "reflect" (d c b | a b c d | c b a), distance below n. */
static long reflect_inner(long i, long n)
{
    if (n == 1)
        return 0;
    if (i < 0)
        return -i;
    return i < n ? i : 2 * (n - 1) - i;
}

/* A float's sort key: unsigned order is the floats' order, -0 equal to 0
 * and NaN last (as numpy sorts). */
static uint32_t sort_key(float v)
{
    uint32_t u;
    if (isnan(v))
        return UINT32_MAX;
    if (v == 0.0f)
        v = 0.0f;
    memcpy(&u, &v, sizeof u);
    return (u & 0x80000000u) ? ~u : u | 0x80000000u;
}

/* Each column of sino sorted (algotom's sort_forward along the angles):
 * w->sorted and the rows the values came from in w->rows. A stable radix
 * sort of the keys, a byte at a time: equal values stay in row order
 * (numpy's argsort orders them as it likes; any order gives the same
 * sorted values). */
static void sort_columns(const float *sino, struct savu_ring_work *w)
{
    const long nrow = w->nrow, ncol = w->ncol;
    for (long c = 0; c < ncol; c++) {
        uint32_t *key = w->keys[0], *key_to = w->keys[1];
        int32_t *row = w->order[0], *row_to = w->order[1];
        for (long r = 0; r < nrow; r++) {
            key[r] = sort_key(sino[r * ncol + c]);
            row[r] = (int32_t)r;
        }
        for (int shift = 0; shift < 32; shift += 8) {
            long count[257] = {0};
            for (long r = 0; r < nrow; r++)
                count[((key[r] >> shift) & 0xffu) + 1]++;
            if (count[((key[0] >> shift) & 0xffu) + 1] == nrow)
                continue; /* every key has this byte */
            for (int b = 0; b < 256; b++)
                count[b + 1] += count[b];
            for (long r = 0; r < nrow; r++) {
                long to = count[(key[r] >> shift) & 0xffu]++;
                key_to[to] = key[r];
                row_to[to] = row[r];
            }
            uint32_t *k = key;
            key = key_to;
            key_to = k;
            int32_t *o = row;
            row = row_to;
            row_to = o;
        }
        for (long r = 0; r < nrow; r++) {
            w->sorted[r * ncol + c] = sino[(long)row[r] * ncol + c];
            w->rows[r * ncol + c] = row[r];
        }
    }
}

/* Values of the sorted layout put back in their rows (sort_backward). */
static void unsort_columns(const float *sorted_layout, float *out, const struct savu_ring_work *w)
{
    const long nrow = w->nrow, ncol = w->ncol;
    for (long r = 0; r < nrow; r++)
        for (long c = 0; c < ncol; c++)
            out[(long)w->rows[r * ncol + c] * ncol + c] = sorted_layout[r * ncol + c];
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Where in the sorted window[0 .. k) v goes (first index not below it). */
static long lower_bound(const double *window, long k, double v)
{
    long lo = 0, hi = k;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (window[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* scipy.ndimage.median_filter of an odd `size` on in[0 .. n) ("reflect"
 * edges) into out: a sorted window slides along, one value out and one in
 * per step. window holds size doubles. */
static void median_1d(const double *in, double *out, long n, long size, double *window)
{
    const long half = size / 2;
    for (long j = 0; j < size; j++)
        window[j] = in[reflect_edge(j - half, n)];
    qsort(window, (size_t)size, sizeof *window, compare_doubles);
    out[0] = window[half];
    for (long i = 1; i < n; i++) {
        double gone = in[reflect_edge(i - 1 - half, n)], come = in[reflect_edge(i + half, n)];
        long at = lower_bound(window, size, gone);
        if (at >= size || window[at] != gone) { /* NaN: find it by bits */
            for (at = 0; at < size - 1 && memcmp(&window[at], &gone, sizeof gone); at++)
                ;
        }
        /* Remove window[at], then insert come in order. */
        memmove(window + at, window + at + 1, (size_t)(size - 1 - at) * sizeof *window);
        long to = lower_bound(window, size - 1, come);
        memmove(window + to + 1, window + to, (size_t)(size - 1 - to) * sizeof *window);
        window[to] = come;
        out[i] = window[half];
    }
}

/* Every row of in ([nrow][ncol]) median filtered along the detector axis
 * into out: ndimage.median_filter(mat, (1, size)). */
static void median_rows(const float *in, float *out, long size, struct savu_ring_work *w)
{
    const long ncol = w->ncol;
    for (long r = 0; r < w->nrow; r++) {
        for (long c = 0; c < ncol; c++)
            w->line[c] = in[r * ncol + c];
        median_1d(w->line, w->line_out, ncol, size, w->window);
        for (long c = 0; c < ncol; c++)
            out[r * ncol + c] = (float)w->line_out[c];
    }
}

/* Algorithm 4 (algotom's detect_stripe): a straight line fitted to the
 * middle half of the sorted profile gives the noise level; values beyond
 * it by snr / 2 of that level mark stripes in mask (1) when the extremes
 * pass snr. Returns SAVU_RING_NOISE_FREE (and no stripes) for a flat
 * profile. */
static int detect_stripes(const double *list, long n, double snr, float *mask, double *sorted)
{
    memcpy(sorted, list, (size_t)n * sizeof *sorted);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_doubles);
    for (long i = 0; i < n; i++)
        mask[i] = 0.0f;
    long drop = (int16_t)(long)(0.25 * (double)n); /* numpy.int16, as algotom */
    long first = drop, count = n - 2 * drop - 1;
    if (count < 2)
        return 0;
    double mx = 0, my = 0;
    for (long i = 0; i < count; i++) {
        mx += (double)(first + i);
        my += sorted[first + i];
    }
    mx /= (double)count;
    my /= (double)count;
    double sxy = 0, sxx = 0;
    for (long i = 0; i < count; i++) {
        double dx = (double)(first + i) - mx;
        sxy += dx * (sorted[first + i] - my);
        sxx += dx * dx;
    }
    double slope = sxy / sxx, intercept = my - slope * mx;
    double y_end = intercept + slope * (double)(n - 1);
    double noise = fabs(y_end - intercept);
    if (noise < 1.0e-5)
        return SAVU_RING_NOISE_FREE;
    if (fabs(sorted[n - 1] - y_end) / noise >= snr) {
        double upper = y_end + noise * snr * 0.5;
        for (long i = 0; i < n; i++)
            if (list[i] > upper)
                mask[i] = 1.0f;
    }
    if (fabs(intercept - sorted[0]) / noise >= snr) {
        double lower = intercept - noise * snr * 0.5;
        for (long i = 0; i < n; i++)
            if (list[i] <= lower)
                mask[i] = 1.0f;
    }
    return 0;
}

/* ndimage.binary_dilation with one iteration: each stripe widened by a
 * pixel each side. */
static void dilate(float *mask, long n)
{
    float prev = 0.0f;
    for (long i = 0; i < n; i++) {
        float here = mask[i], next = i + 1 < n ? mask[i + 1] : 0.0f;
        mask[i] = (prev > 0 || here > 0 || next > 0) ? 1.0f : 0.0f;
        prev = here;
    }
}

/* ---- Algorithms ---- */

int savu_ring_sorting(const float *in, float *out, long nrow, long ncol, int size,
                      struct savu_ring_work *w)
{
    (void)nrow, (void)ncol;
    sort_columns(in, w);
    median_rows(w->sorted, w->filtered, size, w);
    unsort_columns(w->filtered, out, w);
    return 0;
}

int savu_ring_large(const float *in, float *out, long nrow, long ncol, double snr, int size,
                    double drop_ratio, bool norm, struct savu_ring_work *w)
{
    drop_ratio = drop_ratio < 0.0 ? 0.0 : drop_ratio > 0.8 ? 0.8 : drop_ratio;
    const long drop = (long)(0.5 * drop_ratio * (double)nrow);
    sort_columns(in, w);
    median_rows(w->sorted, w->filtered, size, w);
    for (long c = 0; c < ncol; c++)
        w->list1[c] = w->list2[c] = 0.0;
    for (long r = drop; r < nrow - drop; r++)
        for (long c = 0; c < ncol; c++) {
            w->list1[c] += w->sorted[r * ncol + c];
            w->list2[c] += w->filtered[r * ncol + c];
        }
    const double rows = (double)(nrow - 2 * drop);
    for (long c = 0; c < ncol; c++) {
        double mean1 = w->list1[c] / rows, mean2 = w->list2[c] / rows;
        w->fact[c] = mean2 != 0.0 ? mean1 / mean2 : 1.0;
    }
    int found = detect_stripes(w->fact, ncol, snr, w->mask, w->line);
    dilate(w->mask, ncol);
    for (long r = 0; r < nrow; r++)
        for (long c = 0; c < ncol; c++)
            out[r * ncol + c] =
                norm ? (float)((double)in[r * ncol + c] / w->fact[c]) : in[r * ncol + c];
    for (long r = 0; r < nrow; r++)
        for (long c = 0; c < ncol; c++)
            if (w->mask[c] > 0.0f)
                out[(long)w->rows[r * ncol + c] * ncol + c] = w->filtered[r * ncol + c];
    return found;
}

/* ndimage.uniform_filter1d of 10 points along each column ("reflect"):
 * the mean of rows i - 5 .. i + 4, as float32. */
#define DEAD_SMOOTH 10

int savu_ring_dead(const float *in, float *out, long nrow, long ncol, double snr, int size,
                   bool residual, struct savu_ring_work *w)
{
    float *src = w->tmp; /* in, unchanged while out is written */
    memcpy(src, in, (size_t)(nrow * ncol) * sizeof *src);
    double *diff = w->list1, *bck = w->list2;
    for (long c = 0; c < ncol; c++) {
        double sum = 0.0, total = 0.0;
        for (long k = -DEAD_SMOOTH / 2; k < DEAD_SMOOTH - DEAD_SMOOTH / 2; k++)
            sum += src[reflect_edge(k, nrow) * ncol + c];
        for (long r = 0; r < nrow; r++) {
            float smooth = (float)(sum / DEAD_SMOOTH);
            total += fabsf(src[r * ncol + c] - smooth);
            sum += src[reflect_edge(r + DEAD_SMOOTH - DEAD_SMOOTH / 2, nrow) * ncol + c] -
                   src[reflect_edge(r - DEAD_SMOOTH / 2, nrow) * ncol + c];
        }
        diff[c] = total;
    }
    median_1d(diff, bck, ncol, size, w->window);
    double mean = 0.0;
    for (long c = 0; c < ncol; c++)
        mean += fabs(bck[c]);
    mean /= (double)ncol;
    for (long c = 0; c < ncol; c++)
        w->fact[c] = diff[c] / (bck[c] == 0.0 ? mean : bck[c]);
    int found = detect_stripes(w->fact, ncol, snr, w->mask, w->line);
    dilate(w->mask, ncol);
    for (long c = 0; c < 2 && c < ncol; c++)
        w->mask[c] = w->mask[ncol - 1 - c] = 0.0f;
    long missing = 0;
    for (long c = 0; c < ncol; c++)
        missing += w->mask[c] > 0.0f;
    if (out != in)
        memcpy(out, src, (size_t)(nrow * ncol) * sizeof *out);
    if (missing > 0 && missing < ncol / 3) {
        long left = 0; /* the last good column seen */
        for (long c = 0; c < ncol; c++) {
            if (w->mask[c] <= 0.0f) {
                left = c;
                continue;
            }
            long right = c + 1;
            while (w->mask[right] > 0.0f) /* the last two columns are good */
                right++;
            double t = (double)(c - left) / (double)(right - left);
            for (long r = 0; r < nrow; r++) {
                double a = src[r * ncol + left], b = src[r * ncol + right];
                out[r * ncol + c] = (float)(a + (b - a) * t);
            }
        }
    }
    if (residual)
        found |= savu_ring_large(out, out, nrow, ncol, snr, size, 0.1, true, w);
    return found;
}

int savu_ring_all(const float *in, float *out, long nrow, long ncol, double snr, int la_size,
                  int sm_size, struct savu_ring_work *w)
{
    int found = savu_ring_dead(in, out, nrow, ncol, snr, la_size, false, w);
    found |= savu_ring_large(out, out, nrow, ncol, snr, la_size, 0.1, true, w);
    memcpy(w->tmp, out, (size_t)(nrow * ncol) * sizeof *out);
    found |= savu_ring_sorting(w->tmp, out, nrow, ncol, sm_size, w);
    return found;
}

/* ---- Algorithm 2 ---- */

struct savu_ring_filter *savu_ring_filter_create(long nrow, double sigma)
{
    struct savu_ring_filter *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->nrow = nrow;
    f->pad = filter_pad(nrow);
    f->n = nrow + 2 * f->pad;
    f->window = malloc((size_t)f->n * sizeof *f->window);
    fftw_complex *buf = fftw_malloc((size_t)f->n * sizeof *buf);
    if (!f->window || !buf) {
        fftw_free(buf);
        savu_ring_filter_destroy(f);
        return NULL;
    }
    /* scipy.signal.windows.gaussian(n, sigma), symmetric. */
    for (long j = 0; j < f->n; j++) {
        double x = ((double)j - (double)(f->n - 1) / 2.0) / sigma;
        f->window[j] = exp(-0.5 * x * x);
    }
    savu_fftw_planner_lock(); /* double plans are single-threaded */
    f->forward = fftw_plan_dft_1d((int)f->n, buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    f->backward = fftw_plan_dft_1d((int)f->n, buf, buf, FFTW_BACKWARD, FFTW_ESTIMATE);
    savu_fftw_planner_unlock();
    fftw_free(buf);
    if (!f->forward || !f->backward) {
        savu_ring_filter_destroy(f);
        return NULL;
    }
    return f;
}

void savu_ring_filter_destroy(struct savu_ring_filter *f)
{
    if (!f)
        return;
    savu_fftw_planner_lock();
    if (f->forward)
        fftw_destroy_plan(f->forward);
    if (f->backward)
        fftw_destroy_plan(f->backward);
    savu_fftw_planner_unlock();
    free(f->window);
    free(f);
}

/* The smooth part of every column into w->tmp (float32, as numpy keeps
 * it): the padded column times (-1)^j (the spectrum's centre moved to the
 * middle), transformed, weighted by the window, transformed back, times
 * (-1)^j again, real part. */
static void smooth_columns(const struct savu_ring_filter *f, const float *in,
                           struct savu_ring_work *w)
{
    const long nrow = w->nrow, ncol = w->ncol, n = f->n;
    fftw_complex *buf = w->fft;
    for (long c = 0; c < ncol; c++) {
        for (long j = 0; j < n; j++) {
            double v = in[reflect_inner(j - f->pad, nrow) * ncol + c];
            buf[j][0] = (j & 1) ? -v : v;
            buf[j][1] = 0.0;
        }
        fftw_execute_dft(f->forward, buf, buf);
        for (long j = 0; j < n; j++) {
            buf[j][0] *= f->window[j];
            buf[j][1] *= f->window[j];
        }
        fftw_execute_dft(f->backward, buf, buf);
        for (long r = 0; r < nrow; r++) {
            long j = r + f->pad;
            double v = buf[j][0] / (double)n;
            w->tmp[r * ncol + c] = (float)((j & 1) ? -v : v);
        }
    }
}

int savu_ring_filtering(const struct savu_ring_filter *f, const float *in, float *out, long nrow,
                        long ncol, int size, struct savu_ring_work *w)
{
    smooth_columns(f, in, w);
    sort_columns(w->tmp, w);
    median_rows(w->sorted, w->filtered, size, w);
    /* out = sorted-back filtered smooth part + (in - smooth part). */
    for (long r = 0; r < nrow; r++)
        for (long c = 0; c < ncol; c++) {
            long to = (long)w->rows[r * ncol + c] * ncol + c;
            float sharp = in[to] - w->tmp[to];
            out[to] = (float)((double)w->filtered[r * ncol + c] + (double)sharp);
        }
    return 0;
}
