/* phantom_result.h: the reconstructed volume that `savu_phantom score`
 * reads — a numeric dataset of shape (width, rows, width) (voxel_x,
 * voxel_y, voxel_z, geometry.h) in an HDF5 file, named as FILE:/path or
 * found by its shape when the path is left out. Read one slice (one row v)
 * at a time, as double. */
#ifndef SAVU_PHANTOM_RESULT_H
#define SAVU_PHANTOM_RESULT_H

#include <hdf5.h>
#include "error.h"

typedef struct savu_result_volume {
    char *file_name;
    char *path; /* dataset path inside the file */
    hid_t file, set, file_space, slice_space;
    int width, rows;
} savu_result_volume;

/* Splits "FILE:/path" at the first ":/" whose left part is an existing
 * file; the whole spec is the file when none is (then *path is NULL).
 * Returns -1 only when out of memory. */
int savu_result_split_spec(const char *spec, char **file, char **path);

/* Opens the volume and checks its shape against (width, rows, width).
 * Errors: "cannot read r.h5: No such file or directory",
 * "r.h5:/entry/x has shape (4, 5, 6), expected (160, 135, 160)",
 * "r.h5 has no dataset of shape (160, 135, 160); name one as r.h5:/path",
 * "r.h5 has several datasets of shape (...): /a, /b; name one as r.h5:/path". */
int savu_result_open(savu_result_volume *r, const char *spec, int width, int rows,
                     savu_error *err);

/* Slice v into out[ix * width + iz]. The signature of savu_slice_read_fn. */
int savu_result_read_slice(void *result, int v, double *out, savu_error *err);

void savu_result_close(savu_result_volume *r);

#endif
