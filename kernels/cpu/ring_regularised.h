/* ring_regularised.h: the regularisation-based ring artefact removal of
 * Titarenko et al. (Appl. Math. Lett. 23:1489, 2010; SPIE 7804, 2010), as
 * the CCPi reconstruction library's remove_aml_ring_artefacts computes it
 * for Savu's CcpiRingArtefactFilter, on one sinogram [nangles][nx] at a
 * time. The data are taken as -log(x); for each of the 2 num_series - 1
 * angular harmonics w_s (1, then sqrt(2) sin and cos of k pi i / nangles
 * for k = 1 .. num_series - 1) each column's coefficient
 *     c[h] = mean over angles of p[a][h] w_s[a]
 * gives the stripe estimate
 *     t = (alpha I + L)^-1 (param_n k_s^2 I + L) c,
 * alpha = param_n + param_r, L the chain Laplacian across the detector
 * (1, 2, ..., 2, 1 on the diagonal, -1 beside it), k_s = (s + 2) / 2, and
 * p[a][h] -= w_s[a] t[h]; the result is exp(-p). With param_n 0 the stripe
 * is c minus c smoothed by (I + L / param_r)^-1: smaller param_r removes
 * more. (CCPi uses the inverse for k = 1 for every harmonic, and so does
 * this code; its dense inverse is replaced by a tridiagonal solve, equal
 * to rounding.) */
#ifndef SAVU_RING_REGULARISED_H
#define SAVU_RING_REGULARISED_H

#include "error.h"

typedef struct savu_ring_regularised savu_ring_regularised;

/* A plan for sinograms of nangles x nx used by n_workers threads: param_n
 * 0 or more, param_r above 1e-8, num_series 1 to 100 (CCPi's limits); NULL
 * with err set otherwise or on no memory. */
savu_ring_regularised *savu_ring_regularised_create(long nangles, long nx, double param_n,
                                                    double param_r, int num_series,
                                                    int n_workers, savu_error *err);
/* One sinogram into out (may be in), on worker `worker`'s scratch. */
void savu_ring_regularised_apply(const savu_ring_regularised *r, int worker, const float *in,
                                 float *out);
void savu_ring_regularised_destroy(savu_ring_regularised *r);

#endif
