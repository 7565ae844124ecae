/* spline.h: interpolation by cubic B-splines as scipy.ndimage does it with
 * order 3, prefilter on and mode "nearest": the samples are padded by
 * SPLINE_PAD edge values each side, turned into interpolating spline
 * coefficients (Unser's recursive filter, pole sqrt(3) - 2, mirror-
 * symmetric ends, which then reach the samples only as 0.27^12), and the
 * spline is evaluated from the 4 (4 x 4 in 2-D) coefficients about a
 * position; positions beyond the padding are clamped to it (the edge
 * value). Used by Convert360180Sinogram's shift and DownsampleFilter's
 * rotation. */
#ifndef SAVU_SPLINE_H
#define SAVU_SPLINE_H

#include <stddef.h>

#define SPLINE_PAD 12

/* The cubic B-spline. */
double savu_bspline3(double t);

/* n samples (each `stride` floats apart) into the n + 2 SPLINE_PAD
 * coefficients c of their edge-padded row. */
void savu_spline_row(const float *row, long n, long stride, double *c);
/* The row's spline at position x (sample units, 0 the first sample). */
double savu_spline_at(const double *c, long n, double x);

/* A frame [rows][cols] into the (rows + 2 SPLINE_PAD) x (cols + 2
 * SPLINE_PAD) coefficients c of the 2-D spline (separable). */
void savu_spline_frame(const float *frame, long rows, long cols, double *c);
size_t savu_spline_frame_doubles(long rows, long cols);
/* The frame's spline at (row y, column x). */
double savu_spline_frame_at(const double *c, long rows, long cols, double y, double x);

/* scipy.ndimage.rotate(frame, angle, reshape=False, order=3,
 * mode="nearest") of a frame [rows][cols] into out, degrees counter-
 * clockwise as scipy turns them, about the frame's middle; c holds
 * savu_spline_frame_doubles. */
void savu_spline_rotate(const float *frame, long rows, long cols, double degrees, float *out,
                        double *c);

#endif
