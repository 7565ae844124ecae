/* paganin.c: Paganin phase retrieval on projections as Savu computes it
 * (paganin.h). Each worker has a padded complex frame; the forward and
 * backward single-precision FFTW plans are made once for the padded size
 * and executed on every worker's buffer (new-array execute). */
#include "paganin.h"

#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#include "fftw_planner.h"

struct savu_paganin {
    int rows, cols, prows, pcols;     /* frame and padded frame */
    struct savu_paganin_params p;
    float *inverse_filter;            /* 1 / G, [prows][pcols], FFTW's order */
    int n_workers;
    fftwf_complex **buffers;          /* one padded frame per worker */
    fftwf_plan forward, backward;
};

long savu_pad_index(long i, long n, enum savu_pad_mode mode)
{
    if (i >= 0 && i < n)
        return i;
    switch (mode) {
    case SAVU_PAD_EDGE: return i < 0 ? 0 : n - 1;
    case SAVU_PAD_WRAP: return ((i % n) + n) % n;
    case SAVU_PAD_REFLECT: {
        if (n == 1)
            return 0;
        long period = 2 * (n - 1), j = ((i % period) + period) % period;
        return j < n ? j : period - j;
    }
    case SAVU_PAD_SYMMETRIC: {
        long period = 2 * n, j = ((i % period) + period) % period;
        return j < n ? j : period - 1 - j;
    }
    default: return -1;
    }
}

/* Savu's filter G = 1 + ratio * pi * wavelength * distance * (kx^2 + ky^2)
 * on its grid: after fftshift, position j stands for (j - (ceil(n/2) - 1))
 * / (n * pixel size); FFTW's index k sits at position (k + floor(n/2)) mod
 * n. Stored as 1 / G. */
static void make_filter(savu_paganin *pg)
{
    const double wavelength = 1240.0 / (pg->p.energy_kev * 1000.0) * 1e-9;
    const double pixel = pg->p.resolution_um * 1e-6;
    const double scale = pg->p.ratio * M_PI * wavelength * pg->p.distance_m;
    const double cy = ceil(pg->prows / 2.0) - 1.0, cx = ceil(pg->pcols / 2.0) - 1.0;
    const double dpy = 1.0 / (pg->prows * pixel), dpx = 1.0 / (pg->pcols * pixel);
    for (int ky = 0; ky < pg->prows; ky++) {
        double fy = ((ky + pg->prows / 2) % pg->prows - cy) * dpy;
        for (int kx = 0; kx < pg->pcols; kx++) {
            double fx = ((kx + pg->pcols / 2) % pg->pcols - cx) * dpx;
            pg->inverse_filter[(size_t)ky * pg->pcols + kx] =
                (float)(1.0 / (1.0 + scale * (fx * fx + fy * fy)));
        }
    }
}

savu_paganin *savu_paganin_create(int rows, int cols, const struct savu_paganin_params *p,
                                  int n_workers, savu_error *err)
{
    if (rows < 1 || cols < 1 || n_workers < 1 || p->pad_rows < 0 || p->pad_cols < 0) {
        savu_error_set(err, "Paganin: bad frame %d x %d, padding %d, %d or %d workers", rows,
                       cols, p->pad_rows, p->pad_cols, n_workers);
        return NULL;
    }
    savu_paganin *pg = calloc(1, sizeof *pg);
    if (!pg) {
        savu_error_set(err, "Paganin: out of memory");
        return NULL;
    }
    pg->rows = rows, pg->cols = cols, pg->p = *p, pg->n_workers = n_workers;
    pg->prows = rows + 2 * p->pad_rows, pg->pcols = cols + 2 * p->pad_cols;
    const size_t n = (size_t)pg->prows * pg->pcols;
    pg->inverse_filter = malloc(sizeof(float) * n);
    pg->buffers = calloc((size_t)n_workers, sizeof *pg->buffers);
    for (int w = 0; pg->buffers && w < n_workers; w++)
        pg->buffers[w] = fftwf_malloc(sizeof(fftwf_complex) * n);
    if (!pg->inverse_filter || !pg->buffers || !pg->buffers[n_workers - 1]) {
        savu_error_set(err, "Paganin: out of memory for %d padded frames of %d x %d", n_workers,
                       pg->prows, pg->pcols);
        savu_paganin_destroy(pg);
        return NULL;
    }
    make_filter(pg);
    savu_fftw_planner_lock();
    savu_fftw_plan_with_nthreads(1);
    pg->forward = fftwf_plan_dft_2d(pg->prows, pg->pcols, pg->buffers[0], pg->buffers[0],
                                    FFTW_FORWARD, FFTW_ESTIMATE);
    pg->backward = fftwf_plan_dft_2d(pg->prows, pg->pcols, pg->buffers[0], pg->buffers[0],
                                     FFTW_BACKWARD, FFTW_ESTIMATE);
    savu_fftw_planner_unlock();
    if (!pg->forward || !pg->backward) {
        savu_error_set(err, "Paganin: FFTW could not plan %d x %d transforms", pg->prows,
                       pg->pcols);
        savu_paganin_destroy(pg);
        return NULL;
    }
    return pg;
}

/* Savu's clean-up of a value: NaN 0 (numpy.nan_to_num, infinities to the
 * largest floats), then 0 becomes 1. */
static float cleaned(float v)
{
    if (isnan(v))
        v = 0.0f;
    else if (isinf(v))
        v = v > 0 ? 3.4028235e38f : -3.4028235e38f;
    return v == 0.0f ? 1.0f : v;
}

void savu_paganin_apply(savu_paganin *pg, int worker, const float *in, float *out)
{
    fftwf_complex *b = pg->buffers[worker];
    const struct savu_paganin_params *p = &pg->p;
    for (int y = 0; y < pg->prows; y++) {
        long sy = savu_pad_index(y - p->pad_rows, pg->rows, p->pad_mode);
        for (int x = 0; x < pg->pcols; x++) {
            long sx = savu_pad_index(x - p->pad_cols, pg->cols, p->pad_mode);
            /* constant padding pads zeros, which the clean-up makes 1 */
            float v = sy < 0 || sx < 0 ? 0.0f : in[(size_t)sy * pg->cols + sx];
            b[(size_t)y * pg->pcols + x] = cleaned(v);
        }
    }
    fftwf_execute_dft(pg->forward, b, b);
    const size_t n = (size_t)pg->prows * pg->pcols;
    for (size_t i = 0; i < n; i++)
        b[i] *= pg->inverse_filter[i];
    fftwf_execute_dft(pg->backward, b, b);
    /* |ifft2| of the spectrum divided by G (1 + i): 1 / (n sqrt 2) of FFTW's
     * unnormalised backward transform in modulus. */
    const double norm = 1.0 / ((double)n * sqrt(2.0));
    for (int y = 0; y < pg->rows; y++)
        for (int x = 0; x < pg->cols; x++) {
            double m = cabsf(b[(size_t)(y + p->pad_rows) * pg->pcols + x + p->pad_cols]) * norm;
            out[(size_t)y * pg->cols + x] = (float)(-0.5 * p->ratio * log(m + p->increment));
        }
}

void savu_paganin_destroy(savu_paganin *pg)
{
    if (!pg)
        return;
    savu_fftw_planner_lock();
    if (pg->forward)
        fftwf_destroy_plan(pg->forward);
    if (pg->backward)
        fftwf_destroy_plan(pg->backward);
    savu_fftw_planner_unlock();
    for (int w = 0; pg->buffers && w < pg->n_workers; w++)
        fftwf_free(pg->buffers[w]);
    free(pg->buffers);
    free(pg->inverse_filter);
    free(pg);
}
