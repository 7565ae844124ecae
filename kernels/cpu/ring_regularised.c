/* ring_regularised.c: Titarenko's regularised ring removal
 * (ring_regularised.h). The plan holds the angular harmonics and the
 * factorisation of the tridiagonal alpha I + L (Thomas algorithm: the
 * reciprocal pivots and the upper multipliers); each worker has two
 * columns' worth of doubles. */
#include "ring_regularised.h"

#include <math.h>
#include <stdlib.h>

struct savu_ring_regularised {
    long nangles, nx;
    double param_n;
    int n_terms;            /* 2 num_series - 1 */
    double *harmonics;      /* [n_terms][nangles] */
    double *inv_pivot;      /* [nx] */
    double *upper;          /* [nx]: x[h] = y[h] - upper[h] x[h + 1] */
    int n_workers;
    double **scratch;       /* per worker: [2 nx] */
};

/* alpha I + L, factorised once: pivots d_h + upper_{h-1} with d the
 * diagonal and -1 off it. */
static void factorise(savu_ring_regularised *r, double alpha)
{
    double prev_upper = 0.0;
    for (long h = 0; h < r->nx; h++) {
        double diag = alpha + (r->nx == 1 ? 0.0 : (h == 0 || h == r->nx - 1) ? 1.0 : 2.0);
        double pivot = diag + prev_upper;   /* diag - (-1) * upper[h - 1] */
        r->inv_pivot[h] = 1.0 / pivot;
        r->upper[h] = -r->inv_pivot[h];     /* -1 / pivot */
        prev_upper = r->upper[h];
    }
}

/* x = (alpha I + L)^-1 y, in place. */
static void solve(const savu_ring_regularised *r, double *x)
{
    x[0] *= r->inv_pivot[0];
    for (long h = 1; h < r->nx; h++)
        x[h] = (x[h] + x[h - 1]) * r->inv_pivot[h];
    for (long h = r->nx - 2; h >= 0; h--)
        x[h] -= r->upper[h] * x[h + 1];
}

savu_ring_regularised *savu_ring_regularised_create(long nangles, long nx, double param_n,
                                                    double param_r, int num_series,
                                                    int n_workers, savu_error *err)
{
    if (nangles < 1 || nx < 1 || n_workers < 1 || !(param_n >= 0) || !(param_r >= 1e-8) ||
        num_series < 1 || num_series > 100) {
        savu_error_set(err, "ring removal: bad sinogram %ld x %ld, param_n %g, param_r %g, "
                            "num_series %d or %d workers",
                       nangles, nx, param_n, param_r, num_series, n_workers);
        return NULL;
    }
    savu_ring_regularised *r = calloc(1, sizeof *r);
    if (!r) {
        savu_error_set(err, "ring removal: out of memory");
        return NULL;
    }
    r->nangles = nangles, r->nx = nx, r->param_n = param_n, r->n_workers = n_workers;
    r->n_terms = 2 * num_series - 1;
    r->harmonics = malloc(sizeof(double) * r->n_terms * nangles);
    r->inv_pivot = malloc(sizeof(double) * nx);
    r->upper = malloc(sizeof(double) * nx);
    r->scratch = calloc((size_t)n_workers, sizeof *r->scratch);
    for (int w = 0; r->scratch && w < n_workers; w++)
        r->scratch[w] = malloc(sizeof(double) * 2 * nx);
    if (!r->harmonics || !r->inv_pivot || !r->upper || !r->scratch ||
        !r->scratch[n_workers - 1]) {
        savu_error_set(err, "ring removal: out of memory for sinograms of %ld x %ld", nangles,
                       nx);
        savu_ring_regularised_destroy(r);
        return NULL;
    }
    for (long a = 0; a < nangles; a++)
        r->harmonics[a] = 1.0;
    for (int k = 1; k < num_series; k++)
        for (long a = 0; a < nangles; a++) {
            double phase = (double)a * k * M_PI / (double)nangles;
            r->harmonics[(2 * k - 1) * nangles + a] = sqrt(2.0) * sin(phase);
            r->harmonics[2 * k * nangles + a] = sqrt(2.0) * cos(phase);
        }
    factorise(r, param_n + param_r);
    return r;
}

void savu_ring_regularised_apply(const savu_ring_regularised *r, int worker, const float *in,
                                 float *out)
{
    const long na = r->nangles, nx = r->nx;
    double *coef = r->scratch[worker], *stripe = coef + nx;
    for (long i = 0; i < na * nx; i++)
        out[i] = -logf(in[i]);
    for (int s = 0; s < r->n_terms; s++) {
        const double *w = r->harmonics + (size_t)s * na;
        const double k = (s + 2) / 2;
        for (long h = 0; h < nx; h++)
            coef[h] = 0.0;
        for (long a = 0; a < na; a++)
            for (long h = 0; h < nx; h++)
                coef[h] += out[a * nx + h] * w[a];
        for (long h = 0; h < nx; h++)
            coef[h] /= (double)na;
        /* (param_n k^2 I + L) c */
        for (long h = 0; h < nx; h++) {
            double lap = (h > 0 ? coef[h] - coef[h - 1] : 0.0) +
                         (h < nx - 1 ? coef[h] - coef[h + 1] : 0.0);
            stripe[h] = r->param_n * k * k * coef[h] + lap;
        }
        solve(r, stripe);
        for (long a = 0; a < na; a++) {
            const float wa = (float)w[a];
            for (long h = 0; h < nx; h++)
                out[a * nx + h] -= wa * (float)stripe[h];
        }
    }
    for (long i = 0; i < na * nx; i++)
        out[i] = expf(-out[i]);
}

void savu_ring_regularised_destroy(savu_ring_regularised *r)
{
    if (!r)
        return;
    for (int w = 0; r->scratch && w < r->n_workers; w++)
        free(r->scratch[w]);
    free(r->scratch);
    free(r->harmonics);
    free(r->inv_pivot);
    free(r->upper);
    free(r);
}
