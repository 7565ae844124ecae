/* angle_weights.h: the quadrature weight of each projection angle in the
 * backprojection integral over [0, pi).
 *
 * Each angle is reduced modulo pi (a ray at theta + pi is the ray at theta
 * seen from the other side) and weighted by half the angular distance between
 * its two neighbours on that circle of circumference pi:
 *     weight_i = (next_i - previous_i) / 2     (radians),
 * so the weights always sum to pi. For n angles evenly spaced over 180 degrees
 * every weight is pi / n; over 360 degrees each of the two views of a ray gets
 * pi / n and the two halves are averaged. Equal angles (after the reduction)
 * are neighbours of each other at distance 0 and share one gap each side. */
#ifndef SAVU_ANGLE_WEIGHTS_H
#define SAVU_ANGLE_WEIGHTS_H

#include "error.h"

/* Fills weights[0..n_angles) (radians) for angles_deg[0..n_angles) in degrees;
 * 0, or -1 with err set when n_angles < 1, an angle is not finite, or memory
 * runs out. */
int savu_angle_weights(int n_angles, const double *angles_deg, double *weights, savu_error *err);

#endif
