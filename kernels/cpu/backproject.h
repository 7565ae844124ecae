/* backproject.h: pixel-driven parallel-beam backprojection with linear
 * interpolation, in the geometry of geometry.h, for a batch of slices.
 *
 * For slice s (detector row), pixel [ix][iz] with centre
 * x = ix - (width - 1) / 2, z = iz - (width - 1) / 2 receives
 *     f(x, z) = sum over angles a of  weight_a * q_s(a, u),
 *     u = x cos(theta_a) + z sin(theta_a) + cor_s,
 * where q_s(a, .) is the filtered row interpolated linearly between detector
 * pixel centres 0 .. width-1 and taken as 0 at u = -1 and u = width and
 * beyond (so u outside (-1, width) contributes 0), and weight_a is the angle's
 * quadrature weight from angle_weights.h (pi / n_angles for evenly spaced 180°
 * scans). With q the ramp-filtered projections (fbp_filter.h), f is the
 * attenuation per pixel.
 *
 * Circular mask: with ratio > 0, pixels whose centre lies farther than
 * ratio * width / 2 from the centre (x^2 + z^2 > (ratio * width / 2)^2) are 0;
 * ratio <= 0 turns the mask off. Savu's default ratio is 0.95.
 *
 * Speed: slices sharing a centre of rotation (exactly equal values) are
 * processed together, up to 16 at a time, interleaved so that one
 * interpolation position serves all of them in a vectorised inner loop;
 * slices with distinct centres are processed one by one. Work is split into
 * output tiles run on a thread pool; each pixel sums its angles in the same
 * order whatever the number of threads, so results are bit-identical. */
#ifndef SAVU_BACKPROJECT_H
#define SAVU_BACKPROJECT_H

#include "error.h"
#include "thread_pool.h"

typedef struct savu_backproject_plan savu_backproject_plan;

/* Limits on the plan's sizes. */
#define SAVU_BACKPROJECT_MAX_WIDTH (1 << 18)
#define SAVU_BACKPROJECT_MAX_ANGLES (1 << 24)

/* A plan for width x width slices from n_angles projections at angles_deg
 * (degrees, any order, any range) with the mask ratio described above; NULL
 * with err set on bad arguments. The plan is read-only once made, so one plan
 * may serve several threads. */
savu_backproject_plan *savu_backproject_create(int width, int n_angles, const double *angles_deg,
                                               double ratio, savu_error *err);

/* Backprojects n_slices filtered sinograms, `filtered` laid out
 * [slice][angle][detector x] (n_slices x n_angles x width), with centres of
 * rotation cor[slice] (detector pixels, 0-based), into
 * out[slice][ix][iz] (n_slices x width x width). Runs on `pool` (NULL: the
 * calling thread). Working memory: two interleaved copies of a group of up
 * to 16 sinograms (n_angles x (width + 4) x 16 floats each; one when two do
 * not fit) and a tile's accumulators per thread. 0, or -1 with err set (bad
 * arguments, a non-finite cor, out of memory). */
int savu_backproject_execute(const savu_backproject_plan *plan, savu_thread_pool *pool,
                             const float *filtered, int n_slices, const double *cor, float *out,
                             savu_error *err);

/* The weight of each angle (radians; n_angles values). */
const double *savu_backproject_weights(const savu_backproject_plan *plan);

void savu_backproject_destroy(savu_backproject_plan *plan);

#endif
