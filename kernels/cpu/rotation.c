/* rotation.c: the plan of a rotation about a centre (rotation.h): the
 * affine matrix skimage builds (translate by -c, rotate, translate by +c,
 * multiplied out as numpy does), applied to each output pixel in double. */
#include "rotation.h"

#include <math.h>

savu_remap *savu_rotation_remap(long rows, long cols, double angle_deg, double cx, double cy,
                                long row0, long col0, long out_rows, long out_cols,
                                savu_error *err)
{
    savu_remap *plan = savu_remap_create(rows, cols, out_rows * out_cols, SAVU_REMAP_MIRROR, err);
    if (!plan)
        return NULL;
    const double a = angle_deg * (M_PI / 180.0), ca = cos(a), sa = sin(a);
    /* (rotate . translate(-c)), then translate(+c) */
    const double m02 = ca * -cx + -sa * -cy + cx, m12 = sa * -cx + ca * -cy + cy;
    for (long i = 0; i < out_rows; i++) {
        const double r = (double)(row0 + i);
        for (long j = 0; j < out_cols; j++) {
            const double c = (double)(col0 + j);
            const double x = ca * c + -sa * r + m02, y = sa * c + ca * r + m12;
            if (savu_remap_set(plan, i * out_cols + j, y, x, err) != 0) {
                savu_remap_destroy(plan);
                return NULL;
            }
        }
    }
    return plan;
}
