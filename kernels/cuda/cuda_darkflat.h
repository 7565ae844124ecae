/* cuda_darkflat.h: dark- and flat-field correction on a CUDA GPU, with an
 * optional minus logarithm — what plugins/dark_flat_field_correction_run.c
 * and the `log` step of plugins/tomo_recon_run.c do on the CPU, for blocks
 * already on the device:
 *     v = (raw - dark) * inverse,  inverse = 1 / (flat - dark), or 1 where
 *         flat == dark (computed once on the host in double, as the CPU
 *         plugin does);
 *     v = 0 where v is not finite;
 *     with take_log: v = minus_log_value(v) (minus_log.h, as on the CPU).
 * (The CPU plugin's lower/upper bounds are not applied here.)
 *
 * Blocks come in two layouts, for detector rows first_row ..
 * first_row + n_rows - 1 of the dark and flat images:
 *     SAVU_CUDA_PROJECTIONS  [n_frames][n_rows][cols]   (frames = projections)
 *     SAVU_CUDA_SINOGRAMS    [n_rows][n_frames][cols]   (frames = angles)
 * Built only when configure finds CUDA (HAVE_CUDA). */
#ifndef SAVU_CUDA_DARKFLAT_H
#define SAVU_CUDA_DARKFLAT_H

#ifdef __cplusplus
extern "C" {
#endif

#include <stddef.h>
#include "error.h"

enum savu_cuda_layout {
    SAVU_CUDA_PROJECTIONS = 0,
    SAVU_CUDA_SINOGRAMS = 1,
};

typedef struct savu_cuda_darkflat savu_cuda_darkflat;

/* Dark and flat images of rows x cols detector pixels ([row][col]; dark NULL:
 * 0) uploaded to CUDA device `device`. NULL with err set. */
savu_cuda_darkflat *savu_cuda_darkflat_create(int device, int rows, int cols, const float *dark,
                                              const float *flat, savu_error *err);

/* Corrects a block on the device (d_in and d_out may be the same) with the
 * layout and sizes above; queued on `stream` (a cudaStream_t, NULL: the
 * legacy default stream), returns without waiting. 0, or -1 with err set. */
int savu_cuda_darkflat_apply_device(const savu_cuda_darkflat *df, enum savu_cuda_layout layout,
                                    const float *d_in, float *d_out, int n_frames, int n_rows,
                                    int first_row, int take_log, void *stream, savu_error *err);

/* The same for a block in host memory (copied to the device and back;
 * synchronous). */
int savu_cuda_darkflat_apply(const savu_cuda_darkflat *df, enum savu_cuda_layout layout,
                             const float *in, float *out, int n_frames, int n_rows,
                             int first_row, int take_log, savu_error *err);

void savu_cuda_darkflat_destroy(savu_cuda_darkflat *df);

/* data[i] = minus_log_value(data[i]) for n values on CUDA device `device`
 * (the `log` step of TomoRecon on a block already there), queued on
 * `stream` (NULL: the legacy default stream). 0, or -1 with err set. */
int savu_cuda_minus_log_device(int device, float *d_data, size_t n, void *stream,
                               savu_error *err);

#ifdef __cplusplus
}
#endif

#endif
