/* gpu_select.c: this rank's CUDA device (see gpu_select.h). */
#include <stdio.h>
#include "config.h"
#include "gpu_select.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_device.h"
#endif

static int device_count(void)
{
#ifdef HAVE_CUDA
    return savu_cuda_device_count();
#else
    return 0;
#endif
}

int gpu_select(struct engine_options *opt, int local_rank, savu_error *err)
{
    opt->gpu_device = -1;
    if (opt->gpu == GPU_OFF)
        return 0;
    int n = device_count();
    if (n > 0) {
        opt->gpu_device = local_rank % n;
        return 0;
    }
    if (opt->gpu == GPU_ON)
#ifdef HAVE_CUDA
        return savu_error_set(err, "--gpu on: no usable CUDA device on this node (no GPU, or "
                                   "no driver)");
#else
        return savu_error_set(err, "--gpu on: this savu was built without CUDA (configure "
                                   "--with-cuda)");
#endif
    return 0;
}

void gpu_describe(const struct engine_options *opt, char *out, size_t size)
{
    if (opt->gpu_device < 0) {
        snprintf(out, size, "CPU");
        return;
    }
#ifdef HAVE_CUDA
    char name[256];
    if (savu_cuda_device_describe(opt->gpu_device, name, sizeof name) != 0)
        snprintf(name, sizeof name, "?");
    snprintf(out, size, "GPU %d: %s", opt->gpu_device, name);
#endif
}
