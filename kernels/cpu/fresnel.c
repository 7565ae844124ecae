/* fresnel.c: the Fresnel-propagator low-pass filter (fresnel.h). Each
 * worker has a padded real frame and its half spectrum; the
 * real-to-complex plans (one 2-D, or the rows' 1-D transforms as one batch)
 * are made once and executed on every worker's buffers. The spectral
 * weights, the Hermitian part of 1 / W with FFTW's normalisation folded
 * in, are made once too. */
#include "fresnel.h"

#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#include "fftw_planner.h"

struct savu_fresnel {
    int rows, cols;             /* the frame */
    int prows, pcols, hcols;    /* the padded frame and its half spectrum's columns */
    struct savu_fresnel_params p;
    float *weight;              /* [prows][hcols] (1-D: [hcols]) */
    int n_workers;
    float **real;               /* per worker: [prows][pcols] */
    fftwf_complex **spectrum;   /* per worker: [prows][hcols] */
    fftwf_plan forward, backward;
};

static int clamp(int i, int n)
{
    return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/* One axis's share of the window at FFTW's frequency index k of a padded
 * length n: the unpadded position the ifftshift'ed, edge-padded window
 * takes it from, as (position - ceil((len - 1) / 2)) / len, squared. */
static double window_term(int k, int n, int pad, int len)
{
    int i = clamp((k + n / 2) % n - pad, len);
    double u = (double)(i - len / 2) / len;
    return u * u;
}

static void make_weights(savu_fresnel *f)
{
    const int m = f->prows, n = f->pcols;
    /* FFTW's transforms are unnormalised: 1 / (points transformed) */
    const double norm = 1.0 / ((f->p.two_d ? (double)m : 1.0) * n), ratio = f->p.ratio;
    const int pad_rows = f->p.two_d ? f->p.pad : 0;
    for (int ky = 0; ky < m; ky++) {
        double vy = f->p.two_d ? window_term(ky, m, pad_rows, f->rows) : 0.0;
        double vy_mirror = f->p.two_d ? window_term((m - ky) % m, m, pad_rows, f->rows) : 0.0;
        for (int kx = 0; kx < f->hcols; kx++) {
            double g = 1.0 / (1.0 + ratio * (window_term(kx, n, f->p.pad, f->cols) + vy));
            double g_mirror =
                1.0 / (1.0 + ratio * (window_term((n - kx) % n, n, f->p.pad, f->cols) + vy_mirror));
            f->weight[(size_t)ky * f->hcols + kx] = (float)(0.5 * (g + g_mirror) * norm);
        }
    }
}

static int make_plans(savu_fresnel *f)
{
    savu_fftw_planner_lock();
    savu_fftw_plan_with_nthreads(1);
    if (f->p.two_d) {
        f->forward = fftwf_plan_dft_r2c_2d(f->prows, f->pcols, f->real[0], f->spectrum[0],
                                           FFTW_ESTIMATE);
        f->backward = fftwf_plan_dft_c2r_2d(f->prows, f->pcols, f->spectrum[0], f->real[0],
                                            FFTW_ESTIMATE);
    } else {
        int n = f->pcols;
        f->forward = fftwf_plan_many_dft_r2c(1, &n, f->prows, f->real[0], NULL, 1, f->pcols,
                                             f->spectrum[0], NULL, 1, f->hcols, FFTW_ESTIMATE);
        f->backward = fftwf_plan_many_dft_c2r(1, &n, f->prows, f->spectrum[0], NULL, 1,
                                              f->hcols, f->real[0], NULL, 1, f->pcols,
                                              FFTW_ESTIMATE);
    }
    savu_fftw_planner_unlock();
    return f->forward && f->backward ? 0 : -1;
}

savu_fresnel *savu_fresnel_create(int rows, int cols, const struct savu_fresnel_params *p,
                                  int n_workers, savu_error *err)
{
    const int drop = p->two_d ? p->drop_top_rows : 0;
    if (rows < 1 || cols < 1 || n_workers < 1 || p->pad < 0 || drop < 0 || drop >= rows ||
        !(p->ratio >= 0)) {
        savu_error_set(err, "Fresnel filter: bad frame %d x %d (%d top rows dropped), padding "
                            "%d, ratio %g or %d workers",
                       rows, cols, drop, p->pad, p->ratio, n_workers);
        return NULL;
    }
    savu_fresnel *f = calloc(1, sizeof *f);
    if (!f) {
        savu_error_set(err, "Fresnel filter: out of memory");
        return NULL;
    }
    f->rows = rows, f->cols = cols, f->p = *p, f->n_workers = n_workers;
    f->prows = p->two_d ? rows + 2 * p->pad : rows;
    f->pcols = cols + 2 * p->pad;
    f->hcols = f->pcols / 2 + 1;
    const size_t n_real = (size_t)f->prows * f->pcols, n_half = (size_t)f->prows * f->hcols;
    f->weight = malloc(sizeof(float) * n_half);
    f->real = calloc((size_t)n_workers, sizeof *f->real);
    f->spectrum = calloc((size_t)n_workers, sizeof *f->spectrum);
    for (int w = 0; f->real && f->spectrum && w < n_workers; w++) {
        f->real[w] = fftwf_malloc(sizeof(float) * n_real);
        f->spectrum[w] = fftwf_malloc(sizeof(fftwf_complex) * n_half);
    }
    if (!f->weight || !f->real || !f->spectrum || !f->real[n_workers - 1] ||
        !f->spectrum[n_workers - 1]) {
        savu_error_set(err, "Fresnel filter: out of memory for %d padded frames of %d x %d",
                       n_workers, f->prows, f->pcols);
        savu_fresnel_destroy(f);
        return NULL;
    }
    make_weights(f);
    if (make_plans(f)) {
        savu_error_set(err, "Fresnel filter: FFTW could not plan transforms of %d x %d",
                       f->prows, f->pcols);
        savu_fresnel_destroy(f);
        return NULL;
    }
    return f;
}

void savu_fresnel_apply(savu_fresnel *f, int worker, const float *in, float *out)
{
    float *r = f->real[worker];
    fftwf_complex *s = f->spectrum[worker];
    const int pad = f->p.pad, pad_rows = f->p.two_d ? pad : 0;
    const int first_row = f->p.two_d ? f->p.drop_top_rows : 0;
    for (int y = 0; y < f->prows; y++) {
        int sy = clamp(y - pad_rows, f->rows);
        const float *src = in + (size_t)(sy < first_row ? first_row : sy) * f->cols;
        float *dst = r + (size_t)y * f->pcols;
        for (int x = 0; x < f->pcols; x++) {
            float v = src[clamp(x - pad, f->cols)];
            dst[x] = f->p.apply_log ? -logf(v) : v;
        }
    }
    fftwf_execute_dft_r2c(f->forward, r, s);
    const size_t n_half = (size_t)f->prows * f->hcols;
    for (size_t i = 0; i < n_half; i++)
        s[i] *= f->weight[i];
    fftwf_execute_dft_c2r(f->backward, s, r);
    for (int y = 0; y < f->rows; y++) {
        const float *src = r + (size_t)(y + pad_rows) * f->pcols + pad;
        float *dst = out + (size_t)y * f->cols;
        for (int x = 0; x < f->cols; x++)
            dst[x] = f->p.apply_log ? expf(-src[x]) : src[x];
    }
}

void savu_fresnel_destroy(savu_fresnel *f)
{
    if (!f)
        return;
    savu_fftw_planner_lock();
    if (f->forward)
        fftwf_destroy_plan(f->forward);
    if (f->backward)
        fftwf_destroy_plan(f->backward);
    savu_fftw_planner_unlock();
    for (int w = 0; w < f->n_workers; w++) {
        if (f->real)
            fftwf_free(f->real[w]);
        if (f->spectrum)
            fftwf_free(f->spectrum[w]);
    }
    free(f->real);
    free(f->spectrum);
    free(f->weight);
    free(f);
}
