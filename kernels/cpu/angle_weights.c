/* angle_weights.c: per-angle quadrature weights from the actual angles
 * (angle_weights.h): sort the angles reduced modulo pi, then give each half
 * the gap to its neighbours on the periodic range. */
#include "angle_weights.h"

#include <math.h>
#include <stdlib.h>

struct reduced_angle {
    double theta; /* radians in [0, pi) */
    int index;    /* position in the caller's array, to break ties */
};

static int compare_reduced(const void *a, const void *b)
{
    const struct reduced_angle *x = a, *y = b;
    if (x->theta != y->theta)
        return x->theta < y->theta ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

int savu_angle_weights(int n_angles, const double *angles_deg, double *weights, savu_error *err)
{
    if (n_angles < 1)
        return savu_error_set(err, "angle weights: number of angles %d is less than 1", n_angles);
    struct reduced_angle *sorted = malloc(sizeof *sorted * (size_t)n_angles);
    if (!sorted)
        return savu_error_set(err, "angle weights: out of memory for %d angles", n_angles);
    for (int i = 0; i < n_angles; i++) {
        if (!isfinite(angles_deg[i])) {
            free(sorted);
            return savu_error_set(err, "angle weights: angle %d is not a finite number", i);
        }
        double theta = fmod(angles_deg[i] * (M_PI / 180.0), M_PI);
        if (theta < 0)
            theta += M_PI;
        if (theta >= M_PI) /* -tiny + pi rounds to pi */
            theta = 0;
        sorted[i].theta = theta;
        sorted[i].index = i;
    }
    qsort(sorted, (size_t)n_angles, sizeof *sorted, compare_reduced);
    for (int k = 0; k < n_angles; k++) {
        double previous = k > 0 ? sorted[k - 1].theta : sorted[n_angles - 1].theta - M_PI;
        double next = k + 1 < n_angles ? sorted[k + 1].theta : sorted[0].theta + M_PI;
        weights[sorted[k].index] = 0.5 * (next - previous);
    }
    free(sorted);
    return 0;
}
