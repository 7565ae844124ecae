/* gpu_chain_pin.h: pinning the host block buffers a GPU chain copies from
 * and to (gpu_chain.h). The first block's buffers (slot 0) are pinned at
 * the chain's set-up (its input without writing to it when the first block
 * is being read into it meanwhile, gpu_section.reading_first); the
 * second's (slot 1) on a thread of their own while the first block is read
 * and computed, where the kernel can populate pages without writing to
 * them (MADV_POPULATE_WRITE: the second block is read into them
 * meanwhile); elsewhere both slots are pinned at set-up. Pages are
 * populated on several threads before cudaHostRegister, which would fault
 * them in one at a time. Only with CUDA. */
#ifndef SAVU_GPU_CHAIN_PIN_H
#define SAVU_GPU_CHAIN_PIN_H

#include <stdbool.h>

struct gpu_chains;
struct gpu_chain;
struct chain_pinning;

/* Pins slot 0 now (and slot 1, or starts pinning it); NULL when out of
 * memory (nothing pinned: the copies then use pageable memory). *seconds:
 * the time spent here; *all: whether every buffer pinned so far is. */
struct chain_pinning *chain_pinning_start(const struct gpu_chains *g, const struct gpu_chain *c,
                                          double *seconds, bool *all);

/* Whether the second block's buffers are being pinned on a thread. */
bool chain_pinning_beside(const struct chain_pinning *p);

/* Waits until the buffers of `slot` are pinned (or given up on). */
void chain_pinning_wait(struct chain_pinning *p, int slot);

/* Waits for the thread, if any, and frees p (NULL is fine); before the
 * chain is destroyed. */
void chain_pinning_free(struct chain_pinning *p);

#endif
