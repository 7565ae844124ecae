/* cuda_chain.cu: consecutive GPU stages on chunks of a block, the data
 * staying on the device between them (cuda_chain.h). Chunk c goes on
 * stream c % 2 with that stream's buffers: copy in, the stages, copies out,
 * all queued without waiting, so while one stream computes the other
 * copies. */
#include "cuda_chain.h"
#include "cuda_check.h"

#include <stdlib.h>

enum { CHAIN_STREAMS = 2, CHAIN_MAX_PINNED = 32 };
#define CHAIN_DEFAULT_CHUNK_BYTES ((size_t)768 << 20)

struct savu_cuda_chain {
    int device, n_stages;
    long frame_floats[SAVU_CUDA_CHAIN_MAX_STAGES + 1];
    long chunk;
    cudaStream_t stream[CHAIN_STREAMS];
    float *buffer[CHAIN_STREAMS][SAVU_CUDA_CHAIN_MAX_STAGES + 1];
    void *pinned[CHAIN_MAX_PINNED];
    int n_pinned;
};

static void free_buffers(savu_cuda_chain *c)
{
    for (int s = 0; s < CHAIN_STREAMS; s++)
        for (int k = 0; k <= c->n_stages; k++) {
            cudaFree(c->buffer[s][k]);
            c->buffer[s][k] = NULL;
        }
}

/* Allocates both streams' buffers for chunks of c->chunk frames; on
 * failure frees what was allocated and returns the CUDA error. */
static cudaError_t alloc_buffers(savu_cuda_chain *c)
{
    for (int s = 0; s < CHAIN_STREAMS; s++)
        for (int k = 0; k <= c->n_stages; k++) {
            size_t bytes = sizeof(float) * (size_t)c->chunk * (size_t)c->frame_floats[k];
            cudaError_t rc = cudaMalloc(&c->buffer[s][k], bytes);
            if (rc != cudaSuccess) {
                cudaGetLastError();
                free_buffers(c);
                return rc;
            }
        }
    return cudaSuccess;
}

/* Frames per chunk for `budget` bytes of chunk buffers per stream: at most
 * max_frames, a multiple of 4 from 4 up (the fp16x4 backprojector packs
 * slices by four), at least one. */
static long chunk_for(const savu_cuda_chain *c, size_t budget, long max_frames)
{
    size_t per_frame = 0;
    for (int k = 0; k <= c->n_stages; k++)
        per_frame += sizeof(float) * (size_t)c->frame_floats[k];
    long n = (long)(budget / per_frame);
    if (n > max_frames)
        n = max_frames;
    if (n >= 4)
        n -= n % 4;
    return n < 1 ? 1 : n;
}

static int check_create(int device, int n_stages, const long *frame_floats, long max_frames,
                        savu_error *err)
{
    if (n_stages < 1 || n_stages > SAVU_CUDA_CHAIN_MAX_STAGES)
        return savu_error_set(err, "GPU chain: %d stages (1 to %d)", n_stages,
                              SAVU_CUDA_CHAIN_MAX_STAGES);
    if (device < 0 || max_frames < 1 || !frame_floats)
        return savu_error_set(err, "GPU chain: bad arguments");
    for (int k = 0; k <= n_stages; k++)
        if (frame_floats[k] < 1)
            return savu_error_set(err, "GPU chain: empty frames");
    return 0;
}

savu_cuda_chain *savu_cuda_chain_create(int device, int n_stages, const long *frame_floats,
                                        long max_frames, size_t chunk_bytes, savu_error *err)
{
    if (check_create(device, n_stages, frame_floats, max_frames, err) != 0)
        return NULL;
    savu_cuda_chain *c = (savu_cuda_chain *)calloc(1, sizeof *c);
    if (!c) {
        savu_error_set(err, "out of memory");
        return NULL;
    }
    c->device = device;
    c->n_stages = n_stages;
    for (int k = 0; k <= n_stages; k++)
        c->frame_floats[k] = frame_floats[k];
    device_scope scope(device);
    cudaError_t rc = scope.rc;
    for (int s = 0; s < CHAIN_STREAMS && rc == cudaSuccess; s++)
        rc = cudaStreamCreateWithFlags(&c->stream[s], cudaStreamNonBlocking);
    c->chunk = chunk_for(c, chunk_bytes ? chunk_bytes : CHAIN_DEFAULT_CHUNK_BYTES, max_frames);
    while (rc == cudaSuccess && (rc = alloc_buffers(c)) != cudaSuccess && c->chunk > 1) {
        c->chunk = c->chunk / 2;
        rc = cudaSuccess;
    }
    if (rc != cudaSuccess) {
        savu_error_set(err, "CUDA device %d: GPU chain: %s (buffers for one frame of each of "
                            "%d stages)", device, cudaGetErrorString(rc), n_stages);
        savu_cuda_chain_destroy(c);
        return NULL;
    }
    return c;
}

long savu_cuda_chain_chunk(const savu_cuda_chain *chain)
{
    return chain ? chain->chunk : 0;
}

int savu_cuda_chain_pin(savu_cuda_chain *chain, void *host, size_t bytes)
{
    if (!chain || !host || bytes == 0 || chain->n_pinned == CHAIN_MAX_PINNED)
        return -1;
    device_scope scope(chain->device);
    if (cudaHostRegister(host, bytes, cudaHostRegisterPortable) != cudaSuccess) {
        cudaGetLastError();
        return -1;
    }
    chain->pinned[chain->n_pinned++] = host;
    return 0;
}

/* "CUDA device D: GPU chain: WHAT: CUDA error text"; returns -1. */
static int chain_fail(const savu_cuda_chain *c, savu_error *err, const char *what, cudaError_t rc)
{
    return savu_error_set(err, "CUDA device %d: GPU chain: %s: %s", c->device, what,
                          cudaGetErrorString(rc));
}

/* Queues chunk [off, off + count) of the block on stream s. */
static int queue_chunk(savu_cuda_chain *c, int s, const float *in, float *const *host_out,
                       long first, long off, long count, savu_cuda_stage_fn stage, void *ctx,
                       savu_error *err)
{
    cudaStream_t stream = c->stream[s];
    size_t bytes = sizeof(float) * (size_t)count * (size_t)c->frame_floats[0];
    cudaError_t rc = cudaMemcpyAsync(c->buffer[s][0], in + (size_t)off * c->frame_floats[0], bytes,
                                     cudaMemcpyHostToDevice, stream);
    if (rc != cudaSuccess)
        return chain_fail(c, err, "copy to the device", rc);
    for (int k = 0; k < c->n_stages; k++) {
        if (stage(ctx, k, c->buffer[s][k], c->buffer[s][k + 1], first + off, count, stream,
                  err) != 0)
            return -1;
        if (!host_out[k])
            continue;
        bytes = sizeof(float) * (size_t)count * (size_t)c->frame_floats[k + 1];
        rc = cudaMemcpyAsync(host_out[k] + (size_t)off * c->frame_floats[k + 1],
                             c->buffer[s][k + 1], bytes, cudaMemcpyDeviceToHost, stream);
        if (rc != cudaSuccess)
            return chain_fail(c, err, "copy from the device", rc);
    }
    return 0;
}

int savu_cuda_chain_run(savu_cuda_chain *chain, const float *in, float *const *host_out,
                        long first, long n, savu_cuda_stage_fn stage, void *ctx,
                        savu_error *err)
{
    if (!chain || (!in && n > 0) || !host_out || !stage)
        return savu_error_set(err, "GPU chain: bad arguments");
    device_scope scope(chain->device);
    if (scope.rc != cudaSuccess)
        return savu_error_set(err, "CUDA device %d: %s", chain->device,
                              cudaGetErrorString(scope.rc));
    int rc = 0;
    long c = 0;
    for (long off = 0; off < n && rc == 0; off += chain->chunk, c++) {
        long count = n - off < chain->chunk ? n - off : chain->chunk;
        rc = queue_chunk(chain, (int)(c % CHAIN_STREAMS), in, host_out, first, off, count, stage,
                         ctx, err);
    }
    /* Wait for everything queued, also after an error (buffers are reused). */
    for (int s = 0; s < CHAIN_STREAMS; s++) {
        cudaError_t sync = cudaStreamSynchronize(chain->stream[s]);
        if (sync != cudaSuccess && rc == 0)
            rc = chain_fail(chain, err, "queued work", sync);
    }
    return rc;
}

void savu_cuda_chain_destroy(savu_cuda_chain *chain)
{
    if (!chain)
        return;
    device_scope scope(chain->device);
    for (int s = 0; s < CHAIN_STREAMS; s++)
        if (chain->stream[s])
            cudaStreamSynchronize(chain->stream[s]);
    free_buffers(chain);
    for (int s = 0; s < CHAIN_STREAMS; s++)
        if (chain->stream[s])
            cudaStreamDestroy(chain->stream[s]);
    for (int i = 0; i < chain->n_pinned; i++)
        cudaHostUnregister(chain->pinned[i]);
    cudaGetLastError();
    free(chain);
}
