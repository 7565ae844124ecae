/* stitch_360.h: one sinogram of a 360-degree scan with the rotation axis
 * near an edge of the detector (half acquisition) made a 180-degree one of
 * twice the width, as Convert360180Sinogram lays it out (Savu's layout:
 * ceil(angles / 2) rows, 2 x width columns). The second half-turn, flipped
 * left to right, lies at the mirror image of the first about the centre c
 * (pixels from 0): they overlap by 2 (width - c) - 1 columns (axis right of
 * the middle) or 2 c + 1 (left), the fraction of a pixel left over moved
 * by a cubic spline (scipy.ndimage.shift's, order 3, mode nearest); the
 * second half is scaled to the first's mean over the overlap, the two
 * blended there by linear wedges, and the edge values repeated beyond. */
#ifndef SAVU_STITCH_360_H
#define SAVU_STITCH_360_H

#include <stddef.h>

/* Overlapping columns for centre c (at least 2 are needed to blend). */
long savu_stitch_360_overlap(double centre, long width);
/* The axis's position in the stitched sinogram. */
double savu_stitch_360_cor(double centre, long width);
/* Doubles of scratch one call needs. */
size_t savu_stitch_360_scratch(long width);
/* sino [angles][width] into out [(angles + 1) / 2][2 width]. */
void savu_stitch_360(const float *sino, long angles, long width, double centre, float *out,
                     double *scratch);

#endif
