/* spline.c: cubic B-spline interpolation as scipy.ndimage's order 3 in
 * mode "nearest" (spline.h). */
#include "spline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double savu_bspline3(double t)
{
    t = fabs(t);
    return t < 1 ? 2.0 / 3.0 - t * t + t * t * t / 2.0 : t < 2 ? (2 - t) * (2 - t) * (2 - t) / 6.0
                                                               : 0.0;
}

/* m values of c (stride s) made interpolating coefficients, in place. */
static void prefilter(double *c, long m, long s)
{
    const double z = sqrt(3.0) - 2.0;
    if (m < 2)
        return;
    double sum = c[0], zk = z;
    for (long k = 1; k < m && fabs(zk) > 1e-16; k++, zk *= z)
        sum += zk * c[k * s];
    c[0] = sum;
    for (long k = 1; k < m; k++)
        c[k * s] += z * c[(k - 1) * s];
    c[(m - 1) * s] = z / (z * z - 1.0) * (c[(m - 1) * s] + z * c[(m - 2) * s]);
    for (long k = m - 2; k >= 0; k--)
        c[k * s] = z * (c[(k + 1) * s] - c[k * s]);
    for (long k = 0; k < m; k++)
        c[k * s] *= 6.0;
}

void savu_spline_row(const float *row, long n, long stride, double *c)
{
    const long m = n + 2 * SPLINE_PAD;
    for (long k = 0; k < m; k++) {
        long j = k - SPLINE_PAD;
        c[k] = row[(j < 0 ? 0 : j >= n ? n - 1 : j) * stride];
    }
    prefilter(c, m, 1);
}

/* The 4 spline weights and first coefficient index about x in a padded
 * row of m coefficients (x clamped to the padding, indices mirrored). */
static long weights(double x, long m, double w[4], long idx[4])
{
    x += SPLINE_PAD;
    x = x < 0 ? 0 : x > (double)(m - 1) ? (double)(m - 1) : x;
    long k0 = (long)floor(x) - 1;
    for (int i = 0; i < 4; i++) {
        long k = k0 + i;
        w[i] = savu_bspline3(x - (double)k);
        k = k < 0 ? -k : k >= m ? 2 * (m - 1) - k : k;
        idx[i] = k;
    }
    return k0;
}

double savu_spline_at(const double *c, long n, double x)
{
    double w[4];
    long idx[4];
    weights(x, n + 2 * SPLINE_PAD, w, idx);
    return c[idx[0]] * w[0] + c[idx[1]] * w[1] + c[idx[2]] * w[2] + c[idx[3]] * w[3];
}

size_t savu_spline_frame_doubles(long rows, long cols)
{
    return (size_t)(rows + 2 * SPLINE_PAD) * (size_t)(cols + 2 * SPLINE_PAD);
}

void savu_spline_frame(const float *frame, long rows, long cols, double *c)
{
    const long pr = rows + 2 * SPLINE_PAD, pc = cols + 2 * SPLINE_PAD;
    for (long y = 0; y < rows; y++)
        savu_spline_row(frame + y * cols, cols, 1, c + (y + SPLINE_PAD) * pc);
    /* the padding rows repeat the edge rows, whose coefficients are made */
    for (long y = 0; y < SPLINE_PAD; y++) {
        memcpy(c + y * pc, c + SPLINE_PAD * pc, sizeof(double) * (size_t)pc);
        memcpy(c + (rows + SPLINE_PAD + y) * pc, c + (rows + SPLINE_PAD - 1) * pc,
               sizeof(double) * (size_t)pc);
    }
    for (long x = 0; x < pc; x++)
        prefilter(c + x, pr, pc);
}

double savu_spline_frame_at(const double *c, long rows, long cols, double y, double x)
{
    const long pr = rows + 2 * SPLINE_PAD, pc = cols + 2 * SPLINE_PAD;
    double wy[4], wx[4];
    long iy[4], ix[4];
    weights(y, pr, wy, iy);
    weights(x, pc, wx, ix);
    double acc = 0;
    for (int a = 0; a < 4; a++) {
        const double *row = c + iy[a] * pc;
        acc += wy[a] * (row[ix[0]] * wx[0] + row[ix[1]] * wx[1] + row[ix[2]] * wx[2] +
                        row[ix[3]] * wx[3]);
    }
    return acc;
}

/* cos and sin of whole degrees exact at multiples of 90 (scipy's cosdg,
 * sindg). */
static void cos_sin_degrees(double degrees, double *c, double *s)
{
    double r = fmod(degrees, 360.0);
    if (r < 0)
        r += 360.0;
    if (r == 0 || r == 90 || r == 180 || r == 270) {
        *c = r == 0 ? 1 : r == 180 ? -1 : 0;
        *s = r == 90 ? 1 : r == 270 ? -1 : 0;
        return;
    }
    *c = cos(degrees * M_PI / 180.0);
    *s = sin(degrees * M_PI / 180.0);
}

void savu_spline_rotate(const float *frame, long rows, long cols, double degrees, float *out,
                        double *c)
{
    double cs, sn;
    cos_sin_degrees(degrees, &cs, &sn);
    savu_spline_frame(frame, rows, cols, c);
    /* input (row, column) = R (output - centre) + centre, R = [[c, s], [-s, c]] */
    const double cy = (rows - 1) / 2.0, cx = (cols - 1) / 2.0;
    for (long y = 0; y < rows; y++)
        for (long x = 0; x < cols; x++) {
            double dy = (double)y - cy, dx = (double)x - cx;
            double iy = cs * dy + sn * dx + cy, ix = -sn * dy + cs * dx + cx;
            out[y * cols + x] = (float)savu_spline_frame_at(c, rows, cols, iy, ix);
        }
}
