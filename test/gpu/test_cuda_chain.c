/* test_cuda_chain.c: the chunked GPU pipeline of GPU-resident sections
 * (kernels/cuda/cuda_chain.h) on a GPU. A block of projections goes
 * through two stages, the dark/flat kernel and the minus logarithm, in
 * chunks smaller than the block (both streams, a short last chunk), and is
 * checked against the same formula computed on the host:
 *   - with the host buffers pinned and not, with the first stage's output
 *     brought back and not (its host buffer then stays untouched);
 *   - each stage sees the data frame numbers of its chunk;
 *   - a failing stage makes the run fail with its message;
 *   - an impossible chain (a frame larger than the device) is a one-line
 *     error, not a crash.
 *
 *     test_cuda_chain
 *
 * Exit 77 (skip) when there is no GPU, 1 when a check fails. */
#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda/cuda_chain.h"
#include "cuda/cuda_darkflat.h"
#include "gpu_check.h"
#include "minus_log.h"

enum { ROWS = 5, COLS = 12, FRAMES = 11, FIRST = 7 };
#define FRAME (ROWS * COLS)

struct stages {
    savu_cuda_darkflat *df;
    long seen_first[FRAMES], seen_n[FRAMES];
    int calls;
    int fail_at; /* call number that fails, or -1 */
};

static int stage(void *ctx, int k, float *d_in, float *d_out, long first, long n, void *stream,
                 savu_error *err)
{
    struct stages *s = ctx;
    if (s->calls == s->fail_at)
        return savu_error_set(err, "stage %d refused frames %ld..%ld", k, first, first + n - 1);
    if (k == 0) {
        s->seen_first[s->calls / 2] = first;
        s->seen_n[s->calls / 2] = n;
    }
    s->calls++;
    if (k == 0)
        return savu_cuda_darkflat_apply_device(s->df, SAVU_CUDA_PROJECTIONS, d_in, d_out, (int)n,
                                               ROWS, 0, 0, stream, err);
    int rc = savu_cuda_minus_log_device(0, d_in, (size_t)n * FRAME, stream, err);
    if (rc == 0 && cudaMemcpyAsync(d_out, d_in, sizeof(float) * n * FRAME,
                                   cudaMemcpyDeviceToDevice, (cudaStream_t)stream) != cudaSuccess)
        rc = savu_error_set(err, "copy on the device");
    return rc;
}

static double max_diff(const float *a, const float *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        m = d > m || isnan(d) ? d : m;
    }
    return m;
}

int main(void)
{
    if (no_gpu())
        return 77;
    static float dark[FRAME], flat[FRAME], raw[FRAMES * FRAME], corrected[FRAMES * FRAME],
        logged[FRAMES * FRAME];
    srand(5);
    for (int p = 0; p < FRAME; p++) {
        dark[p] = (float)(rand() % 50);
        flat[p] = dark[p] + 500.0f + (float)(rand() % 300);
    }
    flat[3] = dark[3]; /* zero denominator: inverse 1 */
    for (int i = 0; i < FRAMES * FRAME; i++) {
        int p = i % FRAME;
        raw[i] = dark[p] + (float)(rand() % 900);
        double inverse = flat[p] == dark[p] ? 1.0 : 1.0 / ((double)flat[p] - dark[p]);
        corrected[i] = (raw[i] - dark[p]) * (float)inverse;
        logged[i] = minus_log_value(corrected[i]);
    }
    savu_error err;
    struct stages s = {.fail_at = -1};
    s.df = savu_cuda_darkflat_create(0, ROWS, COLS, dark, flat, &err);
    check(s.df != NULL, "dark/flat on the device (%s)", s.df ? "" : err.msg);
    const long floats[3] = {FRAME, FRAME, FRAME};
    /* 3 frames' buffers per chunk: chunks of 3, 3, 3, 2. */
    savu_cuda_chain *chain = savu_cuda_chain_create(0, 2, floats, FRAMES, 3 * 3 * FRAME * 4, &err);
    check(chain && savu_cuda_chain_chunk(chain) == 3, "a chain in chunks of 3 frames (%s)",
          chain ? "" : err.msg);
    if (!chain || !s.df)
        return 1;

    float *first_out = xmalloc(sizeof raw), *last_out = xmalloc(sizeof raw);
    for (int pinned = 0; pinned < 2; pinned++)
        for (int back = 0; back < 2; back++) {
            if (pinned && back == 0) {
                check(savu_cuda_chain_pin(chain, raw, sizeof raw) == 0 &&
                          savu_cuda_chain_pin(chain, first_out, sizeof raw) == 0 &&
                          savu_cuda_chain_pin(chain, last_out, sizeof raw) == 0,
                      "host buffers pinned");
            }
            for (int i = 0; i < FRAMES * FRAME; i++)
                first_out[i] = last_out[i] = -7.0f;
            s.calls = 0;
            float *outs[2] = {back ? first_out : NULL, last_out};
            int rc = savu_cuda_chain_run(chain, raw, outs, FIRST, FRAMES, stage, &s, &err);
            check(rc == 0, "run (pinned %d, first output back %d)%s%s", pinned, back,
                  rc ? ": " : "", rc ? err.msg : "");
            double d = max_diff(last_out, logged, FRAMES * FRAME);
            check(d <= 2e-6, "last stage = -log((raw - dark) / (flat - dark)) (max diff %.2g)", d);
            if (back) {
                d = max_diff(first_out, corrected, FRAMES * FRAME);
                check(d <= 1e-6, "first stage brought back = the correction (max diff %.2g)", d);
            } else {
                check(first_out[0] == -7.0f && first_out[FRAMES * FRAME - 1] == -7.0f,
                      "first stage left on the device: its host buffer untouched");
            }
            check(s.calls == 8 && s.seen_first[0] == FIRST && s.seen_n[0] == 3 &&
                      s.seen_first[3] == FIRST + 9 && s.seen_n[3] == 2,
                  "4 chunks, each stage told its frames (%d calls; last chunk %ld + %ld)",
                  s.calls, s.seen_first[3], s.seen_n[3]);
        }

    s.calls = 0;
    s.fail_at = 5; /* the third chunk's second stage */
    float *outs[2] = {NULL, last_out};
    int rc = savu_cuda_chain_run(chain, raw, outs, FIRST, FRAMES, stage, &s, &err);
    check(rc != 0 && strstr(err.msg, "stage 1 refused frames 13..15"),
          "a failing stage fails the run with its message: %s", rc ? err.msg : "(succeeded)");
    savu_cuda_chain_destroy(chain);

    const long huge[2] = {(long)1 << 40, 1};
    chain = savu_cuda_chain_create(0, 1, huge, 1, 0, &err);
    check(!chain && strstr(err.msg, "CUDA device 0: GPU chain:") && !strchr(err.msg, '\n'),
          "a frame larger than the device: one line: %s", chain ? "(created)" : err.msg);
    savu_cuda_chain_destroy(chain);
    savu_cuda_darkflat_destroy(s.df);
    free(first_out);
    free(last_out);
    printf("%s\n", failures ? "FAILED" : "PASS");
    return failures ? 1 : 0;
}
