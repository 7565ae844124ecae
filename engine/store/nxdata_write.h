/* nxdata_write.h: the description of a NeXus NXdata group's signal `data` in
 * Savu's layout (reference savu-engine.md §1.6): the attributes
 * signal="data", axes=[labels] and <label>_indices=d, and one float64 dataset
 * per axis with its values and a `units` attribute. Written into the result
 * files (by all MPI ranks together, result_h5file.c) and into
 * <stem>_processed.nxs (by one process, processed_nexus.c). */
#ifndef SAVU_NXDATA_WRITE_H
#define SAVU_NXDATA_WRITE_H

#include <stdbool.h>
#include <hdf5.h>
#include "error.h"

#define NXDATA_MAX_DIMS 11 /* a dataset's 6 and 5 tuning dims */
#define NXDATA_MAX_LABEL 255

struct nxdata_axes {
    int ndims;
    const hsize_t *shape;
    const char *const *labels;   /* one name per dim: "voxel_x", "rotation_angle" */
    const char *const *units;    /* NULL, or one per dim ("pixel"; NULL: no units) */
    const double *const *values; /* NULL, or one per dim (shape[d] values; NULL: 0..n-1) */
};

/* Checks that ndims is 1..NXDATA_MAX_DIMS, every length at least 1 and every
 * label a usable, unique dataset name (at most NXDATA_MAX_LABEL characters,
 * no '/') that the group does not use itself
 * (data, meta_data, patterns). Error: one phrase for the caller to prefix,
 * e.g. "axis 2 has no label", "axis label 'voxel_x' is used twice". */
int nxdata_check_axes(const struct nxdata_axes *axes, savu_error *why);

/* Writes the attributes and the axis datasets into group (checked axes).
 * dxpl: the transfer property list for the values; write_values: whether this
 * process writes them (in parallel all ranks make the same HDF5 calls, which
 * are collective, and one of them passes true). Returns 0, or -1 with the
 * reason on HDF5's error stack. */
int nxdata_write_axes(hid_t group, const struct nxdata_axes *axes, hid_t dxpl, bool write_values);

/* A 1-D dataset `name` of n values (mem_type in memory, file_type in the
 * file), written as nxdata_write_axes writes values. */
int nxdata_write_vector(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, hsize_t n,
                        const void *values, hid_t dxpl, bool write_values);

/* A scalar variable-length UTF-8 string attribute (what h5py writes for a
 * Python str). */
int nxdata_string_attr(hid_t obj, const char *name, const char *value);

#endif
