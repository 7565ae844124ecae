/* cuda_chain.h: a block's trip through consecutive GPU stages that keep the
 * data on the device between them (the engine's GPU-resident sections).
 * The block is cut into chunks of frames. Each chunk is copied to the
 * device, every stage is queued on it in turn (each stage's output is the
 * next one's input, on the device), and the outputs the host needs are
 * copied back. Chunks alternate between two CUDA streams with buffers of
 * their own, so one chunk's copies overlap the other's kernels; with host
 * buffers pinned (savu_cuda_chain_pin) the copies are DMA at full speed.
 *
 * Device memory: two sets of chunk buffers, one for the chain's input and
 * one per stage output. When they do not fit, create halves the chunk until
 * they do (down to one frame), so that a device short of memory gets
 * smaller chunks, not a failure.
 *
 * Built only when configure finds CUDA (HAVE_CUDA). */
#ifndef SAVU_CUDA_CHAIN_H
#define SAVU_CUDA_CHAIN_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stddef.h>
#include "error.h"

#define SAVU_CUDA_CHAIN_MAX_STAGES 16

typedef struct savu_cuda_chain savu_cuda_chain;

/* One stage on one chunk: n frames (the first is frame `first` of the
 * data) from d_in to d_out, both on the chain's device, queued on `stream`
 * (a cudaStream_t); may return before the work is done; may overwrite
 * d_in. 0, or -1 with err set. */
typedef int (*savu_cuda_stage_fn)(void *ctx, int stage, float *d_in, float *d_out, long first,
                                  long n, void *stream, savu_error *err);

/* A chain of n_stages stages on CUDA device `device`. frame_floats[0] is the
 * size of one input frame in floats, frame_floats[k + 1] that of stage k's
 * output frames. Chunks hold at most max_frames frames (> 0), fewer when
 * chunk_bytes (the device memory one chunk's buffers may take, 0 for the
 * default of 768 MiB) or the device's free memory say so. NULL with err set
 * when not even one frame fits or the device cannot be used. */
savu_cuda_chain *savu_cuda_chain_create(int device, int n_stages, const long *frame_floats,
                                        long max_frames, size_t chunk_bytes, savu_error *err);

/* Frames per chunk. */
long savu_cuda_chain_chunk(const savu_cuda_chain *chain);

/* Pins `bytes` of host memory at `host` (page-locks it and maps it for the
 * device) for as long as the chain lives, so that copies to and from it are
 * asynchronous DMA. Best effort: 0 when pinned, -1 when not (the copies
 * still work, synchronously). The memory must outlive the chain. */
int savu_cuda_chain_pin(savu_cuda_chain *chain, void *host, size_t bytes);

/* Runs n frames (the first is frame `first` of the data) from host memory
 * `in` ([frame][frame_floats[0]]) through every stage; host_out[k], when
 * not NULL, receives stage k's output ([frame][frame_floats[k + 1]]).
 * Synchronous: the outputs are complete on return. 0, or -1 with err set
 * (the first error of a stage, a copy or the queued work). */
int savu_cuda_chain_run(savu_cuda_chain *chain, const float *in, float *const *host_out,
                        long first, long n, savu_cuda_stage_fn stage, void *ctx,
                        savu_error *err);

/* Frees the device buffers and streams and unpins what was pinned. */
void savu_cuda_chain_destroy(savu_cuda_chain *chain);

#ifdef __cplusplus
}
#endif

#endif
