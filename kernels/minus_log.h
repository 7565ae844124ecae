/* minus_log.h: the minus logarithm that turns a normalised intensity into an
 * attenuation line integral, shared by the CPU (TomoRecon's `log`) and the
 * GPU (the dark/flat kernel with take_log), so that both give the same
 * value:
 *     v > SAVU_MIN_TRANSMISSION   -log(v)
 *     NaN                         0
 *     otherwise                   -log(SAVU_MIN_TRANSMISSION)
 * (zero or negative intensities are noise on an opaque region: their
 * logarithm would be infinite or undefined). Header only: C and CUDA. */
#ifndef SAVU_MINUS_LOG_H
#define SAVU_MINUS_LOG_H

#include <math.h>

#define SAVU_MIN_TRANSMISSION 1e-6f

#ifdef __CUDACC__
#define SAVU_HOST_DEVICE __host__ __device__
#else
#define SAVU_HOST_DEVICE
#endif

static inline SAVU_HOST_DEVICE float minus_log_value(float v)
{
    return v > SAVU_MIN_TRANSMISSION ? -logf(v) : isnan(v) ? 0.0f : -logf(SAVU_MIN_TRANSMISSION);
}

#endif
