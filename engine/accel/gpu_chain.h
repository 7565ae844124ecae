/* gpu_chain.h: GPU-resident runs of a section. Two or more consecutive
 * stages whose instances take GPU blocks (savu_plugin.h) form a chain: a
 * block goes to the device once, through every stage of the chain there,
 * and only the outputs the host needs come back (the chain's last, and
 * those saved to a result file or as TIFFs, or previewed). Stages with
 * tuned values, several input variants or neighbouring frames stay on the
 * host, and so does everything with SAVU_GPU_CHAIN=off. Without CUDA there
 * are no chains. The section worker (engine/run/) describes its stages and
 * buffers in a struct gpu_section; nothing here knows the worker itself. */
#ifndef SAVU_GPU_CHAIN_H
#define SAVU_GPU_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

struct savu_plugin_instance;
struct savu_thread_pool;

/* One stage of a section, as a chain needs it. */
struct gpu_stage {
    struct savu_plugin_instance *inst; /* its instance (the first of its combinations) */
    const char *label;                 /* "plugin 3 TomoRecon", for the log */
    bool chainable;                    /* may run in a chain: process_gpu taking GPU
                                        * blocks, one combination, one input variant,
                                        * no neighbouring frames for it or after it */
    bool host_reads;                   /* the host reads its output of a block: the
                                        * section's last stage, saved or previewed */
    long frame_in, frame_out;          /* floats per frame in and out */
    long max_frames;                   /* frames per call at most (0: any) */
};

/* A section as its chains see it; the buffers exist before the chains are
 * planned (they pin them) and outlive them. */
struct gpu_section {
    const struct gpu_stage *stages;
    size_t n_stages;
    long block;                        /* frames of the largest block */
    long n_blocks;                     /* blocks this rank goes through */
    float *input[2];                   /* per slot: the first stage's input
                                        * (NULL: a view of a slab, not pinned) */
    float *const *stage_out[2];        /* per slot: each stage's output */
    struct savu_thread_pool *pool;     /* the section's compute threads (or NULL) */
    int threads;                       /* threads per rank (--threads) */
    bool reading_first;                /* the first block is being read into
                                        * input[0] while the chains are set up */
};

struct gpu_chain {
    size_t first, end;      /* stages [first, end) of the section */
    void *cuda;             /* its savu_cuda_chain */
    struct chain_pinning *pinning; /* its host buffers' (gpu_chain_pin.h) */
};

/* A section's chains. Zeroed: none. */
struct gpu_chains {
    struct gpu_section sec; /* as given to gpu_chains_plan */
    struct gpu_chain *chains;
    size_t n;
};

/* Finds the section's chains and sets them up on the device (the
 * buffers in sec exist: it pins them); logs each one. A chain the device
 * has no memory for stays on the host, with a warning. 0, or -1 with err
 * set (a bad SAVU_GPU_CHAIN). */
int gpu_chains_plan(struct gpu_chains *g, const struct gpu_section *sec, savu_error *err);

/* The chain that starts at stage i, or NULL. */
const struct gpu_chain *gpu_chain_at(const struct gpu_chains *g, size_t i);

/* Whether stage i's output of a block comes back to the host (always for a
 * stage outside the chains). */
bool gpu_chain_returns(const struct gpu_chains *g, size_t i);

/* Runs the block [first, first + n) through chain c: `in` is its input in
 * host memory; the outputs that come back land in the stages' buffers of
 * slot `slot`. 0, or -1 with err set. */
int gpu_chain_compute(const struct gpu_chains *g, const struct gpu_chain *c, const float *in,
                      long first, long n, int slot, savu_error *err);

/* Frees the chains (before the section's buffers). */
void gpu_chains_free(struct gpu_chains *g);

/* Waits for any thread still pinning a chain's buffers (it uses g, which
 * must not move until then). */
void gpu_chains_join(struct gpu_chains *g);

#endif
