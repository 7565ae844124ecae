/* ring_plugin.c: the set-up, block loops and tear-down shared by the ring
 * removal plugins (ring_plugin.h): parameters checked at plan time, one
 * sinogram per task; for those of Vo et al. 2018 one workspace per thread,
 * for the Fourier-space ones the plan of kernels/cpu/stripe_fft.h. */
#include "ring_plugin.h"

#include <math.h>
#include <stdlib.h>
#include "cpu/ring_removal.h"
#include "cpu/stripe_fft.h"

struct ring_state {
    struct ring_settings s;
    long nrow, ncol;
    int n_work;
    struct savu_ring_work **work; /* one per thread */
    struct savu_ring_filter *filter;
};

int ring_param_size(struct savu_plugin_instance *inst, const char *name, int *size)
{
    long shape[3];
    savu_in_shape(inst, shape);
    double v = savu_param_number(inst, name);
    if (!isfinite(v) || v != floor(v) || v < 1)
        return savu_fail(inst, "%s: expected a positive odd whole number of pixels, not %s", name,
                         savu_param_json(inst, name));
    if (fmod(v, 2.0) == 0.0)
        return savu_fail(inst, "%s: expected an odd number of pixels (the median window is "
                               "centred on each pixel), not %g", name, v);
    if (v > (double)shape[2])
        return savu_fail(inst, "%s: %g pixels is wider than the sinogram (%ld pixels)", name, v,
                         shape[2]);
    *size = (int)v;
    return 0;
}

int ring_param_positive(struct savu_plugin_instance *inst, const char *name, double *value)
{
    double v = savu_param_number(inst, name);
    if (!isfinite(v) || v <= 0)
        return savu_fail(inst, "%s: expected a number above 0, not %s", name,
                         savu_param_json(inst, name));
    *value = v;
    return 0;
}

int ring_param_whole(struct savu_plugin_instance *inst, const char *name, long min, long *value)
{
    double v = savu_param_number(inst, name);
    if (!isfinite(v) || v != floor(v) || v < (double)min || v > 1e9)
        return savu_fail(inst, "%s: expected a whole number from %ld, not %s", name, min,
                         savu_param_json(inst, name));
    *value = (long)v;
    return 0;
}

int ring_setup(struct savu_plugin_instance *inst, const struct ring_settings *s)
{
    long shape[3];
    savu_in_shape(inst, shape);
    struct ring_state *st = calloc(1, sizeof *st);
    if (!st)
        return savu_fail(inst, "out of memory");
    st->s = *s;
    st->nrow = shape[0];
    st->ncol = shape[2];
    savu_set_private(inst, st); /* teardown frees what was made */
    st->n_work = savu_threads(inst);
    st->work = calloc((size_t)st->n_work, sizeof *st->work);
    if (!st->work)
        return savu_fail(inst, "out of memory");
    for (int i = 0; i < st->n_work; i++)
        if (!(st->work[i] = savu_ring_work_create(st->nrow, st->ncol)))
            return savu_fail(inst, "out of memory for the workspace of %ld x %ld sinograms",
                             st->nrow, st->ncol);
    if (s->method == RING_FILTERING && !(st->filter = savu_ring_filter_create(st->nrow, s->sigma)))
        return savu_fail(inst, "cannot plan the FFT of %ld-angle columns", st->nrow);
    return 0;
}

struct ring_block {
    const struct ring_state *st;
    const float *in;
    float *out;
    int found; /* SAVU_RING_* bits, or-ed atomically */
};

static void ring_sinogram(void *ctx, int task, int worker)
{
    struct ring_block *b = ctx;
    const struct ring_state *st = b->st;
    const struct ring_settings *s = &st->s;
    const long n = st->nrow * st->ncol;
    const float *in = b->in + task * n;
    float *out = b->out + task * n;
    struct savu_ring_work *w = st->work[worker];
    int found = 0;
    switch (s->method) {
    case RING_SORTING:
        found = savu_ring_sorting(in, out, st->nrow, st->ncol, s->size, w);
        break;
    case RING_FILTERING:
        found = savu_ring_filtering(st->filter, in, out, st->nrow, st->ncol, s->size, w);
        break;
    case RING_LARGE:
        found = savu_ring_large(in, out, st->nrow, st->ncol, s->snr, s->size, 0.1, true, w);
        break;
    case RING_DEAD:
        found = savu_ring_dead(in, out, st->nrow, st->ncol, s->snr, s->size, s->residual, w);
        break;
    case RING_ALL:
        found = savu_ring_all(in, out, st->nrow, st->ncol, s->snr, s->size, s->small_size, w);
        break;
    }
    __atomic_fetch_or(&b->found, found, __ATOMIC_RELAXED);
}

int ring_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    const struct ring_state *st = savu_private(inst);
    struct ring_block b = {st, savu_block_in(block), savu_block_out(block), 0};
    long frames = savu_block_frames(block);
    if (frames > 0)
        savu_parallel_for(inst, (int)frames, ring_sinogram, &b);
    if (b.found & SAVU_RING_NOISE_FREE)
        savu_warn(inst, "a sinogram without noise: no stripes detected in it (the stripe "
                        "detection needs noisy data)");
    return 0;
}

void ring_teardown(struct savu_plugin_instance *inst)
{
    struct ring_state *st = savu_private(inst);
    if (!st)
        return;
    for (int i = 0; st->work && i < st->n_work; i++)
        savu_ring_work_destroy(st->work[i]);
    free(st->work);
    savu_ring_filter_destroy(st->filter);
    free(st);
}

/* ---- RingRemovalWaveletfft and RavenFilter ---- */

int ring_fft_start(struct savu_plugin_instance *inst, struct savu_stripe_fft *plan,
                   const struct savu_error *err)
{
    if (!plan)
        return savu_fail(inst, "%s", err->msg);
    savu_set_private(inst, plan);
    return 0;
}

struct ring_fft_block {
    const savu_stripe_fft *plan;
    const float *in;
    float *out;
    long frame;
};

static void ring_fft_sinogram(void *ctx, int task, int worker)
{
    const struct ring_fft_block *b = ctx;
    savu_stripe_fft_apply(b->plan, worker, b->in + task * b->frame, b->out + task * b->frame);
}

int ring_fft_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    struct ring_fft_block b = {savu_private(inst), savu_block_in(block), savu_block_out(block),
                               savu_in_frame_size(inst)};
    long frames = savu_block_frames(block);
    if (frames > 0)
        savu_parallel_for(inst, (int)frames, ring_fft_sinogram, &b);
    return 0;
}

void ring_fft_teardown(struct savu_plugin_instance *inst)
{
    savu_stripe_fft_destroy(savu_private(inst));
}
