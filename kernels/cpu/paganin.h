/* paganin.h: Paganin's single-material phase retrieval (Paganin et al.
 * 2002, J. Microsc. 206:33) on projections, as Savu's PaganinFilter
 * computes it (savu/plugins/filters/paganin_filter.py, Savu 4): the frame is
 * padded, its 2-D FFT divided by
 *     (1 + ratio * pi * wavelength * distance * |k|^2) * (1 + i)
 * where k runs over Savu's grid (index minus ceil(n/2) - 1, times
 * 1 / (n * pixel size), after fftshift), transformed back, and
 *     -0.5 * ratio * log(|result| + increment)
 * taken, then the padding cut off. Before that NaN becomes 0 and then every
 * 0 becomes 1, as Savu does. Single-precision FFTW (Savu's transforms are
 * single precision too). Plan once (create), apply to any number of frames
 * from any number of threads, each with its own worker index. */
#ifndef SAVU_PAGANIN_H
#define SAVU_PAGANIN_H

#include "error.h"

enum savu_pad_mode { SAVU_PAD_EDGE, SAVU_PAD_REFLECT, SAVU_PAD_SYMMETRIC, SAVU_PAD_WRAP,
                     SAVU_PAD_CONSTANT };

struct savu_paganin_params {
    double energy_kev, distance_m, resolution_um, ratio, increment;
    int pad_rows, pad_cols;          /* each side: top/bottom, left/right */
    enum savu_pad_mode pad_mode;     /* numpy.pad's modes; constant: zeros */
};

typedef struct savu_paganin savu_paganin;

/* A plan for frames of rows x cols, used by n_workers threads. NULL with err
 * set on bad arguments or no memory. */
savu_paganin *savu_paganin_create(int rows, int cols, const struct savu_paganin_params *p,
                                  int n_workers, savu_error *err);
/* One frame [rows][cols] into out (may be in), on worker `worker`'s scratch. */
void savu_paganin_apply(savu_paganin *pg, int worker, const float *in, float *out);
void savu_paganin_destroy(savu_paganin *pg);

/* The padded index of i in [-pad, n + pad) for numpy.pad's `mode` on n
 * values (n >= 1); -1 for CONSTANT outside [0, n). */
long savu_pad_index(long i, long n, enum savu_pad_mode mode);

#endif
