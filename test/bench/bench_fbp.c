/* bench_fbp.c: throughput of the CPU FBP kernels — backprojection in voxel
 * updates per second (n_angles x width^2 x n_slices / seconds, the peers'
 * metric, counted over the whole square even where the mask skips pixels),
 * in total and per thread, and the filter in rows and pixels per second.
 *
 *   bench_fbp [--small] [--angles N] [--width N] [--slices N] [--threads N]
 *             [--ratio R] [--filter NAME] [--repeat N] [--cor-per-slice]
 *
 * Default: 1024 angles x 1024^2 x 16 slices, all online CPUs, no mask;
 * --small: 256 angles x 256^2 x 16 slices. --cor-per-slice gives every slice
 * its own centre of rotation (the one-slice-at-a-time path). The best of
 * --repeat runs (default 1, 3 with --small) is reported. Not run by make check. */
#include "cpu/backproject.h"
#include "cpu/fbp_filter.h"
#include "cpu/thread_pool.h"
#include "geometry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct options {
    int angles, width, slices, threads, repeat, cor_per_slice;
    double ratio;
    const char *filter;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct options){1024, 1024, 16, cpus > 0 ? (int)cpus : 1, 0, 0, 0.0, "ramp"};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(arg, "--small") == 0) {
            o->angles = o->width = 256;
            if (!o->repeat)
                o->repeat = 3;
        } else if (strcmp(arg, "--cor-per-slice") == 0) {
            o->cor_per_slice = 1;
        } else if (has_value && strcmp(arg, "--angles") == 0) {
            o->angles = atoi(argv[++i]);
        } else if (has_value && strcmp(arg, "--width") == 0) {
            o->width = atoi(argv[++i]);
        } else if (has_value && strcmp(arg, "--slices") == 0) {
            o->slices = atoi(argv[++i]);
        } else if (has_value && strcmp(arg, "--threads") == 0) {
            o->threads = atoi(argv[++i]);
        } else if (has_value && strcmp(arg, "--repeat") == 0) {
            o->repeat = atoi(argv[++i]);
        } else if (has_value && strcmp(arg, "--ratio") == 0) {
            o->ratio = atof(argv[++i]);
        } else if (has_value && strcmp(arg, "--filter") == 0) {
            o->filter = argv[++i];
        } else {
            fprintf(stderr, "bench_fbp: unknown or incomplete option '%s'\n", arg);
            return -1;
        }
    }
    if (!o->repeat)
        o->repeat = 1;
    if (o->angles < 1 || o->width < 1 || o->slices < 1 || o->threads < 1 || o->repeat < 1) {
        fprintf(stderr, "bench_fbp: sizes, threads and repeat must be at least 1\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    if (parse_options(argc, argv, &o) != 0)
        return 2;
    size_t n_rows = (size_t)o.slices * (size_t)o.angles;
    float *sino = malloc(sizeof(float) * n_rows * (size_t)o.width);
    float *out = malloc(sizeof(float) * (size_t)o.slices * (size_t)o.width * (size_t)o.width);
    double *angles = malloc(sizeof(double) * (size_t)o.angles);
    double *cor = malloc(sizeof(double) * (size_t)o.slices);
    if (!sino || !out || !angles || !cor) {
        fprintf(stderr, "bench_fbp: out of memory\n");
        return 1;
    }
    srand(1);
    for (size_t i = 0; i < n_rows * (size_t)o.width; i++)
        sino[i] = (float)rand() / (float)RAND_MAX;
    for (int a = 0; a < o.angles; a++)
        angles[a] = 180.0 * a / o.angles;
    for (int s = 0; s < o.slices; s++)
        cor[s] = savu_default_cor(o.width) + (o.cor_per_slice ? 0.01 * s : 0.0);

    savu_error err;
    savu_thread_pool *pool = savu_thread_pool_create(o.threads, &err);
    savu_backproject_plan *bp =
        pool ? savu_backproject_create(o.width, o.angles, angles, o.ratio, &err) : NULL;
    savu_fbp_filter_plan *filter =
        bp ? savu_fbp_filter_create(o.width, 64, o.filter, o.threads, &err) : NULL;
    if (!filter) {
        fprintf(stderr, "bench_fbp: %s\n", err.msg);
        return 1;
    }

    double best_bp = 1e300, best_filter = 1e300;
    for (int r = 0; r < o.repeat; r++) {
        double t0 = now();
        savu_fbp_filter_apply(filter, sino, (int)n_rows);
        double t1 = now();
        if (savu_backproject_execute(bp, pool, sino, o.slices, cor, out, &err) != 0) {
            fprintf(stderr, "bench_fbp: %s\n", err.msg);
            return 1;
        }
        double t2 = now();
        best_filter = t1 - t0 < best_filter ? t1 - t0 : best_filter;
        best_bp = t2 - t1 < best_bp ? t2 - t1 : best_bp;
    }
    double updates = (double)o.angles * o.width * (double)o.width * o.slices;
    printf("size: %d angles x %d^2 x %d slices, %d threads, mask ratio %g, %s centre%s\n",
           o.angles, o.width, o.slices, o.threads, o.ratio,
           o.cor_per_slice ? "per-slice" : "one", o.cor_per_slice ? "s" : "");
    printf("backprojection: %.3f s, %.3g voxel updates/s total, %.3g per thread\n", best_bp,
           updates / best_bp, updates / best_bp / o.threads);
    printf("filter (%s, FFTW %d threads): %.3f s, %.3g rows/s, %.3g pixels/s\n", o.filter,
           o.threads, best_filter, (double)n_rows / best_filter,
           (double)n_rows * o.width / best_filter);
    savu_fbp_filter_destroy(filter);
    savu_backproject_destroy(bp);
    savu_thread_pool_destroy(pool);
    free(sino);
    free(out);
    free(angles);
    free(cor);
    return 0;
}
