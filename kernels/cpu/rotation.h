/* rotation.h: the points of a rotation of frames about a centre, as
 * skimage.transform.rotate (resize=False, order 1, mode 'reflect') makes
 * them: output pixel (row r, column c) reads the input at
 *     x = cos a (c - cx) - sin a (r - cy) + cx,
 *     y = sin a (c - cx) + cos a (r - cy) + cy,
 * a the angle in degrees (skimage's matrix, evaluated in its order), the
 * centre (cx, cy) in the frame's own pixels, neighbours beyond the edges
 * mirrored (remap.h, SAVU_REMAP_MIRROR). */
#ifndef SAVU_ROTATION_H
#define SAVU_ROTATION_H

#include "remap.h"

/* The plan that rotates rows x cols frames and keeps the output window of
 * out_rows x out_cols pixels from (row0, col0). NULL with err set on no
 * memory. */
savu_remap *savu_rotation_remap(long rows, long cols, double angle_deg, double cx, double cy,
                                long row0, long col0, long out_rows, long out_cols,
                                savu_error *err);

#endif
