/* radial_distortion.c: the source points of the backward radial
 * distortion model (radial_distortion.h), in double, as discorpy computes
 * them: r_u = sqrt(dx^2 + dy^2), F = sum of k_i r_u^i in the order of i,
 * x_d = xc + F dx clipped to [0, cols - 1], then rounded to float32, each
 * set in the plan as it is made. */
#include "radial_distortion.h"

#include <math.h>
#include <stdbool.h>

static double clip(double v, double hi)
{
    return v < 0.0 ? 0.0 : v > hi ? hi : v;
}

savu_remap *savu_radial_remap(const struct savu_radial_model *m, long rows, long cols,
                              long crop, double *row_span, savu_error *err)
{
    const long out_cols = cols - 2 * crop, out_rows = rows - 2 * crop;
    savu_remap *plan = savu_remap_create(rows, cols, out_rows * out_cols, SAVU_REMAP_INSIDE, err);
    if (!plan)
        return NULL;
    double y_min = HUGE_VAL, y_max = -HUGE_VAL;
    for (long r = 0; r < rows; r++) {
        const double dy = (double)r - m->ycenter;
        const bool row_kept = r >= crop && r < rows - crop;
        for (long c = 0; c < cols; c++) {
            const double dx = (double)c - m->xcenter;
            const double ru = sqrt(dx * dx + dy * dy);
            double f = 0.0, power = 1.0;
            for (int i = 0; i < m->n_coeffs; i++) {
                f += m->coeffs[i] * power;
                power *= ru;
            }
            const float yd = (float)clip(m->ycenter + f * dy, (double)(rows - 1));
            if (yd < y_min)
                y_min = yd;
            if (yd > y_max)
                y_max = yd;
            if (!row_kept || c < crop || c >= cols - crop)
                continue;
            const float xd = (float)clip(m->xcenter + f * dx, (double)(cols - 1));
            if (savu_remap_set(plan, (r - crop) * out_cols + (c - crop), yd, xd, err) != 0) {
                savu_remap_destroy(plan);
                return NULL;
            }
        }
    }
    *row_span = y_max - y_min;
    return plan;
}
