/* phantom_truth.h: the ideal reconstruction of a phantom scan — the
 * point-sampled phantom times its scale (attenuation per pixel, as
 * geometry.h), the volume `savu_phantom score` compares against — written
 * as float32 (width, rows, width) at /entry/data/data of an HDF5 file, one
 * chunk per row, atomically. For comparisons in other tools. */
#ifndef SAVU_PHANTOM_TRUTH_H
#define SAVU_PHANTOM_TRUTH_H

#include "error.h"
#include "phantom_params.h"

#define SAVU_PHANTOM_TRUTH_PATH "/entry/data/data"

/* Errors are one line: "cannot write /x/t.h5: Permission denied". */
int savu_phantom_write_truth(const savu_phantom_params *p, const char *path, savu_error *err);

#endif
