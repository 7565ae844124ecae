/* phantom_model.h: the analytic 3D phantom of savu_phantom — a sum of
 * uniform ellipsoids (by default the 3D modified Shepp–Logan of reference
 * algorithms-and-peers.md §3), its exact line integrals (chord length through
 * each ellipsoid times its value, summed) and its point samples, placed in
 * the parallel-beam geometry of kernels/geometry.h.
 *
 * Phantom units: 1 = width / 2 detector pixels, the same horizontally and
 * vertically, origin on the rotation axis at the detector's middle row.
 * Axes: phantom X = slice x, phantom Y (the 2D table's y) = slice z, phantom
 * Z (vertical) = detector_y, so that a slice [ix][iz] at row v samples
 *     X = (ix - (width-1)/2) / R,  Y = (iz - (width-1)/2) / R,
 *     Z = (v - (rows-1)/2) / R,    R = width / 2.
 * Attenuation per pixel = phantom value * scale; projections are line
 * integrals of it in pixel units of length, so an ideal reconstruction
 * divided by scale is the phantom. */
#ifndef SAVU_PHANTOM_MODEL_H
#define SAVU_PHANTOM_MODEL_H

#include <stdbool.h>

/* One uniform ellipsoid, in phantom units. The ellipsoid's own axes are
 * turned first by `tilt` about X, then by `phi` about Z (counter-clockwise
 * seen from +Z, as the 2D Shepp–Logan table's angle). */
typedef struct savu_ellipsoid {
    double x0, y0, z0; /* centre */
    double a, b, c;    /* semi-axes along the ellipsoid's own x, y, z */
    double phi;        /* degrees, about the vertical axis */
    double tilt;       /* degrees, about the ellipsoid's own x axis */
    double value;      /* added to the phantom inside the ellipsoid */
} savu_ellipsoid;

/* The ten ellipsoids of the 3D modified Shepp–Logan phantom (Toft's
 * intensities; third semi-axis c and centre z0 of the 3D table). */
#define SAVU_SHEPP_LOGAN_COUNT 10
extern const savu_ellipsoid savu_shepp_logan_3d[SAVU_SHEPP_LOGAN_COUNT];

/* An ellipsoid with the terms every ray needs precomputed: the map M from
 * phantom coordinates to the ellipsoid's unit sphere, q = M (p - centre). */
typedef struct savu_ellipsoid_terms {
    double m[3][3];
    double m_centre[3]; /* M * centre */
    double value;
} savu_ellipsoid_terms;

#define SAVU_PHANTOM_MAX_ELLIPSOIDS 64

/* The phantom placed on a detector. */
typedef struct savu_phantom {
    int width, rows;
    double cor;   /* detector_x pixel of the rotation axis */
    double scale; /* attenuation per pixel of phantom value 1 */
    int count;
    savu_ellipsoid_terms terms[SAVU_PHANTOM_MAX_ELLIPSOIDS];
} savu_phantom;

/* Sets up ph for ellipsoids (NULL: the 3D modified Shepp–Logan) on a
 * detector width x rows with the rotation axis at pixel cor. The caller
 * checks the arguments (positive sizes and semi-axes, count within
 * SAVU_PHANTOM_MAX_ELLIPSOIDS). */
void savu_phantom_init(savu_phantom *ph, const savu_ellipsoid *ellipsoids, int count, int width,
                       int rows, double cor, double scale);

/* Pixels per phantom unit: width / 2. */
double savu_phantom_unit(const savu_phantom *ph);

/* Length (phantom units) of the chord that the line point + t * direction
 * (direction of length 1) cuts through the ellipsoid; 0 when it misses. */
double savu_ellipsoid_chord(const savu_ellipsoid_terms *e, const double point[3],
                            const double direction[3]);

/* Sum over ellipsoids of value * chord: the line integral of the phantom in
 * phantom units (no scale). */
double savu_phantom_line_integral(const savu_phantom *ph, const double point[3],
                                  const double direction[3]);

/* The phantom's value at a point given in phantom units. */
double savu_phantom_value_at(const savu_phantom *ph, const double point[3]);

/* The projection value of geometry.h — attenuation (value * scale)
 * integrated in pixel units along the ray of angle theta (radians) that
 * reaches detector position u (fractional allowed) on row v. The direct,
 * one-ray form of savu_phantom_project_row. */
double savu_phantom_ray(const savu_phantom *ph, double theta, double u, double v);

/* How a detector pixel sees the rays: the line integral through its centre
 * (geometry.h, the default), or its mean over the pixel's width (a pixel
 * that integrates, as real detectors do; the sum over a row then equals the
 * exact mass of the slice at every angle). */
typedef enum savu_pixel_response {
    SAVU_PIXEL_POINT,
    SAVU_PIXEL_AREA,
} savu_pixel_response;

/* One detector row: out[u] for u = 0..width-1 at angle theta (radians) and
 * row v, in attenuation units as savu_phantom_ray. Only pixels that each
 * ellipsoid's shadow covers are visited. */
void savu_phantom_project_row(const savu_phantom *ph, double theta, int v,
                              savu_pixel_response response, double *out);

/* The point-sampled phantom value (no scale) of reconstruction voxel
 * (ix, v, iz) of the (width, rows, width) volume. */
double savu_phantom_voxel(const savu_phantom *ph, int ix, int v, int iz);

/* Slice v of the point-sampled phantom: out[ix * width + iz]. */
void savu_phantom_sample_slice(const savu_phantom *ph, int v, double *out);

#endif
