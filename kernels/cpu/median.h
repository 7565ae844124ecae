/* median.h: the median filter and the median dezinger over a cubic
 * neighbourhood of odd side k, in one frame (2-D, k x k) or across
 * neighbouring frames (3-D, k x k x k), as Savu's MedianFilter, Dezinger and
 * DezingerSinogram compute it (through larix): a pixel's neighbours beyond
 * the frame's edge are taken at the pixel's own row or column (for k = 3 the
 * same as repeating the edge); across frames the caller hands the frames,
 * repeating the first or last where the data end. The median of n (odd)
 * values is the middle one once sorted. NaN counts as 0. */
#ifndef SAVU_KERNEL_MEDIAN_H
#define SAVU_KERNEL_MEDIAN_H

#include <stddef.h>

/* One output frame. planes: the 1 (2-D) or k (3-D) input frames, centre
 * frame in the middle, each rows x cols floats. threshold: each output value
 * is the median where |value - median| >= threshold, the value otherwise;
 * 0 (or anything not above 0) gives the plain median filter. */
struct median_frame {
    const float *const *planes;
    int n_planes;
    long rows, cols;
    int k;
    float threshold;
    float *out;
};

/* Scratch floats median_rows needs (one per worker thread). */
size_t median_scratch_floats(int k, int n_planes);

/* Rows [row_begin, row_end) of f->out. */
void median_rows(const struct median_frame *f, long row_begin, long row_end, float *scratch);

/* The standard deviation of n values (NaN as 0), in double: Savu's
 * np.std of a frame, which scales outlier_mu. */
double median_frame_std(const float *v, long n);

#endif
