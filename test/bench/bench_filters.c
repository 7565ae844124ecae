/* bench_filters.c: the speed of the pre-processing filter kernels on one
 * core, in frames per second, for test/bench/bench_filters.sh, which times
 * the peers (algotom, scipy) on the same frames: FresnelFilter on
 * sinograms (1-D) and projections (2-D), PaganinFilter, the median filter
 * 3 x 3 and 3 x 3 x 3 (MedianFilter, the dezingers), and
 * CcpiRingArtefactFilter, DownsampleFilter (bins of 3, mean) and
 * Convert360180Sinogram (the frame as a 360-degree sinogram, axis at 0.85
 * of the width). Usage: bench_filters FILE ROWS COLS FRAMES —
 * FILE holds FRAMES float32 frames of ROWS x COLS; each kernel runs over
 * all of them (after one warm-up frame) and prints "name seconds
 * frames/s". */
#include "cpu/bin_reduce.h"
#include "cpu/fresnel.h"
#include "cpu/median.h"
#include "cpu/paganin.h"
#include "cpu/ring_regularised.h"
#include "cpu/stitch_360.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

struct bench {
    const float *in;
    float *out, *scratch;
    long rows, cols, frames;
    savu_fresnel *fresnel_1d, *fresnel_2d;
    savu_paganin *paganin;
    savu_ring_regularised *ccpi;
    struct savu_bin bin;
    double *stitch_scratch;
    float *wide;        /* a stitched sinogram */
};

enum { FRESNEL_SINO, FRESNEL_PROJ, PAGANIN, MEDIAN_2D, MEDIAN_3D, CCPI, DOWNSAMPLE, CONVERT_360,
       N_KERNELS };
static const char *const names[N_KERNELS] = {"FresnelFilter-SINOGRAM", "FresnelFilter-PROJECTION",
                                              "PaganinFilter", "MedianFilter-3x3",
                                              "MedianFilter-3x3x3", "CcpiRingArtefactFilter",
                                              "DownsampleFilter", "Convert360180Sinogram"};

static void median(const struct bench *b, long f, int n_planes)
{
    const size_t frame = (size_t)b->rows * b->cols;
    const float *planes[3];
    for (int p = 0; p < n_planes; p++) {
        long g = f + p - n_planes / 2;
        g = g < 0 ? 0 : g >= b->frames ? b->frames - 1 : g;
        planes[p] = b->in + g * frame;
    }
    struct median_frame mf = {planes, n_planes, b->rows, b->cols, 3, 0.0f, b->out};
    median_rows(&mf, 0, b->rows, b->scratch);
}

static void run(const struct bench *b, int kernel, long f)
{
    const float *in = b->in + (size_t)f * b->rows * b->cols;
    switch (kernel) {
    case FRESNEL_SINO: savu_fresnel_apply(b->fresnel_1d, 0, in, b->out); break;
    case FRESNEL_PROJ: savu_fresnel_apply(b->fresnel_2d, 0, in, b->out); break;
    case PAGANIN: savu_paganin_apply(b->paganin, 0, in, b->out); break;
    case MEDIAN_2D: median(b, f, 1); break;
    case MEDIAN_3D: median(b, f, 3); break;
    case CCPI: savu_ring_regularised_apply(b->ccpi, 0, in, b->out); break;
    case DOWNSAMPLE: savu_bin_group(&b->bin, in, b->out, 0, 1); break;
    default: savu_stitch_360(in, b->rows, b->cols, 0.85 * b->cols + 0.3, b->wide, b->stitch_scratch);
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_filters FILE ROWS COLS FRAMES\n");
        return 2;
    }
    struct bench b = {.rows = atol(argv[2]), .cols = atol(argv[3]), .frames = atol(argv[4])};
    const size_t n = (size_t)b.rows * b.cols;
    float *in = malloc(n * (size_t)b.frames * sizeof *in);
    b.out = malloc(n * sizeof *b.out);
    b.scratch = malloc(median_scratch_floats(3, 3) * sizeof *b.scratch);
    FILE *file = fopen(argv[1], "rb");
    if (b.rows < 11 || b.cols < 1 || b.frames < 1 || !in || !b.out || !b.scratch || !file ||
        fread(in, sizeof *in, n * (size_t)b.frames, file) != n * (size_t)b.frames) {
        fprintf(stderr, "bench_filters: cannot read %ld frames of %ld x %ld from %s\n", b.frames,
                b.rows, b.cols, argv[1]);
        return 1;
    }
    fclose(file);
    b.in = in;
    savu_error err;
    const int pad = b.cols / 10 < 150 ? (int)(b.cols / 10) : 150;
    const struct savu_fresnel_params f1 = {100.0, false, true, pad, 0},
                                     f2 = {100.0, true, true, pad, 10};
    const struct savu_paganin_params pg = {53.0, 1.0, 1.28, 250.0, 0.0, 100, 100, SAVU_PAD_EDGE};
    b.fresnel_1d = savu_fresnel_create((int)b.rows, (int)b.cols, &f1, 1, &err);
    b.fresnel_2d = b.fresnel_1d ? savu_fresnel_create((int)b.rows, (int)b.cols, &f2, 1, &err)
                                : NULL;
    b.paganin = b.fresnel_2d ? savu_paganin_create((int)b.rows, (int)b.cols, &pg, 1, &err) : NULL;
    b.ccpi = b.paganin ? savu_ring_regularised_create(b.rows, b.cols, 0.0, 0.005, 1, 1, &err)
                       : NULL;
    b.bin = (struct savu_bin){.bin = 3, .rows = b.rows, .cols = b.cols,
                              .out_rows = (b.rows + 2) / 3, .out_cols = (b.cols + 2) / 3,
                              .depth = 1, .frames = 1, .mode = SAVU_BIN_MEAN, .flip_ud = true,
                              .scratch = malloc(9 * sizeof(float))};
    b.stitch_scratch = malloc(sizeof(double) * savu_stitch_360_scratch(b.cols));
    b.wide = malloc(sizeof(float) * (size_t)(b.rows + 1) / 2 * 2 * b.cols);
    if (!b.bin.scratch || !b.stitch_scratch || !b.wide) {
        fprintf(stderr, "bench_filters: out of memory\n");
        return 1;
    }
    if (!b.ccpi) {
        fprintf(stderr, "bench_filters: %s\n", err.msg);
        return 1;
    }
    for (int k = 0; k < N_KERNELS; k++) {
        run(&b, k, 0);
        double t0 = now();
        for (long f = 0; f < b.frames; f++)
            run(&b, k, f);
        double s = now() - t0;
        printf("%s %.4f %.3f\n", names[k], s, (double)b.frames / s);
    }
    savu_fresnel_destroy(b.fresnel_1d);
    savu_fresnel_destroy(b.fresnel_2d);
    savu_paganin_destroy(b.paganin);
    savu_ring_regularised_destroy(b.ccpi);
    free(in);
    free(b.out);
    free(b.scratch);
    free(b.bin.scratch);
    free(b.stitch_scratch);
    free(b.wide);
    return 0;
}
