/* grey_levels.h: 8-bit grey images of float panels for the preview PNG:
 * the grey range from percentiles of the panels' finite values, and the
 * panels drawn side by side with it. Both split their work over a thread
 * pool (NULL: the calling thread) and give the same result for any number
 * of threads. */
#ifndef SAVU_GREY_LEVELS_H
#define SAVU_GREY_LEVELS_H

#include <stddef.h>
#include "cpu/thread_pool.h"

typedef struct grey_panel {
    const float *values; /* rows x cols, row-major */
    long rows, cols;
} grey_panel;

/* The k_low-th and k_high-th smallest (0-based) of the panels' finite
 * values, where k = (size_t)(fraction * (n - 1) + 0.5) of the n finite
 * values; lo = hi = 0 when there are none. Exact (a radix selection on the
 * values' bits, no sampling). -1 when out of memory. */
int grey_percentile_range(const grey_panel *panels, int n_panels, double low_fraction,
                          double high_fraction, savu_thread_pool *pool, float *lo, float *hi);

/* Value x as a grey level: lo..hi to 0..255 (rounded, clipped), NaN black,
 * mid-grey when hi <= lo. */
unsigned char grey_level(float x, float lo, float hi);

/* The panels side by side, top-aligned, gap pixels apart, background
 * elsewhere: a malloc'd width x height image, or NULL (out of memory). */
unsigned char *grey_compose(const grey_panel *panels, int n_panels, long gap,
                            unsigned char background, float lo, float hi,
                            savu_thread_pool *pool, long *width, long *height);

#endif
