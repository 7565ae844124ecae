/* gpu_visible.h: which entry of CUDA_VISIBLE_DEVICES a process of a node
 * with several GPUs keeps for itself (gpu_select.c narrows the variable to
 * it before CUDA starts, so that CUDA initialises one device only). */
#ifndef SAVU_GPU_VISIBLE_H
#define SAVU_GPU_VISIBLE_H

#include <stddef.h>

/* The CUDA_VISIBLE_DEVICES entry of the process with this launcher local
 * rank, before CUDA starts: entry local_rank % n of the n that visible
 * lists (comma-separated; NULL: the driver's driver_gpus GPUs, "0", "1",
 * ...). 1 with it in out, or 0 where nothing should change: fewer than two
 * GPUs, no local rank (-1), or a list with empty or overlong entries. */
int gpu_own_entry(const char *visible, int driver_gpus, int local_rank, char *out,
                  size_t size);

#endif
