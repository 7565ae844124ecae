/* gpu_chain.h: GPU-resident runs of a section. Two or more consecutive
 * stages whose instances take GPU blocks (savu_plugin.h) form a chain: a
 * block goes to the device once, through every stage of the chain there,
 * and only the outputs the host needs come back (the chain's last, and
 * those saved to a result file or as TIFFs, or previewed). Stages with
 * tuned values, several input variants or neighbouring frames stay on the
 * host, and so does everything with SAVU_GPU_CHAIN=off. Without CUDA there
 * are no chains. */
#ifndef SAVU_GPU_CHAIN_H
#define SAVU_GPU_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

struct section_work;

struct gpu_chain {
    size_t first, end;      /* stages [first, end) of the section */
    void *cuda;             /* its savu_cuda_chain */
    struct chain_pinning *pinning; /* its host buffers' (gpu_chain_pin.h) */
};

/* Finds the section's chains and sets them up on the device (after the
 * section's buffers exist, whose block buffers it pins); logs each one.
 * A chain the device has no memory for stays on the host, with a warning.
 * 0, or -1 with err set (a bad SAVU_GPU_CHAIN). */
int gpu_chains_plan(struct section_work *w, savu_error *err);

/* The chain that starts at stage i, or NULL. */
const struct gpu_chain *gpu_chain_at(const struct section_work *w, size_t i);

/* Whether stage i's output of a block comes back to the host (always for a
 * stage outside the chains). */
bool gpu_chain_returns(const struct section_work *w, size_t i);

/* Runs the block [first, first + n) through chain c: `in` is its input in
 * host memory; the outputs that come back land in the stages' buffers of
 * slot `slot`. 0, or -1 with err set. */
int gpu_chain_compute(struct section_work *w, const struct gpu_chain *c, const float *in,
                      long first, long n, int slot, savu_error *err);

/* Frees the chains (before the section's buffers). */
void gpu_chains_free(struct section_work *w);

/* Waits for any thread still pinning a chain's buffers (it uses w). */
void gpu_chains_join(struct section_work *w);

#endif
