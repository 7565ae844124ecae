/* bench_rings.c: the speed of the ring-removal kernels
 * (kernels/cpu/ring_removal.c, stripe_fft.c) on one core, in sinograms per second, for
 * test/bench/bench_rings.sh, which times algotom on the same sinograms.
 * Usage: bench_rings FILE NROW NCOL FRAMES — FILE holds FRAMES float32
 * sinograms of NROW angles x NCOL pixels, one after another; each method
 * runs with Savu's default parameters over all of them (after one warm-up
 * sinogram) and prints "method seconds sinograms/s". */
#include "cpu/ring_removal.h"
#include "cpu/stripe_fft.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

enum { SORTING, FILTERING, LARGE, DEAD, ALL, WAVELET_FFT, RAVEN, N_METHODS };
static const char *const names[N_METHODS] = {"RingRemovalSorting", "RingRemovalFiltering",
                                              "RemoveLargeRings",
                                              "RemoveUnresponsiveAndFluctuatingRings",
                                              "RemoveAllRings", "RingRemovalWaveletfft",
                                              "RavenFilter"};

/* The plans of the Fourier-space methods, with Savu's defaults. */
static savu_stripe_fft *fft_plans[N_METHODS];

static void run(int method, const float *in, float *out, long nrow, long ncol,
                const struct savu_ring_filter *f, struct savu_ring_work *w)
{
    switch (method) {
    case WAVELET_FFT:
    case RAVEN:
        savu_stripe_fft_apply(fft_plans[method], 0, in, out);
        break;
    case SORTING:
        savu_ring_sorting(in, out, nrow, ncol, 31, w);
        break;
    case FILTERING:
        savu_ring_filtering(f, in, out, nrow, ncol, 31, w);
        break;
    case LARGE:
        savu_ring_large(in, out, nrow, ncol, 3.0, 71, 0.1, true, w);
        break;
    case DEAD:
        savu_ring_dead(in, out, nrow, ncol, 3.0, 51, true, w);
        break;
    default:
        savu_ring_all(in, out, nrow, ncol, 3.0, 71, 31, w);
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_rings FILE NROW NCOL FRAMES\n");
        return 2;
    }
    long nrow = atol(argv[2]), ncol = atol(argv[3]), frames = atol(argv[4]);
    size_t n = (size_t)(nrow * ncol);
    float *in = malloc(n * (size_t)frames * sizeof *in), *out = malloc(n * sizeof *out);
    FILE *file = fopen(argv[1], "rb");
    if (nrow < 1 || ncol < 71 || frames < 1 || !in || !out || !file ||
        fread(in, sizeof *in, n * (size_t)frames, file) != n * (size_t)frames) {
        fprintf(stderr, "bench_rings: cannot read %ld sinograms of %ld x %ld (at least 71 "
                        "pixels wide) from %s\n", frames, nrow, ncol, argv[1]);
        return 1;
    }
    fclose(file);
    struct savu_ring_work *w = savu_ring_work_create(nrow, ncol);
    struct savu_ring_filter *f = savu_ring_filter_create(nrow, 3.0);
    savu_error err;
    fft_plans[WAVELET_FFT] = savu_wavelet_fft_create(
        nrow, ncol, &(struct savu_wavelet_fft_params){1.0, 4, 8, 20}, 1, &err);
    fft_plans[RAVEN] = savu_raven_create(nrow, ncol, &(struct savu_raven_params){20.0, 1, 8, 50},
                                         1, &err);
    if (!w || !f || !fft_plans[WAVELET_FFT] || !fft_plans[RAVEN])
        return 1;
    for (int m = 0; m < N_METHODS; m++) {
        run(m, in, out, nrow, ncol, f, w);
        double t0 = now();
        for (long i = 0; i < frames; i++)
            run(m, in + (size_t)i * n, out, nrow, ncol, f, w);
        double dt = now() - t0;
        printf("%s %.3f %.2f\n", names[m], dt, (double)frames / dt);
    }
    savu_stripe_fft_destroy(fft_plans[WAVELET_FFT]);
    savu_stripe_fft_destroy(fft_plans[RAVEN]);
    savu_ring_filter_destroy(f);
    savu_ring_work_destroy(w);
    free(in);
    free(out);
    return 0;
}
