/* gpu_chain.c: finding a section's GPU-resident runs of stages, setting
 * them up on the rank's device and running a block through one
 * (gpu_chain.h; the chunked copies and streams are kernels/cuda/cuda_chain.h). */
#include <stdlib.h>
#include "config.h"
#include "env_choice.h"
#include "gpu_chain.h"
#include "gpu_chain_pin.h"
#include "plugin_instance.h"
#include "run_log.h"
#include "section_internal.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_chain.h"
#endif

const struct gpu_chain *gpu_chain_at(const struct section_work *w, size_t i)
{
    for (size_t c = 0; c < w->n_chains; c++)
        if (w->chains[c].first == i)
            return &w->chains[c];
    return NULL;
}

/* Whether something on the host reads stage i's output of a block. */
static bool host_reads(const struct section_work *w, size_t i)
{
    const struct stage *st = &w->stages[i];
    return i + 1 == w->sec->count || st->n_savers > 0 || (st->final && w->run->preview);
}

bool gpu_chain_returns(const struct section_work *w, size_t i)
{
    for (size_t c = 0; c < w->n_chains; c++)
        if (i >= w->chains[c].first && i < w->chains[c].end)
            return i + 1 == w->chains[c].end || host_reads(w, i);
    return true;
}

void gpu_chains_free(struct section_work *w)
{
#ifdef HAVE_CUDA
    for (size_t c = 0; c < w->n_chains; c++) {
        chain_pinning_free(w->chains[c].pinning);
        savu_cuda_chain_destroy(w->chains[c].cuda);
    }
#endif
    free(w->chains);
    w->chains = NULL;
    w->n_chains = 0;
}

void gpu_chains_join(struct section_work *w)
{
#ifdef HAVE_CUDA
    for (size_t c = 0; c < w->n_chains; c++)
        chain_pinning_wait(w->chains[c].pinning, 1);
#else
    (void)w;
#endif
}

#ifdef HAVE_CUDA

/* Whether stage i can be part of a chain. */
static bool takes_gpu_blocks(const struct section_work *w, size_t i)
{
    const struct stage *st = &w->stages[i];
    return st->plugin->process_gpu && st->n_combos == 1 && st->inst[0]->gpu_blocks &&
           st->in->n_variants == 1 && section_stage_pad(st) == 0 && w->later_pad[i] == 0;
}

/* SAVU_GPU_CHAIN: 1 (unset, "on"), 0 ("off"), -1 with err set. */
static int chains_wanted(savu_error *err)
{
    static const char *const choices[] = {"on", "off", NULL};
    int choice = savu_env_choice("SAVU_GPU_CHAIN", choices, err);
    return choice < 0 ? -1 : choice == 0;
}

/* Sets up chain c on the device; false (logged) when it stays on the host. */
static bool set_up(struct section_work *w, struct gpu_chain *c)
{
    const struct stage *first = &w->stages[c->first], *last = &w->stages[c->end - 1];
    long floats[SAVU_CUDA_CHAIN_MAX_STAGES + 1], max_frames = w->block;
    floats[0] = section_frame_size_in(first);
    for (size_t k = c->first; k < c->end; k++) {
        const struct stage *st = &w->stages[k];
        floats[k - c->first + 1] = section_frame_size_out(st);
        if (st->plugin->max_frames > 0 && st->plugin->max_frames < max_frames)
            max_frames = st->plugin->max_frames;
    }
    savu_error err;
    int device = first->inst[0]->gpu_device;
    c->cuda = savu_cuda_chain_create(device, (int)(c->end - c->first), floats, max_frames, 0,
                                     &err);
    if (!c->cuda) {
        savu_log(LOG_WARNING, "%s to %s stay on the host: %s", first->label, last->label,
                 err.msg);
        return false;
    }
    double seconds;
    bool pinned;
    c->pinning = chain_pinning_start(w, c, &seconds, &pinned);
    savu_log(LOG_INFO, "%s to %s keep the data on GPU %d between them (chunks of %ld frames, "
             "host buffers %s in %.2f s%s)", first->label, last->label, device,
             savu_cuda_chain_chunk(c->cuda), pinned ? "pinned" : "not all pinned", seconds,
             chain_pinning_beside(c->pinning) ? "; the second block's beside the first block"
                                               : "");
    return true;
}

int gpu_chains_plan(struct section_work *w, savu_error *err)
{
    int wanted = chains_wanted(err);
    if (wanted <= 0)
        return wanted;
    const size_t n = w->sec->count;
    if (!(w->chains = calloc(n, sizeof *w->chains)))
        return savu_error_set(err, "out of memory");
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && end - i < SAVU_CUDA_CHAIN_MAX_STAGES && takes_gpu_blocks(w, end) &&
               w->stages[end].inst[0]->gpu_device == w->stages[i].inst[0]->gpu_device)
            end++;
        if (end - i >= 2) {
            struct gpu_chain *c = &w->chains[w->n_chains];
            *c = (struct gpu_chain){i, end, NULL, NULL};
            w->n_chains++;
            if (!set_up(w, c))
                w->n_chains--;
        }
        i = end > i ? end : i + 1;
    }
    return 0;
}

struct chain_call {
    struct section_work *w;
    const struct gpu_chain *chain;
};

/* savu_cuda_stage_fn: the chain's stage k on one chunk. */
static int run_gpu_stage(void *ctx, int k, float *d_in, float *d_out, long first, long n,
                         void *stream, savu_error *err)
{
    const struct chain_call *call = ctx;
    struct stage *st = &call->w->stages[call->chain->first + (size_t)k];
    struct savu_plugin_instance *inst = st->inst[0];
    struct savu_block b = {.frames = n, .first = first, .in = d_in, .out = d_out,
                           .stream = stream, .in_writable = d_in};
    if (st->plugin->process_gpu(inst, &b) != 0)
        return savu_error_set(err, "%s", inst->error[0] ? inst->error : "processing failed");
    return 0;
}

int gpu_chain_compute(struct section_work *w, const struct gpu_chain *c, const float *in,
                      long first, long n, int slot, savu_error *err)
{
    float *host_out[SAVU_CUDA_CHAIN_MAX_STAGES];
    for (size_t k = c->first; k < c->end; k++)
        host_out[k - c->first] = gpu_chain_returns(w, k) ? w->stage_out[slot][k] : NULL;
    struct chain_call call = {w, c};
    chain_pinning_wait(c->pinning, slot);
    return savu_cuda_chain_run(c->cuda, in, host_out, first, n, run_gpu_stage, &call, err);
}

#else /* no CUDA: no chains */

int gpu_chains_plan(struct section_work *w, savu_error *err)
{
    (void)w, (void)err;
    return 0;
}

int gpu_chain_compute(struct section_work *w, const struct gpu_chain *c, const float *in,
                      long first, long n, int slot, savu_error *err)
{
    (void)w, (void)c, (void)in, (void)first, (void)n, (void)slot;
    return savu_error_set(err, "this savu was built without CUDA");
}

#endif
