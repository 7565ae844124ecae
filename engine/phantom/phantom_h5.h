/* phantom_h5.h: the small HDF5 writers savu_phantom's files are made of —
 * NeXus groups with their NX_class, string attributes and datasets, scalar
 * and 1-D datasets. Each returns 0 (or the new group), or -1 with the reason
 * left on HDF5's error stack for savu_h5_reason. Strings are fixed-length,
 * null-terminated ASCII. */
#ifndef SAVU_PHANTOM_H5_H
#define SAVU_PHANTOM_H5_H

#include <hdf5.h>

/* A new group carrying its NeXus class. */
hid_t phantom_h5_group(hid_t parent, const char *name, const char *nx_class);

int phantom_h5_string_attr(hid_t obj, const char *name, const char *value);
int phantom_h5_string(hid_t loc, const char *name, const char *value);

/* A scalar dataset of file type `type` from memory of `mem_type`. */
int phantom_h5_scalar(hid_t loc, const char *name, hid_t type, hid_t mem_type,
                      const void *value);
int phantom_h5_double(hid_t loc, const char *name, double value);

/* A 1-D float64 dataset, with a units attribute unless units is NULL. */
int phantom_h5_vector(hid_t loc, const char *name, const double *values, hsize_t n,
                      const char *units);

#endif
