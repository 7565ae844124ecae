/* bench_distortion.c: the speed of DistortionCorrection's kernels on one
 * core, for test/bench/bench_distortion.sh, which times discorpy on the same
 * frames. Usage: bench_distortion FILE ROWS COLS FRAMES XC YC K0 [K1 ...] —
 * FILE holds FRAMES float32 projections of ROWS x COLS; prints the seconds
 * to make the points and the plan once (kernels/cpu/radial_distortion.c,
 * kernels/cpu/remap.c) and the projections per second of the resampling
 * over all the frames after one warm-up frame, as "plan SECONDS" and
 * "frames SECONDS FRAMES_PER_SECOND". */
#include "cpu/radial_distortion.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 8) {
        fprintf(stderr, "usage: bench_distortion FILE ROWS COLS FRAMES XC YC K0 [K1 ...]\n");
        return 2;
    }
    long rows = atol(argv[2]), cols = atol(argv[3]), frames = atol(argv[4]);
    double k[16];
    int n_k = 0;
    for (int i = 7; i < argc && n_k < 16; i++)
        k[n_k++] = atof(argv[i]);
    size_t n = (size_t)(rows * cols);
    float *in = malloc(n * (size_t)frames * sizeof *in), *out = malloc(n * sizeof *out);
    FILE *file = fopen(argv[1], "rb");
    if (rows < 2 || cols < 2 || frames < 1 || !in || !out || !file ||
        fread(in, sizeof *in, n * (size_t)frames, file) != n * (size_t)frames) {
        fprintf(stderr, "bench_distortion: cannot read %ld frames of %ld x %ld from %s\n", frames,
                rows, cols, argv[1]);
        return 1;
    }
    fclose(file);
    const struct savu_radial_model model = {atof(argv[5]), atof(argv[6]), k, n_k};
    double span, t0 = now();
    savu_error err;
    savu_remap *map = savu_radial_remap(&model, rows, cols, 0, &span, &err);
    if (!map) {
        fprintf(stderr, "bench_distortion: %s\n", err.msg);
        return 1;
    }
    printf("plan %.4f\n", now() - t0);
    savu_remap_apply(map, in, out);
    t0 = now();
    for (long i = 0; i < frames; i++)
        savu_remap_apply(map, in + (size_t)i * n, out);
    double dt = now() - t0;
    printf("frames %.4f %.2f\n", dt, (double)frames / dt);
    savu_remap_destroy(map);
    free(in);
    free(out);
    return 0;
}
