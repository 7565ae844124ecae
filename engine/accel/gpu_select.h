/* gpu_select.h: which CUDA device this rank computes on. With --gpu auto
 * (the default) a rank uses a GPU when the build has CUDA and the node has
 * a device; --gpu on makes a missing GPU an error; --gpu off keeps every
 * plugin on the CPU. Ranks of a node share its devices round-robin: device
 * local_rank % device_count. A process started by a launcher (mpirun, srun)
 * on a node with several GPUs narrows CUDA_VISIBLE_DEVICES to its own one
 * before CUDA starts, so that it does not initialise the others. */
#ifndef SAVU_GPU_SELECT_H
#define SAVU_GPU_SELECT_H

#include "error.h"
#include "options.h"

/* Starts the CUDA driver and this process's context on a thread of its
 * own, before MPI_Init, so that the two overlap: unless the command line
 * says --gpu off, on the device the launcher's local rank (Open MPI's,
 * MPICH's or Slurm's variable, else 0) will pick. Nothing without CUDA.
 * gpu_select waits for it; so must an early exit (gpu_warm_up_end). */
void gpu_warm_up_begin(int argc, char **argv);
void gpu_warm_up_end(void);

/* Sets opt->gpu_device (-1: the CPU). -1 with err for --gpu on without a
 * usable device: "--gpu on: no CUDA device on this node (or ...)". */
int gpu_select(struct engine_options *opt, int local_rank, savu_error *err);

/* "GPU 0: NVIDIA H200 (sm_90, 143771 MiB)" or "CPU" for the log. */
void gpu_describe(const struct engine_options *opt, char *out, size_t size);

#endif
