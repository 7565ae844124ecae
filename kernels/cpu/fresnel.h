/* fresnel.h: the Fresnel-propagator low-pass filter of Vo et al. 2021
 * (Opt. Express 29:17849, section 2.3), as Savu's FresnelFilter and algotom's
 * fresnel_filter compute it. A frame is (optionally) -log'ed, padded by
 * repeating its edge, and its FFT divided by the window
 *     W = 1 + ratio * (u^2 + v^2)
 * where u = (i - ceil((w - 1) / 2)) / w over the frame's w columns (and v
 * likewise over its h rows for the 2-D filter; v = 0 for the 1-D one), the
 * window itself edge-padded to the padded size and ifftshift'ed; the real
 * part of the inverse transform is cut back to the frame (and exp(-x) taken
 * where the log was). The 1-D filter runs along each row of the frame (a
 * sinogram's detector axis), the 2-D one over the whole frame (a
 * projection). Savu's projection mode also replaces the top 10 rows (time
 * stamps on some detectors) by the 11th before padding: drop_top_rows.
 *
 * The real part of ifft(F / W) for real data equals the inverse of F times
 * the Hermitian part of 1 / W, so real-to-complex transforms give the same
 * result. Single-precision FFTW; plan once, apply from any number of
 * threads, each with its own worker index. */
#ifndef SAVU_FRESNEL_H
#define SAVU_FRESNEL_H

#include <stdbool.h>
#include "error.h"

struct savu_fresnel_params {
    double ratio;
    bool two_d;         /* the 2-D filter (projections) or 1-D along rows */
    bool apply_log;     /* -log before, exp(-x) after */
    int pad;            /* columns (and rows, 2-D) added each side */
    int drop_top_rows;  /* 2-D: top rows replaced by the first one kept */
};

typedef struct savu_fresnel savu_fresnel;

/* A plan for frames of rows x cols used by n_workers threads; NULL with err
 * set on bad arguments (drop_top_rows must leave a row) or no memory. */
savu_fresnel *savu_fresnel_create(int rows, int cols, const struct savu_fresnel_params *p,
                                  int n_workers, savu_error *err);
/* One frame [rows][cols] into out (may be in), on worker `worker`'s scratch. */
void savu_fresnel_apply(savu_fresnel *f, int worker, const float *in, float *out);
void savu_fresnel_destroy(savu_fresnel *f);

#endif
