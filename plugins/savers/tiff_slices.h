/* tiff_slices.h: Savu's TiffSaver output: frames of a volume (or sinograms)
 * as 32-bit float TIFF files (libtiff, one strip per row block, sample
 * format IEEE float, uncompressed), one file per frame, named
 * <dir>/img_<prefix>_<index %05d>.tiff, or with tuning
 * <dir>/img_<prefix>_<index %05d>_v<variant %03d>.tiff. Each file is written
 * under a temporary name and renamed when complete. */
#ifndef SAVU_TIFF_SLICES_H
#define SAVU_TIFF_SLICES_H

#include "error.h"

/* The file name of frame `index` (variant < 0: untuned); malloc'd. */
char *tiff_slice_name(const char *dir, const char *prefix, long index, long variant);

/* Writes one frame of height x width floats (row-major) to path. Error:
 * "cannot write <path>: <reason>". */
int tiff_write_float(const char *path, const float *frame, long height, long width,
                     savu_error *err);

/* Reads a float32 TIFF written by tiff_write_float (for tests and tools):
 * malloc'd height*width floats. */
float *tiff_read_float(const char *path, long *height, long *width, savu_error *err);

#endif
