/* gpu_check.h: what the GPU test programs share — check() prints one "ok" or
 * "FAILED" line per check and counts the failures; xmalloc() exits on an
 * out-of-memory host allocation; no_gpu() says whether to skip (77). Included
 * by one .c per program. */
#ifndef SAVU_GPU_CHECK_H
#define SAVU_GPU_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cuda/cuda_device.h"

static int failures;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", ok ? "ok    " : "FAILED");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (!ok)
        failures++;
}

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes);
    if (!p) {
        fprintf(stderr, "out of host memory\n");
        exit(1);
    }
    return p;
}

/* 1 (and a line saying so) when there is no CUDA device; else 0 after
 * naming device 0. */
static int no_gpu(void)
{
    if (savu_cuda_device_count() == 0) {
        printf("no CUDA device: GPU tests skipped\n");
        return 1;
    }
    char name[256];
    savu_cuda_device_describe(0, name, sizeof name);
    printf("device 0: %s\n", name);
    return 0;
}

#endif
