/* gpu_select.c: this rank's CUDA device (see gpu_select.h). */
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "gpu_select.h"
#include "gpu_visible.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_device.h"
#endif

#ifdef HAVE_CUDA
static pthread_t warm_up_thread;
static bool warming_up;

static void *warm_up(void *arg)
{
    savu_cuda_warm_up((int)(long)arg);
    return NULL;
}
#endif

/* The launcher's local rank of this process, or -1 (no launcher says). */
static int launcher_local_rank(void)
{
    const char *names[] = {"OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v && *v)
            return atoi(v);
    }
    return -1;
}

/* The number of NVIDIA GPUs the driver lists, or 0. */
static int driver_gpu_count(void)
{
    DIR *dir = opendir("/proc/driver/nvidia/gpus");
    if (!dir)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        n += e->d_name[0] != '.';
    closedir(dir);
    return n;
}

/* The GPU that CUDA_VISIBLE_DEVICES was narrowed to for this process ("" if
 * it was not), for the log. */
static char own_gpu[64];

/* Before CUDA starts: see gpu_own_entry. */
static void show_own_gpu_only(int local_rank)
{
    if (gpu_own_entry(getenv("CUDA_VISIBLE_DEVICES"), driver_gpu_count(), local_rank, own_gpu,
                      sizeof own_gpu))
        setenv("CUDA_VISIBLE_DEVICES", own_gpu, 1);
}

/* Whether the command line says --gpu off (or --gpu=off). */
static bool gpu_off_asked(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--gpu=off") ||
            (!strcmp(argv[i], "--gpu") && i + 1 < argc && !strcmp(argv[i + 1], "off")))
            return true;
    return false;
}

void gpu_warm_up_begin(int argc, char **argv)
{
#ifdef HAVE_CUDA
    if (gpu_off_asked(argc, argv))
        return;
    int local_rank = launcher_local_rank();
    if (local_rank >= 0)
        show_own_gpu_only(local_rank);
    warming_up = pthread_create(&warm_up_thread, NULL, warm_up,
                                (void *)(long)(local_rank < 0 ? 0 : local_rank)) == 0;
#else
    (void)argc, (void)argv, (void)launcher_local_rank, (void)gpu_off_asked;
    (void)show_own_gpu_only;
#endif
}

void gpu_warm_up_end(void)
{
#ifdef HAVE_CUDA
    if (warming_up)
        pthread_join(warm_up_thread, NULL);
    warming_up = false;
#endif
}

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
    gpu_warm_up_end();
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
    if (own_gpu[0])
        snprintf(out, size, "GPU %s (CUDA_VISIBLE_DEVICES): %s", own_gpu, name);
    else
        snprintf(out, size, "GPU %d: %s", opt->gpu_device, name);
#endif
}
