/* cuda_device.h: which CUDA devices this process can use, and a self-test
 * that runs a compiled kernel on one and checks its result on the host. The
 * engine uses these to decide `--gpu auto` and to bind ranks to devices. */
#ifndef SAVU_CUDA_DEVICE_H
#define SAVU_CUDA_DEVICE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of usable CUDA devices; 0 when there is no GPU or no driver. */
int savu_cuda_device_count(void);

/* Writes "NAME (sm_XY, N MiB)" of device `dev` into out; 0 or -1 with the
 * CUDA error text in out. */
int savu_cuda_device_describe(int dev, char *out, size_t size);

/* Starts the CUDA driver and creates the primary context of device
 * `local_rank % device count` (what a process pays on its first CUDA call,
 * a few tenths of a second), so that it can run on a thread of its own
 * while the process does something else. Errors are left for later calls
 * to meet. */
void savu_cuda_warm_up(int local_rank);

/* Destroys this process's context on device `dev` (cudaDeviceReset) once
 * nothing of it is used any more, so that the teardown need not wait for
 * the process's exit. */
void savu_cuda_release(int dev);

/* Runs y = a*x + y over n floats on device `dev` and compares with the host
 * computation. Returns the largest absolute difference, or a negative value
 * with the reason in `why` when the device could not run it. */
double savu_cuda_selftest(int dev, size_t n, char *why, size_t why_size);

#ifdef __cplusplus
}
#endif

#endif
