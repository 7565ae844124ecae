/* png_preview.h: a PNG (libpng, 8-bit grey) of the three central orthogonal
 * slices of a final volume, side by side with a gap, each scaled from the
 * 0.5th to the 99.5th percentile of the three slices' finite values (NaN
 * black), for a quick look at a result: read from the result file (the
 * first variant of a tuned result). Written under a temporary name and
 * renamed when complete (png_grey.h). */
#ifndef SAVU_PNG_PREVIEW_H
#define SAVU_PNG_PREVIEW_H

#include "error.h"

/* The three central slices of the 3-D float dataset (first three dims; any
 * further tuning dims at index 0) data_path of h5_file, as png_path. Error:
 * one line naming the file. Reads only the three slices. */
int png_preview_write(const char *h5_file, const char *data_path, const char *png_path,
                      savu_error *err);

/* The same from the three central slices already in memory (the engine
 * collects them as it computes: reading them back from a large chunked
 * file would read most of it): cut[0], the slice at the centre of dim 0, is
 * [d1][d2]; cut[1] [d0][d2]; cut[2] [d1][d0] — dim 1 runs down the rows of
 * every panel. The grey levels, the image and its compression run on
 * `threads` threads; the file is the same for any number. */
int png_preview_write_slices(float *const cut[3], const long dims[3], const char *png_path,
                             int threads, savu_error *err);

#endif
