/* geometry.h: the parallel-beam geometry every part of savu agrees on — the
 * phantom generator's exact projections, the CPU and GPU backprojectors and
 * the scoring of reconstructions.
 *
 * Data: projections have shape (n_angles, n_rows, width) with axes
 * rotation_angle (degrees), detector_y, detector_x; detector pixel u (0-based)
 * has its centre at u. The centre of rotation `cor` is a detector_x pixel
 * position (0-based, fractional allowed); the geometric centre is
 * (width - 1) / 2, which is the default.
 *
 * Reconstruction: for detector row v, a width x width slice image indexed
 * [ix][iz] (ix slowest). Its pixel centre has coordinates, in pixels,
 *     x = ix - (width - 1) / 2,   z = iz - (width - 1) / 2.
 * The ray of angle theta (radians, = rotation_angle * pi / 180) that reaches
 * detector position u passes through the points with
 *     x * cos(theta) + z * sin(theta) = u - cor.
 * A projection value is the line integral, in pixel units of length, of the
 * attenuation per pixel along that ray:
 *     p(theta, u) = integral f(x, z) over the ray.
 * The volume has shape (width, n_rows, width) with labels voxel_x, voxel_y
 * (= detector row) and voxel_z, as Savu's VOLUME_XZ output.
 *
 * Vertical: detector row v sits at height y = v - (n_rows - 1) / 2 pixels. */
#ifndef SAVU_GEOMETRY_H
#define SAVU_GEOMETRY_H

/* The default centre of rotation for a detector `width` pixels wide. */
static inline double savu_default_cor(int width)
{
    return (width - 1) * 0.5;
}

#endif
