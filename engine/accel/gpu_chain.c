/* gpu_chain.c: finding a section's GPU-resident runs of stages, setting
 * them up on the rank's device and running a block through one
 * (gpu_chain.h; the chunked copies and streams are kernels/cuda/cuda_chain.h),
 * from the section's description (struct gpu_section). */
#include <stdlib.h>
#include "config.h"
#include "env_choice.h"
#include "gpu_chain.h"
#include "gpu_chain_pin.h"
#include "plugin_instance.h"
#include "run_log.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_chain.h"
#endif

const struct gpu_chain *gpu_chain_at(const struct gpu_chains *g, size_t i)
{
    for (size_t c = 0; c < g->n; c++)
        if (g->chains[c].first == i)
            return &g->chains[c];
    return NULL;
}

bool gpu_chain_returns(const struct gpu_chains *g, size_t i)
{
    for (size_t c = 0; c < g->n; c++)
        if (i >= g->chains[c].first && i < g->chains[c].end)
            return i + 1 == g->chains[c].end || g->sec.stages[i].host_reads;
    return true;
}

void gpu_chains_free(struct gpu_chains *g)
{
#ifdef HAVE_CUDA
    for (size_t c = 0; c < g->n; c++) {
        chain_pinning_free(g->chains[c].pinning);
        savu_cuda_chain_destroy(g->chains[c].cuda);
    }
#endif
    free(g->chains);
    g->chains = NULL;
    g->n = 0;
}

void gpu_chains_join(struct gpu_chains *g)
{
#ifdef HAVE_CUDA
    for (size_t c = 0; c < g->n; c++)
        chain_pinning_wait(g->chains[c].pinning, 1);
#else
    (void)g;
#endif
}

#ifdef HAVE_CUDA

/* SAVU_GPU_CHAIN: 1 (unset, "on"), 0 ("off"), -1 with err set. */
static int chains_wanted(savu_error *err)
{
    static const char *const choices[] = {"on", "off", NULL};
    int choice = savu_env_choice("SAVU_GPU_CHAIN", choices, err);
    return choice < 0 ? -1 : choice == 0;
}

/* Sets up chain c on the device; false (logged) when it stays on the host. */
static bool set_up(struct gpu_chains *g, struct gpu_chain *c)
{
    const struct gpu_stage *first = &g->sec.stages[c->first], *last = &g->sec.stages[c->end - 1];
    long floats[SAVU_CUDA_CHAIN_MAX_STAGES + 1], max_frames = g->sec.block;
    floats[0] = first->frame_in;
    for (size_t k = c->first; k < c->end; k++) {
        const struct gpu_stage *st = &g->sec.stages[k];
        floats[k - c->first + 1] = st->frame_out;
        if (st->max_frames > 0 && st->max_frames < max_frames)
            max_frames = st->max_frames;
    }
    savu_error err;
    int device = first->inst->gpu_device;
    c->cuda = savu_cuda_chain_create(device, (int)(c->end - c->first), floats, max_frames, 0,
                                     &err);
    if (!c->cuda) {
        savu_log(LOG_WARNING, "%s to %s stay on the host: %s", first->label, last->label,
                 err.msg);
        return false;
    }
    double seconds;
    bool pinned;
    c->pinning = chain_pinning_start(g, c, &seconds, &pinned);
    savu_log(LOG_INFO, "%s to %s keep the data on GPU %d between them (chunks of %ld frames, "
             "host buffers %s in %.2f s%s)", first->label, last->label, device,
             savu_cuda_chain_chunk(c->cuda), pinned ? "pinned" : "not all pinned", seconds,
             chain_pinning_beside(c->pinning) ? "; the second block's beside the first block"
                                               : "");
    return true;
}

int gpu_chains_plan(struct gpu_chains *g, const struct gpu_section *sec, savu_error *err)
{
    g->sec = *sec;
    int wanted = chains_wanted(err);
    if (wanted <= 0)
        return wanted;
    const size_t n = sec->n_stages;
    const struct gpu_stage *st = sec->stages;
    if (!(g->chains = calloc(n, sizeof *g->chains)))
        return savu_error_set(err, "out of memory");
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && end - i < SAVU_CUDA_CHAIN_MAX_STAGES && st[end].chainable &&
               st[end].inst->gpu_device == st[i].inst->gpu_device)
            end++;
        if (end - i >= 2) {
            struct gpu_chain *c = &g->chains[g->n];
            *c = (struct gpu_chain){i, end, NULL, NULL};
            g->n++;
            if (!set_up(g, c))
                g->n--;
        }
        i = end > i ? end : i + 1;
    }
    return 0;
}

struct chain_call {
    const struct gpu_chains *g;
    const struct gpu_chain *chain;
};

/* savu_cuda_stage_fn: the chain's stage k on one chunk. */
static int run_gpu_stage(void *ctx, int k, float *d_in, float *d_out, long first, long n,
                         void *stream, savu_error *err)
{
    const struct chain_call *call = ctx;
    struct savu_plugin_instance *inst = call->g->sec.stages[call->chain->first + (size_t)k].inst;
    struct savu_block b = {.frames = n, .first = first, .in = d_in, .out = d_out,
                           .stream = stream, .in_writable = d_in};
    if (inst->plugin->process_gpu(inst, &b) != 0)
        return savu_error_set(err, "%s", inst->error[0] ? inst->error : "processing failed");
    return 0;
}

int gpu_chain_compute(const struct gpu_chains *g, const struct gpu_chain *c, const float *in,
                      long first, long n, int slot, savu_error *err)
{
    float *host_out[SAVU_CUDA_CHAIN_MAX_STAGES];
    for (size_t k = c->first; k < c->end; k++)
        host_out[k - c->first] = gpu_chain_returns(g, k) ? g->sec.stage_out[slot][k] : NULL;
    struct chain_call call = {g, c};
    chain_pinning_wait(c->pinning, slot);
    return savu_cuda_chain_run(c->cuda, in, host_out, first, n, run_gpu_stage, &call, err);
}

#else /* no CUDA: no chains */

int gpu_chains_plan(struct gpu_chains *g, const struct gpu_section *sec, savu_error *err)
{
    (void)err;
    g->sec = *sec;
    return 0;
}

int gpu_chain_compute(const struct gpu_chains *g, const struct gpu_chain *c, const float *in,
                      long first, long n, int slot, savu_error *err)
{
    (void)g, (void)c, (void)in, (void)first, (void)n, (void)slot;
    return savu_error_set(err, "this savu was built without CUDA");
}

#endif
