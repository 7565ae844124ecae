/* radial_distortion.h: the backward model of radial lens distortion of Vo,
 * Atwood & Drakopoulos 2015 (Opt. Express 23:32859), as discorpy 1.7.0's
 * unwarp_image_backward and Savu's DistortionCorrection apply it: the
 * corrected pixel (x_u, y_u), at r_u from the centre of distortion
 * (xc, yc), reads the distorted image at
 *     x_d = xc + (x_u - xc) F(r_u),   y_d = yc + (y_u - yc) F(r_u),
 *     F(r) = k0 + k1 r + k2 r^2 + ... (the polynomial coefficients),
 * clipped to the frame ([0, cols - 1], [0, rows - 1]), rounded to float32
 * and linearly interpolated there (remap.h, SAVU_REMAP_INSIDE). The points
 * are computed once in double (F summed term by term in the order of the
 * coefficients, as numpy sums them) and used for every frame. */
#ifndef SAVU_RADIAL_DISTORTION_H
#define SAVU_RADIAL_DISTORTION_H

#include "remap.h"

struct savu_radial_model {
    double xcenter, ycenter;    /* in the frame's own pixels (0-based) */
    const double *coeffs;       /* k0, k1, ... */
    int n_coeffs;
};

/* The plan (remap.h) that corrects the output pixels [crop, rows - crop) x
 * [crop, cols - crop) of rows x cols frames. *row_span gets the spread
 * (largest minus smallest) of y_d over the whole frame: below one row, the
 * frame is too thin for the model (Savu refuses it). NULL with err set on
 * no memory. */
savu_remap *savu_radial_remap(const struct savu_radial_model *m, long rows, long cols,
                              long crop, double *row_span, savu_error *err);

#endif
