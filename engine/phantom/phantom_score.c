/* phantom_score.c: RMSE, PSNR and masked SSIM of a reconstruction against
 * the point-sampled phantom (see phantom_score.h). Slices are scored on the
 * thread pool of phantom_frames.h and added up in slice order. */
#include "phantom_score.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include "phantom_frames.h"

#define SSIM_RADIUS 5 /* 11 taps */
#define SSIM_SIGMA 1.5
#define SSIM_K1 0.01
#define SSIM_K2 0.03
#define SCRATCH_LIMIT ((size_t)2 << 30) /* bytes of scratch for all workers */

/* A worker's planes of width x width: the slice read, the phantom slice,
 * the six masked moments whose window averages SSIM needs, and one for
 * filtering. */
enum {
    PLANE_RECON, PLANE_TRUTH, PLANE_M, PLANE_X, PLANE_Y, PLANE_XX, PLANE_YY, PLANE_XY, PLANE_TMP,
    PLANES
};
_Static_assert(PLANES == SAVU_SCORE_PLANES, "SAVU_SCORE_PLANES counts the planes");

/* One slice's contribution. */
typedef struct slice_score {
    double sum_sq, ssim_sum, lo, hi;
    long long voxels;
} slice_score;

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

static size_t plane_size(const savu_score *s)
{
    return (size_t)s->ph->width * s->ph->width;
}

static double *plane(const savu_score *s, int worker, int which)
{
    return s->scratch + ((size_t)worker * PLANES + which) * plane_size(s);
}

/* ---- the range of the sampled phantom ---- */

typedef struct range_pass {
    const savu_score *score;
    double lo, hi;
} range_pass;

static int sample_range(void *ctx, int v, int worker, void *out, savu_error *err)
{
    const savu_score *s = ((range_pass *)ctx)->score;
    slice_score *r = out;
    double *truth = plane(s, worker, PLANE_TRUTH);
    savu_phantom_sample_slice(s->ph, v, truth);
    r->lo = INFINITY;
    r->hi = -INFINITY;
    for (size_t i = 0; i < plane_size(s); i++) {
        if (!s->mask[i])
            continue;
        r->lo = fmin(r->lo, truth[i]);
        r->hi = fmax(r->hi, truth[i]);
    }
    return 0;
}

static int widen_range(void *ctx, int v, const void *data, savu_error *err)
{
    range_pass *pass = ctx;
    const slice_score *r = data;
    pass->lo = fmin(pass->lo, r->lo);
    pass->hi = fmax(pass->hi, r->hi);
    return 0;
}

/* max - min of the sampled phantom over the disc of every row, in
 * attenuation units (the scale when the phantom is flat there). */
static int find_range(savu_score *s, savu_error *err)
{
    range_pass pass = {.score = s, .lo = INFINITY, .hi = -INFINITY};
    if (savu_frames_run(s->ph->rows, sizeof(slice_score), s->threads, sample_range, widen_range,
                        &pass, err) < 0)
        return -1;
    s->range = (pass.hi > pass.lo ? pass.hi - pass.lo : 1.0) * s->ph->scale;
    return 0;
}

int savu_score_init(savu_score *s, const savu_phantom *ph, int threads, savu_error *err)
{
    *s = (savu_score){.ph = ph};
    size_t n = plane_size(s), per_worker = PLANES * n * sizeof(double);
    if (threads < 1)
        threads = 1;
    if ((size_t)threads * per_worker > SCRATCH_LIMIT)
        threads = per_worker >= SCRATCH_LIMIT ? 1 : (int)(SCRATCH_LIMIT / per_worker);
    s->threads = threads;
    s->mask = malloc(n);
    s->scratch = malloc((size_t)threads * per_worker);
    if (!s->mask || !s->scratch) {
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
    if (find_range(s, err) < 0) {
        savu_score_free(s);
        return -1;
    }
    return 0;
}

void savu_score_free(savu_score *s)
{
    free(s->mask);
    free(s->scratch);
    s->mask = NULL;
    s->scratch = NULL;
}

/* ---- one slice ---- */

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

/* The SSIM of every voxel in the disc, summed. */
static double ssim_sum(const savu_score *s, int worker, const double *recon, const double *truth)
{
    int width = s->ph->width;
    size_t n = plane_size(s);
    double *m = plane(s, worker, PLANE_M), *x = plane(s, worker, PLANE_X);
    double *y = plane(s, worker, PLANE_Y), *xx = plane(s, worker, PLANE_XX);
    double *yy = plane(s, worker, PLANE_YY), *xy = plane(s, worker, PLANE_XY);
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
        gaussian_filter(plane(s, worker, which), plane(s, worker, PLANE_TMP), width, taps);
    double c1 = SSIM_K1 * s->range * SSIM_K1 * s->range;
    double c2 = SSIM_K2 * s->range * SSIM_K2 * s->range;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s->mask[i])
            continue;
        double mx = x[i] / m[i], my = y[i] / m[i];
        double vx = xx[i] / m[i] - mx * mx, vy = yy[i] / m[i] - my * my;
        double cxy = xy[i] / m[i] - mx * my;
        sum += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
    return sum;
}

static void score_slice(const savu_score *s, int worker, int v, const double *recon,
                        slice_score *out)
{
    const savu_phantom *ph = s->ph;
    double *truth = plane(s, worker, PLANE_TRUTH);
    savu_phantom_sample_slice(ph, v, truth);
    *out = (slice_score){0};
    for (size_t i = 0; i < plane_size(s); i++) {
        truth[i] *= ph->scale;
        if (!s->mask[i])
            continue;
        double d = recon[i] - truth[i];
        out->sum_sq += d * d;
        out->voxels++;
    }
    out->ssim_sum = ssim_sum(s, worker, recon, truth);
}

static void add_score(savu_score *s, const slice_score *slice)
{
    s->sum_sq += slice->sum_sq;
    s->ssim_sum += slice->ssim_sum;
    s->voxels += slice->voxels;
}

void savu_score_add_slice(savu_score *s, int v, const double *recon)
{
    slice_score slice;
    score_slice(s, 0, v, recon, &slice);
    add_score(s, &slice);
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

/* ---- a whole volume, on threads ---- */

typedef struct volume_job {
    savu_score score;
    savu_slice_read_fn read;
    void *ctx;
    pthread_mutex_t read_lock;
} volume_job;

static int read_and_score(void *ctx, int v, int worker, void *out, savu_error *err)
{
    volume_job *job = ctx;
    double *recon = plane(&job->score, worker, PLANE_RECON);
    pthread_mutex_lock(&job->read_lock);
    int rc = job->read(job->ctx, v, recon, err);
    pthread_mutex_unlock(&job->read_lock);
    if (rc < 0)
        return -1;
    score_slice(&job->score, worker, v, recon, out);
    return 0;
}

static int add_slice_score(void *ctx, int v, const void *data, savu_error *err)
{
    volume_job *job = ctx;
    add_score(&job->score, data);
    return 0;
}

int savu_score_volume(const savu_phantom *ph, savu_slice_read_fn read, void *ctx, int threads,
                      savu_scores *out, savu_error *err)
{
    volume_job job = {.read = read, .ctx = ctx};
    if (savu_score_init(&job.score, ph, threads, err) < 0)
        return -1;
    pthread_mutex_init(&job.read_lock, NULL);
    int rc = savu_frames_run(ph->rows, sizeof(slice_score), job.score.threads, read_and_score,
                             add_slice_score, &job, err);
    if (rc == 0)
        savu_score_result(&job.score, out);
    pthread_mutex_destroy(&job.read_lock);
    savu_score_free(&job.score);
    return rc;
}
