/* nxdata_write.c: an NXdata group's axes and signal attributes in Savu's
 * layout (see nxdata_write.h). */
#include "nxdata_write.h"
#include "nexus_hdf5.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reserved_names[] = { "data", "meta_data", "patterns" };

static int check_label(const struct nxdata_axes *axes, int d, savu_error *why)
{
    const char *label = axes->labels ? axes->labels[d] : NULL;
    if (!label || !*label)
        return savu_error_set(why, "axis %d has no label", d);
    if (strlen(label) > NXDATA_MAX_LABEL)
        return savu_error_set(why, "axis %d has a label longer than %d characters", d, NXDATA_MAX_LABEL);
    if (strchr(label, '/') || strcmp(label, ".") == 0 || strcmp(label, "..") == 0)
        return savu_error_set(why, "axis %d has label '%s', which is not a dataset name", d, label);
    for (size_t i = 0; i < sizeof reserved_names / sizeof *reserved_names; i++)
        if (strcmp(label, reserved_names[i]) == 0)
            return savu_error_set(why, "axis %d has label '%s', a name the NXdata group uses itself", d,
                                  label);
    for (int e = 0; e < d; e++)
        if (strcmp(label, axes->labels[e]) == 0)
            return savu_error_set(why, "axis label '%s' is used twice (axes %d and %d)", label, e, d);
    return 0;
}

int nxdata_check_axes(const struct nxdata_axes *axes, savu_error *why)
{
    if (axes->ndims < 1 || axes->ndims > NXDATA_MAX_DIMS)
        return savu_error_set(why, "%d dimensions, expected 1 to %d", axes->ndims, NXDATA_MAX_DIMS);
    for (int d = 0; d < axes->ndims; d++) {
        if (axes->shape[d] < 1)
            return savu_error_set(why, "axis %d has length 0", d);
        if (check_label(axes, d, why) < 0)
            return -1;
    }
    return 0;
}

int nxdata_string_attr(hid_t obj, const char *name, const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    int rc = type >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 && H5Tset_cset(type, H5T_CSET_UTF8) >= 0 ? 0 : -1;
    hid_t space = rc == 0 ? H5Screate(H5S_SCALAR) : -1;
    hid_t attr = space >= 0 ? H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    rc = attr >= 0 && H5Awrite(attr, type, &value) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, attr);
    rc = savu_h5_close(rc, space);
    return savu_h5_close(rc, type);
}

/* axes=[labels]: a 1-D array of variable-length UTF-8 strings. */
static int write_axes_attr(hid_t group, const struct nxdata_axes *axes)
{
    hsize_t n = (hsize_t)axes->ndims;
    hid_t type = H5Tcopy(H5T_C_S1);
    int rc = type >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 && H5Tset_cset(type, H5T_CSET_UTF8) >= 0 ? 0 : -1;
    hid_t space = rc == 0 ? H5Screate_simple(1, &n, NULL) : -1;
    hid_t attr = space >= 0 ? H5Acreate2(group, "axes", type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    rc = attr >= 0 && H5Awrite(attr, type, axes->labels) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, attr);
    rc = savu_h5_close(rc, space);
    return savu_h5_close(rc, type);
}

static int write_int64_attr(hid_t obj, const char *name, int64_t value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = space >= 0 ? H5Acreate2(obj, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int rc = attr >= 0 && H5Awrite(attr, H5T_NATIVE_INT64, &value) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, attr);
    return savu_h5_close(rc, space);
}

int nxdata_write_vector(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, hsize_t n,
                        const void *values, hid_t dxpl, bool write_values)
{
    static const double nothing = 0;
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t dset = space >= 0 ? H5Dcreate2(loc, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int rc = dset >= 0 ? 0 : -1;
    if (rc == 0 && !write_values)
        rc = H5Sselect_none(space) >= 0 ? 0 : -1;
    if (rc == 0)
        rc = H5Dwrite(dset, mem_type, space, space, dxpl, write_values ? values : &nothing) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, dset);
    return savu_h5_close(rc, space);
}

/* The axis dataset <label>: its values (0..n-1 when none are given) and units. */
static int write_axis(hid_t group, const struct nxdata_axes *axes, int d, hid_t dxpl, bool write_values)
{
    hsize_t n = axes->shape[d];
    const double *values = axes->values ? axes->values[d] : NULL;
    double *counting = NULL;
    if (!values && write_values) {
        counting = malloc(n * sizeof *counting);
        if (!counting)
            return -1;
        for (hsize_t i = 0; i < n; i++)
            counting[i] = (double)i;
        values = counting;
    }
    const char *label = axes->labels[d];
    int rc = nxdata_write_vector(group, label, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, values, dxpl, write_values);
    free(counting);
    const char *units = axes->units ? axes->units[d] : NULL;
    if (rc == 0 && units) {
        hid_t dset = H5Dopen2(group, label, H5P_DEFAULT);
        rc = dset >= 0 && nxdata_string_attr(dset, "units", units) == 0 ? 0 : -1;
        rc = savu_h5_close(rc, dset);
    }
    return rc;
}

int nxdata_write_axes(hid_t group, const struct nxdata_axes *axes, hid_t dxpl, bool write_values)
{
    int rc = nxdata_string_attr(group, "signal", "data") == 0 && write_axes_attr(group, axes) == 0 ? 0 : -1;
    for (int d = 0; d < axes->ndims && rc == 0; d++) {
        char name[NXDATA_MAX_LABEL + sizeof "_indices"];
        snprintf(name, sizeof name, "%s_indices", axes->labels[d]);
        rc = write_int64_attr(group, name, d) == 0 ? write_axis(group, axes, d, dxpl, write_values) : -1;
    }
    return rc;
}
