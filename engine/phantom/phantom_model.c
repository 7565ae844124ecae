/* phantom_model.c: the analytic ellipsoid phantom (see phantom_model.h).
 *
 * A line p(t) = point + t * direction meets the ellipsoid where the unit-sphere
 * coordinates q(t) = q0 + t e (q0 = M (point - centre), e = M direction)
 * satisfy |q|^2 = 1: e.e t^2 + 2 (q0.e) t + q0.q0 - 1 = 0. The two roots are
 * 2 sqrt(D) / e.e apart, D = (q0.e)^2 - e.e (q0.q0 - 1): that is the chord.
 * Along a detector row, q0 moves linearly with the detector coordinate s, so
 * D is a quadratic in s, negative outside the ellipsoid's shadow: the row
 * projector finds the shadow once per ellipsoid and visits only its pixels. */
#include "phantom_model.h"
#include <math.h>
#include <stddef.h>

/* a, b, c, x0, y0, z0, phi as the reference table, value = modified. */
const savu_ellipsoid savu_shepp_logan_3d[SAVU_SHEPP_LOGAN_COUNT] = {
    {.x0 = 0, .y0 = 0, .z0 = 0, .a = .69, .b = .92, .c = .81, .phi = 0, .value = 1},
    {.x0 = 0, .y0 = -.0184, .z0 = 0, .a = .6624, .b = .874, .c = .78, .phi = 0, .value = -.8},
    {.x0 = .22, .y0 = 0, .z0 = 0, .a = .11, .b = .31, .c = .22, .phi = -18, .value = -.2},
    {.x0 = -.22, .y0 = 0, .z0 = 0, .a = .16, .b = .41, .c = .28, .phi = 18, .value = -.2},
    {.x0 = 0, .y0 = .35, .z0 = -.15, .a = .21, .b = .25, .c = .41, .phi = 0, .value = .1},
    {.x0 = 0, .y0 = .1, .z0 = .25, .a = .046, .b = .046, .c = .05, .phi = 0, .value = .1},
    {.x0 = 0, .y0 = -.1, .z0 = .25, .a = .046, .b = .046, .c = .05, .phi = 0, .value = .1},
    {.x0 = -.08, .y0 = -.605, .z0 = 0, .a = .046, .b = .023, .c = .05, .phi = 0, .value = .1},
    {.x0 = 0, .y0 = -.606, .z0 = 0, .a = .023, .b = .023, .c = .02, .phi = 0, .value = .1},
    {.x0 = .06, .y0 = -.605, .z0 = 0, .a = .023, .b = .046, .c = .02, .phi = 0, .value = .1},
};

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* M = diag(1/a, 1/b, 1/c) * R^T with R = Rz(phi) * Rx(tilt): row i of M is
 * the ellipsoid's own axis i (column i of R) divided by its semi-axis. */
static void terms_from_ellipsoid(const savu_ellipsoid *in, savu_ellipsoid_terms *out)
{
    double phi = in->phi * M_PI / 180.0, tilt = in->tilt * M_PI / 180.0;
    double cp = cos(phi), sp = sin(phi), ct = cos(tilt), st = sin(tilt);
    const double axes[3][3] = {
        {cp, sp, 0},
        {-sp * ct, cp * ct, st},
        {sp * st, -cp * st, ct},
    };
    const double semi[3] = {in->a, in->b, in->c};
    const double centre[3] = {in->x0, in->y0, in->z0};
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            out->m[i][j] = axes[i][j] / semi[i];
        out->m_centre[i] = dot3(out->m[i], centre);
    }
    out->value = in->value;
}

void savu_phantom_init(savu_phantom *ph, const savu_ellipsoid *ellipsoids, int count, int width,
                       int rows, double cor, double scale)
{
    if (!ellipsoids) {
        ellipsoids = savu_shepp_logan_3d;
        count = SAVU_SHEPP_LOGAN_COUNT;
    }
    ph->width = width;
    ph->rows = rows;
    ph->cor = cor;
    ph->scale = scale;
    ph->count = count;
    for (int k = 0; k < count; k++)
        terms_from_ellipsoid(&ellipsoids[k], &ph->terms[k]);
}

double savu_phantom_unit(const savu_phantom *ph)
{
    return ph->width * 0.5;
}

/* q = M v (- M centre when `point`). */
static void to_sphere(const savu_ellipsoid_terms *e, const double v[3], bool point, double q[3])
{
    for (int i = 0; i < 3; i++)
        q[i] = dot3(e->m[i], v) - (point ? e->m_centre[i] : 0.0);
}

double savu_ellipsoid_chord(const savu_ellipsoid_terms *e, const double point[3],
                            const double direction[3])
{
    double q0[3], dir[3];
    to_sphere(e, point, true, q0);
    to_sphere(e, direction, false, dir);
    double ee = dot3(dir, dir), qe = dot3(q0, dir);
    double disc = qe * qe - ee * (dot3(q0, q0) - 1.0);
    return disc > 0 ? 2.0 * sqrt(disc) / ee : 0.0;
}

double savu_phantom_line_integral(const savu_phantom *ph, const double point[3],
                                  const double direction[3])
{
    double sum = 0;
    for (int k = 0; k < ph->count; k++)
        sum += ph->terms[k].value * savu_ellipsoid_chord(&ph->terms[k], point, direction);
    return sum;
}

double savu_phantom_value_at(const savu_phantom *ph, const double point[3])
{
    double sum = 0;
    for (int k = 0; k < ph->count; k++) {
        double q[3];
        to_sphere(&ph->terms[k], point, true, q);
        if (dot3(q, q) <= 1.0)
            sum += ph->terms[k].value;
    }
    return sum;
}

/* Height of detector row v in phantom units. */
static double row_height(const savu_phantom *ph, double v)
{
    return (v - (ph->rows - 1) * 0.5) / savu_phantom_unit(ph);
}

double savu_phantom_ray(const savu_phantom *ph, double theta, double u, double v)
{
    double unit = savu_phantom_unit(ph);
    double s = (u - ph->cor) / unit;
    const double point[3] = {s * cos(theta), s * sin(theta), row_height(ph, v)};
    const double direction[3] = {-sin(theta), cos(theta), 0.0};
    return savu_phantom_line_integral(ph, point, direction) * unit * ph->scale;
}

/* The shadow of one ellipsoid on a detector row, in phantom units of the
 * detector coordinate s: D(s) = peak - curve * (s - mid)^2, positive for
 * |s - mid| < half; chord(s) = 2 sqrt(D(s)) / ee. */
typedef struct shadow {
    double mid, half, curve, peak, ee;
} shadow;

static bool shadow_on_row(const savu_ellipsoid_terms *e, double theta, double height, shadow *sh)
{
    const double along[3] = {-sin(theta), cos(theta), 0.0};  /* the ray */
    const double across[3] = {cos(theta), sin(theta), 0.0};  /* s grows */
    const double up[3] = {0.0, 0.0, height};
    double dir[3], h[3], g[3];
    to_sphere(e, along, false, dir);
    to_sphere(e, across, false, h);
    to_sphere(e, up, true, g);
    double ee = dot3(dir, dir), he = dot3(h, dir), ge = dot3(g, dir);
    double a2 = he * he - ee * dot3(h, h);                      /* < 0 */
    double a1 = 2.0 * (ge * he - ee * dot3(g, h));
    double a0 = ge * ge - ee * (dot3(g, g) - 1.0);
    if (!(a2 < 0))
        return false;
    sh->curve = -a2;
    sh->mid = -a1 / (2.0 * a2);
    sh->peak = a0 - a1 * a1 / (4.0 * a2);
    sh->ee = ee;
    if (!(sh->peak > 0))
        return false;
    sh->half = sqrt(sh->peak / sh->curve);
    return true;
}

/* Integral of the chord from the shadow's start to s (phantom units^2):
 * 2 sqrt(curve) / ee * integral of sqrt(half^2 - w^2). */
static double shadow_area_to(const shadow *sh, double s)
{
    double w = s - sh->mid, r = sh->half;
    if (w <= -r)
        return 0.0;
    if (w > r)
        w = r;
    double circle = 0.5 * (w * sqrt(r * r - w * w) + r * r * (asin(w / r) + M_PI / 2));
    return 2.0 * sqrt(sh->curve) / sh->ee * circle;
}

static int clamp_pixel(double x, int width)
{
    if (x < 0)
        return 0;
    if (x > width - 1)
        return width - 1;
    return (int)x;
}

void savu_phantom_project_row(const savu_phantom *ph, double theta, int v,
                              savu_pixel_response response, double *out)
{
    int width = ph->width;
    double unit = savu_phantom_unit(ph);
    double height = row_height(ph, v);
    for (int u = 0; u < width; u++)
        out[u] = 0.0;
    for (int k = 0; k < ph->count; k++) {
        shadow sh;
        if (!shadow_on_row(&ph->terms[k], theta, height, &sh))
            continue;
        double lo = (sh.mid - sh.half) * unit + ph->cor; /* shadow in pixels */
        double hi = (sh.mid + sh.half) * unit + ph->cor;
        double value = ph->terms[k].value;
        if (response == SAVU_PIXEL_POINT) {
            if (hi < 0 || lo > width - 1)
                continue;
            int first = clamp_pixel(ceil(lo), width), last = clamp_pixel(floor(hi), width);
            double weight = value * 2.0 / sh.ee; /* the chord is 2 sqrt(D) / ee */
            double per_pixel = 1.0 / unit, w0 = ph->cor / unit + sh.mid;
            for (int u = first; u <= last; u++) {
                double w = u * per_pixel - w0; /* s - mid */
                double d = sh.peak - sh.curve * w * w;
                out[u] += weight * sqrt(d > 0 ? d : 0.0);
            }
        } else {
            if (hi < -0.5 || lo > width - 0.5)
                continue;
            int first = clamp_pixel(floor(lo + 0.5), width);
            int last = clamp_pixel(ceil(hi - 0.5), width);
            double before = shadow_area_to(&sh, (first - 0.5 - ph->cor) / unit);
            for (int u = first; u <= last; u++) {
                double after = shadow_area_to(&sh, (u + 0.5 - ph->cor) / unit);
                out[u] += value * (after - before) * unit; /* mean over 1/unit */
                before = after;
            }
        }
    }
    for (int u = 0; u < width; u++)
        out[u] *= unit * ph->scale;
}

double savu_phantom_voxel(const savu_phantom *ph, int ix, int v, int iz)
{
    double unit = savu_phantom_unit(ph), centre = (ph->width - 1) * 0.5;
    const double point[3] = {(ix - centre) / unit, (iz - centre) / unit, row_height(ph, v)};
    return savu_phantom_value_at(ph, point);
}

/* Whether voxel (ix, iz) of the slice at `height` is inside ellipsoid e. */
static bool voxel_inside(const savu_phantom *ph, const savu_ellipsoid_terms *e, int ix, int iz,
                         double height)
{
    double unit = savu_phantom_unit(ph), centre = (ph->width - 1) * 0.5;
    const double point[3] = {(ix - centre) / unit, (iz - centre) / unit, height};
    double q[3];
    to_sphere(e, point, true, q);
    return dot3(q, q) <= 1.0;
}

/* The voxels iz of column ix inside ellipsoid e form one run (a convex
 * set): solve |q(z)|^2 = 1 for its ends, then settle the end voxels with the
 * test of savu_phantom_value_at, so that rounding cannot make the two
 * disagree. Returns false when the run is empty. */
static bool run_inside(const savu_phantom *ph, const savu_ellipsoid_terms *e, int ix,
                       double height, int *first, int *last)
{
    int width = ph->width;
    double unit = savu_phantom_unit(ph), centre = (width - 1) * 0.5;
    const double at_z0[3] = {(ix - centre) / unit, 0.0, height};
    const double along_z[3] = {0.0, 1.0, 0.0};
    double q0[3], m1[3];
    to_sphere(e, at_z0, true, q0);
    to_sphere(e, along_z, false, m1);
    double mm = dot3(m1, m1), qm = dot3(q0, m1);
    double disc = qm * qm - mm * (dot3(q0, q0) - 1.0);
    if (disc < 0)
        return false;
    double lo = (-qm - sqrt(disc)) / mm * unit + centre; /* in voxels */
    double hi = (-qm + sqrt(disc)) / mm * unit + centre;
    if (hi < -1 || lo > width)
        return false;
    int a = clamp_pixel(ceil(lo), width), b = clamp_pixel(floor(hi), width);
    while (a > 0 && voxel_inside(ph, e, ix, a - 1, height))
        a--;
    while (a <= b && !voxel_inside(ph, e, ix, a, height))
        a++;
    while (b < width - 1 && voxel_inside(ph, e, ix, b + 1, height))
        b++;
    while (b >= a && !voxel_inside(ph, e, ix, b, height))
        b--;
    *first = a;
    *last = b;
    return a <= b;
}

void savu_phantom_sample_slice(const savu_phantom *ph, int v, double *out)
{
    int width = ph->width;
    double height = row_height(ph, v);
    for (size_t i = 0; i < (size_t)width * width; i++)
        out[i] = 0.0;
    for (int k = 0; k < ph->count; k++) {
        const savu_ellipsoid_terms *e = &ph->terms[k];
        for (int ix = 0; ix < width; ix++) {
            int first, last;
            if (!run_inside(ph, e, ix, height, &first, &last))
                continue;
            double *row = out + (size_t)ix * width;
            for (int iz = first; iz <= last; iz++)
                row[iz] += e->value;
        }
    }
}
