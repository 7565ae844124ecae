/* test_cuda_fbp.c: the CUDA kernels against the CPU. Exact projections of
 * the analytic phantom (256 x 256, 256 angles over 180 degrees, 8 rows, the
 * even rows with the axis centred and the odd rows 3.5 pixels off centre)
 * are reconstructed by savu_fbp_execute on the CPU and by the GPU plan; the
 * relative L2 difference must be <= 1e-4 for fp32 and <= 1e-3 for fp16x4,
 * for every filter. Chunks (max_slices smaller than the block) and the
 * device path give the same bits as one host call; bad arguments and too
 * little memory are one-line errors. The dark/flat kernel matches a host
 * computation of the same formula (exactly; the -log to 2 ulp).
 *
 *     test_cuda_fbp [--quick]      (--quick: the ramp filter only)
 *
 * Exit 77 (skip) when there is no GPU, 1 when a check fails. */
#include <cuda_runtime.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/fbp.h"
#include "cuda/cuda_darkflat.h"
#include "cuda/cuda_device.h"
#include "cuda/cuda_fbp.h"
#include "geometry.h"
#include "phantom_model.h"
#include "gpu_check.h"

enum { WIDTH = 256, ANGLES = 256, ROWS = 8, CPU_THREADS = 4 };
#define COR_OFFSET 3.5
#define RATIO 0.95
#define FP32_TOLERANCE 1e-4
#define FP16X4_TOLERANCE 1e-3

/* ---- data ---- */

struct sinograms {
    double angles[ANGLES];
    double cor[ROWS];
    float *values; /* [row][angle][x] */
};

static void make_sinograms(struct sinograms *s)
{
    savu_phantom centred, shifted;
    double middle = savu_default_cor(WIDTH);
    savu_phantom_init(&centred, NULL, 0, WIDTH, ROWS, middle, 3.6 / WIDTH);
    savu_phantom_init(&shifted, NULL, 0, WIDTH, ROWS, middle + COR_OFFSET, 3.6 / WIDTH);
    double row[WIDTH];
    for (int a = 0; a < ANGLES; a++)
        s->angles[a] = 180.0 * a / ANGLES;
    s->values = xmalloc(sizeof(float) * ROWS * ANGLES * WIDTH);
    for (int v = 0; v < ROWS; v++) {
        const savu_phantom *ph = v % 2 ? &shifted : &centred;
        s->cor[v] = ph->cor;
        for (int a = 0; a < ANGLES; a++) {
            savu_phantom_project_row(ph, s->angles[a] * M_PI / 180, v, SAVU_PIXEL_POINT, row);
            for (int u = 0; u < WIDTH; u++)
                s->values[((size_t)v * ANGLES + a) * WIDTH + u] = (float)row[u];
        }
    }
}

static double relative_l2(const float *x, const float *ref, size_t n)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)x[i] - (double)ref[i];
        num += d * d;
        den += (double)ref[i] * ref[i];
    }
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

static const size_t VOLUME = (size_t)ROWS * WIDTH * WIDTH;

static float *cpu_fbp(const struct sinograms *s, const char *filter, double ratio)
{
    savu_error err;
    float *out = xmalloc(sizeof(float) * VOLUME);
    savu_fbp_plan *plan = savu_fbp_create(WIDTH, ANGLES, s->angles, filter, ratio, CPU_THREADS,
                                          &err);
    if (!plan || savu_fbp_execute(plan, s->values, ROWS, s->cor, out, &err) != 0) {
        fprintf(stderr, "CPU FBP: %s\n", err.msg);
        exit(1);
    }
    savu_fbp_destroy(plan);
    return out;
}

/* The GPU reconstruction of all rows through the host path; NULL (and a
 * failed check) on error. */
static float *gpu_fbp(const struct sinograms *s, const char *filter, double ratio,
                      enum savu_cuda_precision precision, int max_slices)
{
    savu_error err;
    float *out = xmalloc(sizeof(float) * VOLUME);
    savu_cuda_fbp_plan *plan = savu_cuda_fbp_create(0, WIDTH, ANGLES, s->angles, filter, ratio,
                                                    precision, max_slices, &err);
    if (!plan || savu_cuda_fbp_execute(plan, s->values, ROWS, s->cor, out, &err) != 0) {
        check(0, "%s %s max_slices %d: %s", savu_cuda_precision_name(precision), filter,
              max_slices, err.msg);
        savu_cuda_fbp_destroy(plan);
        free(out);
        return NULL;
    }
    savu_cuda_fbp_destroy(plan);
    return out;
}

/* Relative L2 difference of the rows with one centre (parity 0: centred,
 * 1: off centre). */
static double rows_difference(const float *x, const float *ref, int parity)
{
    double num = 0, den = 0;
    size_t plane = (size_t)WIDTH * WIDTH;
    for (int v = parity; v < ROWS; v += 2)
        for (size_t i = 0; i < plane; i++) {
            double d = (double)x[v * plane + i] - (double)ref[v * plane + i];
            num += d * d;
            den += (double)ref[v * plane + i] * ref[v * plane + i];
        }
    return sqrt(num / den);
}

/* ---- FBP ---- */

static void test_filters(const struct sinograms *s, int quick)
{
    static const char *const filters[] = {"ramp", "ram-lak", "none", "shepp-logan",
                                           "cosine", "hamming", "hann", "parzen"};
    int n_filters = quick ? 1 : (int)(sizeof filters / sizeof filters[0]);
    for (int f = 0; f < n_filters; f++) {
        float *ref = cpu_fbp(s, filters[f], RATIO);
        for (int p = 0; p < 2; p++) {
            enum savu_cuda_precision precision = p ? SAVU_CUDA_FP16X4 : SAVU_CUDA_FP32;
            double tolerance = p ? FP16X4_TOLERANCE : FP32_TOLERANCE;
            float *out = gpu_fbp(s, filters[f], RATIO, precision, ROWS);
            if (!out)
                continue;
            double all = relative_l2(out, ref, VOLUME);
            check(all <= tolerance, "%-6s %-11s vs CPU: relative L2 %.2e (cor +0: %.2e, +%.1f: "
                  "%.2e; limit %.0e)", savu_cuda_precision_name(precision), filters[f], all,
                  rows_difference(out, ref, 0), COR_OFFSET, rows_difference(out, ref, 1),
                  tolerance);
            free(out);
        }
        free(ref);
    }
}

static void test_no_mask(const struct sinograms *s)
{
    float *ref = cpu_fbp(s, "ramp", 0);
    for (int p = 0; p < 2; p++) {
        enum savu_cuda_precision precision = p ? SAVU_CUDA_FP16X4 : SAVU_CUDA_FP32;
        float *out = gpu_fbp(s, "ramp", 0, precision, ROWS);
        if (!out)
            continue;
        double d = relative_l2(out, ref, VOLUME);
        double tolerance = p ? FP16X4_TOLERANCE : FP32_TOLERANCE;
        check(d <= tolerance, "%-6s ramp, no mask, vs CPU: relative L2 %.2e",
              savu_cuda_precision_name(precision), d);
        free(out);
    }
    free(ref);
}

/* Chunks of 3 slices, and the device path, give the bits of one call. */
static void test_chunks_and_device_path(const struct sinograms *s)
{
    size_t volume_bytes = sizeof(float) * VOLUME;
    size_t sino_bytes = sizeof(float) * ROWS * ANGLES * WIDTH;
    for (int p = 0; p < 2; p++) {
        enum savu_cuda_precision precision = p ? SAVU_CUDA_FP16X4 : SAVU_CUDA_FP32;
        const char *name = savu_cuda_precision_name(precision);
        float *whole = gpu_fbp(s, "ramp", RATIO, precision, ROWS);
        float *chunked = gpu_fbp(s, "ramp", RATIO, precision, 3);
        if (whole && chunked)
            check(memcmp(whole, chunked, volume_bytes) == 0,
                  "%-6s chunks of 3 slices = one chunk of 8 (bit for bit)", name);
        savu_error err;
        savu_cuda_fbp_plan *plan = savu_cuda_fbp_create(0, WIDTH, ANGLES, s->angles, "ramp", RATIO,
                                                        precision, 3, &err);
        float *d_sino = NULL, *d_out = NULL;
        float *device_result = xmalloc(volume_bytes);
        int ok = plan && cudaMalloc((void **)&d_sino, sino_bytes) == cudaSuccess &&
                 cudaMalloc((void **)&d_out, volume_bytes) == cudaSuccess &&
                 cudaMemcpy(d_sino, s->values, sino_bytes, cudaMemcpyHostToDevice) == cudaSuccess;
        if (ok && savu_cuda_fbp_execute_device(plan, d_sino, ROWS, s->cor, d_out, NULL, &err) != 0)
            ok = 0;
        if (ok && savu_cuda_fbp_synchronize(plan, &err) != 0)
            ok = 0;
        if (ok)
            ok = cudaMemcpy(device_result, d_out, volume_bytes, cudaMemcpyDeviceToHost) ==
                 cudaSuccess;
        if (!ok)
            check(0, "%-6s device path: %s", name, plan ? err.msg : "no plan");
        else if (whole)
            check(memcmp(whole, device_result, volume_bytes) == 0,
                  "%-6s device path (chunks of 3) = host path (bit for bit)", name);
        /* the host path again after the device path, on the same plan */
        if (ok && chunked) {
            float *again = xmalloc(volume_bytes);
            int rc = savu_cuda_fbp_execute(plan, s->values, ROWS, s->cor, again, &err);
            check(rc == 0 && memcmp(again, chunked, volume_bytes) == 0,
                  "%-6s host path after the device path on one plan: same bits%s%s", name,
                  rc ? ": " : "", rc ? err.msg : "");
            free(again);
        }
        cudaFree(d_sino);
        cudaFree(d_out);
        savu_cuda_fbp_destroy(plan);
        free(device_result);
        free(whole);
        free(chunked);
    }
}

static void expect_error(savu_cuda_fbp_plan *plan, const savu_error *err, const char *what,
                         const char *needle)
{
    int ok = plan == NULL && strstr(err->msg, needle) != NULL && strchr(err->msg, '\n') == NULL;
    check(ok, "%s: \"%s\"", what, plan ? "(a plan was made)" : err->msg);
    savu_cuda_fbp_destroy(plan);
}

static void test_errors(const struct sinograms *s)
{
    savu_error err;
    savu_cuda_fbp_plan *plan;
    plan = savu_cuda_fbp_create(0, WIDTH, ANGLES, s->angles, "blackman", RATIO, SAVU_CUDA_FP32,
                                4, &err);
    expect_error(plan, &err, "unknown filter", "unknown FBP filter 'blackman'");
    plan = savu_cuda_fbp_create(savu_cuda_device_count(), WIDTH, ANGLES, s->angles, "ramp",
                                RATIO, SAVU_CUDA_FP32, 4, &err);
    expect_error(plan, &err, "no such device", "no such device");
    plan = savu_cuda_fbp_create(0, 0, ANGLES, s->angles, "ramp", RATIO, SAVU_CUDA_FP32, 4, &err);
    expect_error(plan, &err, "width 0", "width");
    double *angles = xmalloc(sizeof(double) * 8192);
    for (int a = 0; a < 8192; a++)
        angles[a] = 180.0 * a / 8192;
    plan = savu_cuda_fbp_create(0, 8192, 8192, angles, "ramp", RATIO, SAVU_CUDA_FP32, 65535,
                                &err);
    expect_error(plan, &err, "65535 slices of 8192 x 8192", "out of memory");
    free(angles);
    plan = savu_cuda_fbp_create(0, WIDTH, ANGLES, s->angles, "ramp", RATIO, SAVU_CUDA_FP32, 2,
                                &err);
    if (plan) {
        double cor[ROWS];
        memcpy(cor, s->cor, sizeof cor);
        cor[5] = NAN;
        float *out = xmalloc(sizeof(float) * VOLUME);
        int rc = savu_cuda_fbp_execute(plan, s->values, ROWS, cor, out, &err);
        check(rc == -1 && strstr(err.msg, "slice 5"), "NaN centre of rotation: \"%s\"",
              rc ? err.msg : "(accepted)");
        /* the plan still works after the refused call */
        rc = savu_cuda_fbp_execute(plan, s->values, ROWS, s->cor, out, &err);
        check(rc == 0, "plan usable after an error%s%s", rc ? ": " : "", rc ? err.msg : "");
        free(out);
        savu_cuda_fbp_destroy(plan);
    }
    int fit = savu_cuda_fbp_max_slices(0, 2048, 2048);
    check(fit > 0, "savu_cuda_fbp_max_slices(0, 2048, 2048) = %d", fit);
    check(savu_cuda_fbp_max_slices(savu_cuda_device_count(), 2048, 2048) == 0,
          "savu_cuda_fbp_max_slices of a missing device = 0");
}

/* ---- dark and flat ---- */

static unsigned long long rng_state = 12345;

static float uniform(float lo, float hi)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * (float)((rng_state >> 40) / 16777216.0);
}

/* The dark/flat formula written out here, as an independent reference (the
 * smallest transmission 1e-6 as in minus_log.h). */
static float host_correct(float raw, float dark, float inverse, int take_log)
{
    const float min_transmission = 1e-6f;
    float v = (raw - dark) * inverse;
    if (!isfinite(v))
        v = 0.0f;
    if (take_log)
        v = v > min_transmission ? -logf(v) : -logf(min_transmission);
    return v;
}

/* Whether a and b are within `ulps` units in the last place. */
static int within_ulps(float a, float b, int ulps)
{
    if (a == b)
        return 1;
    float x = b;
    for (int i = 0; i < ulps; i++)
        x = nextafterf(x, a);
    return x == a;
}

static void test_darkflat_case(int cols, enum savu_cuda_layout layout, int use_dark, int take_log)
{
    enum { IMAGE_ROWS = 7, BLOCK_ROWS = 5, FIRST_ROW = 1, FRAMES = 9 };
    size_t image = (size_t)IMAGE_ROWS * cols;
    float *dark = xmalloc(sizeof(float) * image), *flat = xmalloc(sizeof(float) * image);
    for (size_t i = 0; i < image; i++) {
        dark[i] = uniform(90, 110);
        flat[i] = i % 11 == 3 ? (use_dark ? dark[i] : 0.0f) : uniform(900, 1100);
    }
    size_t n = (size_t)FRAMES * BLOCK_ROWS * cols;
    float *raw = xmalloc(sizeof(float) * n), *gpu = xmalloc(sizeof(float) * n);
    float *host = xmalloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++)
        raw[i] = i % 17 == 5 ? uniform(0, 80) : uniform(100, 1000);
    raw[3] = NAN;
    raw[n / 2] = INFINITY;
    for (int f = 0; f < FRAMES; f++)
        for (int r = 0; r < BLOCK_ROWS; r++)
            for (int c = 0; c < cols; c++) {
                size_t i = layout == SAVU_CUDA_PROJECTIONS
                               ? ((size_t)f * BLOCK_ROWS + r) * cols + c
                               : ((size_t)r * FRAMES + f) * cols + c;
                size_t p = (size_t)(FIRST_ROW + r) * cols + c;
                float d = use_dark ? dark[p] : 0.0f;
                double denominator = flat[p] - d;
                float inverse = (float)(denominator == 0 ? 1.0 : 1.0 / denominator);
                host[i] = host_correct(raw[i], d, inverse, take_log);
            }
    savu_error err;
    savu_cuda_darkflat *df = savu_cuda_darkflat_create(0, IMAGE_ROWS, cols, use_dark ? dark : NULL,
                                                       flat, &err);
    int rc = df ? savu_cuda_darkflat_apply(df, layout, raw, gpu, FRAMES, BLOCK_ROWS, FIRST_ROW,
                                           take_log, &err)
                : -1;
    const char *what = layout == SAVU_CUDA_PROJECTIONS ? "projections" : "sinograms";
    if (rc != 0) {
        check(0, "dark/flat %s: %s", what, err.msg);
    } else {
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            if (!within_ulps(gpu[i], host[i], take_log ? 2 : 0))
                bad++;
        check(bad == 0, "dark/flat %-11s cols %2d %s%s: %zu of %zu values differ from the host",
              what, cols, use_dark ? "dark" : "no dark", take_log ? ", -log" : "", bad, n);
    }
    savu_cuda_darkflat_destroy(df);
    free(dark);
    free(flat);
    free(raw);
    free(gpu);
    free(host);
}

static void test_darkflat(void)
{
    for (int layout = 0; layout < 2; layout++)
        for (int take_log = 0; take_log < 2; take_log++) {
            test_darkflat_case(64, (enum savu_cuda_layout)layout, 1, take_log);
            test_darkflat_case(37, (enum savu_cuda_layout)layout, 1, take_log);
        }
    test_darkflat_case(64, SAVU_CUDA_SINOGRAMS, 0, 1);
    savu_error err;
    savu_cuda_darkflat *df = savu_cuda_darkflat_create(0, 4, 4, NULL, NULL, &err);
    check(!df && strstr(err.msg, "no flat"), "dark/flat without a flat: \"%s\"", err.msg);
    float flat[16] = {1};
    df = savu_cuda_darkflat_create(0, 4, 4, NULL, flat, &err);
    int rc = df ? savu_cuda_darkflat_apply_device(df, SAVU_CUDA_PROJECTIONS, flat, flat, 1, 4, 2,
                                                  0, NULL, &err)
                : 0;
    check(df && rc == -1 && strstr(err.msg, "do not fit"), "dark/flat rows out of range: \"%s\"",
          err.msg);
    savu_cuda_darkflat_destroy(df);
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    if (no_gpu())
        return 77;
    struct sinograms s;
    make_sinograms(&s);
    test_filters(&s, quick);
    test_no_mask(&s);
    test_chunks_and_device_path(&s);
    test_errors(&s);
    test_darkflat();
    free(s.values);
    printf("%d failed\n", failures);
    return failures ? 1 : 0;
}
