/* phantom_score.c: RMSE, PSNR and masked SSIM of a reconstruction against
 * the point-sampled phantom (see phantom_score.h). */
#include "phantom_score.h"
#include <math.h>
#include <stdlib.h>

#define SSIM_RADIUS 5 /* 11 taps */
#define SSIM_SIGMA 1.5
#define SSIM_K1 0.01
#define SSIM_K2 0.03

/* Scratch planes of width x width: the phantom slice, then the six masked
 * moments whose window averages SSIM needs, and one for filtering. */
enum { PLANE_TRUTH, PLANE_M, PLANE_X, PLANE_Y, PLANE_XX, PLANE_YY, PLANE_XY, PLANE_TMP, PLANES };

double savu_score_fov_radius(const savu_phantom *ph)
{
    return fmin(ph->cor, ph->width - 1 - ph->cor);
}

bool savu_score_in_fov(const savu_phantom *ph, int ix, int iz)
{
    double centre = (ph->width - 1) * 0.5, r = savu_score_fov_radius(ph);
    double x = ix - centre, z = iz - centre;
    return x * x + z * z <= r * r;
}

static double *plane(const savu_score *s, int which)
{
    return s->planes + (size_t)which * s->ph->width * s->ph->width;
}

/* max - min of the sampled phantom over the disc of every row (1 when the
 * phantom is flat there), in phantom units. */
static double phantom_range(const savu_score *s)
{
    const savu_phantom *ph = s->ph;
    size_t n = (size_t)ph->width * ph->width;
    double lo = INFINITY, hi = -INFINITY, *truth = plane(s, PLANE_TRUTH);
    for (int v = 0; v < ph->rows; v++) {
        savu_phantom_sample_slice(ph, v, truth);
        for (size_t i = 0; i < n; i++) {
            if (!s->mask[i])
                continue;
            lo = fmin(lo, truth[i]);
            hi = fmax(hi, truth[i]);
        }
    }
    return hi > lo ? hi - lo : 1.0;
}

int savu_score_init(savu_score *s, const savu_phantom *ph, savu_error *err)
{
    size_t n = (size_t)ph->width * ph->width;
    *s = (savu_score){.ph = ph};
    s->mask = malloc(n);
    s->planes = malloc(PLANES * n * sizeof *s->planes);
    if (!s->mask || !s->planes) {
        savu_score_free(s);
        return savu_error_set(err, "out of memory scoring slices of %d x %d", ph->width,
                              ph->width);
    }
    size_t inside = 0;
    for (int ix = 0; ix < ph->width; ix++)
        for (int iz = 0; iz < ph->width; iz++)
            inside += s->mask[(size_t)ix * ph->width + iz] = savu_score_in_fov(ph, ix, iz);
    if (inside == 0) {
        savu_score_free(s);
        return savu_error_set(err, "the field of view is empty (centre of rotation at pixel %g)",
                              ph->cor);
    }
    s->range = phantom_range(s) * ph->scale;
    return 0;
}

void savu_score_free(savu_score *s)
{
    free(s->mask);
    free(s->planes);
    s->mask = NULL;
    s->planes = NULL;
}

/* The normalised Gaussian window, taps -SSIM_RADIUS..SSIM_RADIUS. */
static void gaussian_taps(double taps[2 * SSIM_RADIUS + 1])
{
    double sum = 0;
    for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++)
        sum += taps[k + SSIM_RADIUS] = exp(-(k * k) / (2.0 * SSIM_SIGMA * SSIM_SIGMA));
    for (int k = 0; k < 2 * SSIM_RADIUS + 1; k++)
        taps[k] /= sum;
}

/* Gaussian-filters a width x width plane in place, zero outside; tmp is
 * scratch of the same size. */
static void gaussian_filter(double *p, double *tmp, int width, const double *taps)
{
    for (int ix = 0; ix < width; ix++) { /* along iz */
        const double *in = p + (size_t)ix * width;
        double *out = tmp + (size_t)ix * width;
        for (int iz = 0; iz < width; iz++) {
            double sum = 0;
            int k0 = iz < SSIM_RADIUS ? -iz : -SSIM_RADIUS;
            int k1 = iz + SSIM_RADIUS >= width ? width - 1 - iz : SSIM_RADIUS;
            for (int k = k0; k <= k1; k++)
                sum += taps[k + SSIM_RADIUS] * in[iz + k];
            out[iz] = sum;
        }
    }
    for (int ix = 0; ix < width; ix++) { /* along ix, whole rows at a time */
        double *out = p + (size_t)ix * width;
        for (int iz = 0; iz < width; iz++)
            out[iz] = 0;
        for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++) {
            if (ix + k < 0 || ix + k >= width)
                continue;
            const double *in = tmp + (size_t)(ix + k) * width;
            double t = taps[k + SSIM_RADIUS];
            for (int iz = 0; iz < width; iz++)
                out[iz] += t * in[iz];
        }
    }
}

/* Adds the SSIM of every voxel in the disc to s->ssim_sum. */
static void add_ssim(savu_score *s, const double *recon, const double *truth)
{
    int width = s->ph->width;
    size_t n = (size_t)width * width;
    double *m = plane(s, PLANE_M), *x = plane(s, PLANE_X), *y = plane(s, PLANE_Y);
    double *xx = plane(s, PLANE_XX), *yy = plane(s, PLANE_YY), *xy = plane(s, PLANE_XY);
    for (size_t i = 0; i < n; i++) {
        bool in = s->mask[i];
        double a = in ? recon[i] : 0.0, b = in ? truth[i] : 0.0;
        m[i] = in;
        x[i] = a;
        y[i] = b;
        xx[i] = a * a;
        yy[i] = b * b;
        xy[i] = a * b;
    }
    double taps[2 * SSIM_RADIUS + 1];
    gaussian_taps(taps);
    for (int which = PLANE_M; which <= PLANE_XY; which++)
        gaussian_filter(plane(s, which), plane(s, PLANE_TMP), width, taps);
    double c1 = SSIM_K1 * s->range * SSIM_K1 * s->range;
    double c2 = SSIM_K2 * s->range * SSIM_K2 * s->range;
    for (size_t i = 0; i < n; i++) {
        if (!s->mask[i])
            continue;
        double mx = x[i] / m[i], my = y[i] / m[i];
        double vx = xx[i] / m[i] - mx * mx, vy = yy[i] / m[i] - my * my;
        double cxy = xy[i] / m[i] - mx * my;
        s->ssim_sum += (2 * mx * my + c1) * (2 * cxy + c2) /
                       ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
}

void savu_score_add_slice(savu_score *s, int v, const double *recon)
{
    const savu_phantom *ph = s->ph;
    size_t n = (size_t)ph->width * ph->width;
    double *truth = plane(s, PLANE_TRUTH);
    savu_phantom_sample_slice(ph, v, truth);
    for (size_t i = 0; i < n; i++) {
        truth[i] *= ph->scale;
        if (!s->mask[i])
            continue;
        double d = recon[i] - truth[i];
        s->sum_sq += d * d;
        s->voxels++;
    }
    add_ssim(s, recon, truth);
}

void savu_score_result(const savu_score *s, savu_scores *out)
{
    double scale = s->ph->scale;
    out->voxels = s->voxels;
    out->range = s->range / scale;
    out->rmse = s->voxels ? sqrt(s->sum_sq / s->voxels) / scale : 0.0;
    out->psnr = out->rmse > 0 ? 20.0 * log10(out->range / out->rmse) : INFINITY;
    if (isnan(out->rmse))
        out->psnr = NAN;
    out->ssim = s->voxels ? s->ssim_sum / s->voxels : 1.0;
}

int savu_score_volume(const savu_phantom *ph, savu_slice_read_fn read, void *ctx,
                      savu_scores *out, savu_error *err)
{
    savu_score s;
    if (savu_score_init(&s, ph, err) < 0)
        return -1;
    double *recon = malloc((size_t)ph->width * ph->width * sizeof *recon);
    int rc = 0;
    if (!recon)
        rc = savu_error_set(err, "out of memory scoring slices of %d x %d", ph->width, ph->width);
    for (int v = 0; rc == 0 && v < ph->rows; v++) {
        rc = read(ctx, v, recon, err);
        if (rc == 0)
            savu_score_add_slice(&s, v, recon);
    }
    if (rc == 0)
        savu_score_result(&s, out);
    free(recon);
    savu_score_free(&s);
    return rc;
}
