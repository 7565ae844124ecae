/* cuda_backproject.h: the backprojector of backproject.h on the GPU, for
 * the current CUDA device: filtered, weighted rows are packed into slot
 * buffers and every output voxel sums its angles from them (see
 * cuda_fbp.h for the two precisions). Used by cuda_fbp.cu; the benchmark
 * times it on its own.
 *
 * Geometry exactly as backproject.h: pixel [ix][iz] at
 * x = ix - (width-1)/2, z = iz - (width-1)/2 reads its filtered row at
 * u = x cos(theta) + z sin(theta) + cor, interpolated linearly between pixel
 * centres with zeros at u = -1 and u = width; pixels outside the mask are 0.
 * The angle weights are NOT applied here: the rows come weighted from the
 * filter (cuda_filter.h). All calls queue work on `stream` (a cudaStream_t)
 * and return without waiting. */
#ifndef SAVU_CUDA_BACKPROJECT_H
#define SAVU_CUDA_BACKPROJECT_H

#include <stddef.h>

#include "cuda_fbp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct savu_cuda_backprojector savu_cuda_backprojector;

/* Largest |centre of rotation| accepted: positions are fp32 on the GPU. */
#define SAVU_CUDA_MAX_ABS_COR 1e6

/* A backprojector for width x width slices from n_angles rows at angles_deg
 * (degrees), mask `ratio` (<= 0: none), packed buffers for max_slices
 * slices; NULL with err set (bad arguments, the device's 2D texture limits
 * (which bound n_angles in both precisions), out of device memory). */
savu_cuda_backprojector *savu_cuda_backprojector_create(int width, int n_angles,
                                                        const double *angles_deg, double ratio,
                                                        enum savu_cuda_precision precision,
                                                        int max_slices, savu_error *err);

/* Device bytes a backprojector of these sizes takes; 0 when out of range. */
size_t savu_cuda_backprojector_bytes(int width, int n_angles, enum savu_cuda_precision precision,
                                     int max_slices);

/* Backprojects n_slices (any number; more than max_slices go in turns)
 * filtered sinograms: row (s, a) at d_filtered + (s * n_angles + a) * pitch,
 * its first `width` floats used; cor[s] on the host; into d_out
 * [slice][ix][iz]. 0, or -1 with err set. */
int savu_cuda_backprojector_execute(savu_cuda_backprojector *bp, const float *d_filtered,
                                    size_t pitch, int n_slices, const double *cor, float *d_out,
                                    void *stream, savu_error *err);

void savu_cuda_backprojector_destroy(savu_cuda_backprojector *bp);

#ifdef __cplusplus
}
#endif

#endif
