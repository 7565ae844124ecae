/* phantom_h5.c: small HDF5 writers for savu_phantom's files (see
 * phantom_h5.h). */
#include "phantom_h5.h"
#include <string.h>

static hid_t h5_string_type(const char *value)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    if (type < 0 || H5Tset_size(type, strlen(value) + 1) < 0 ||
        H5Tset_strpad(type, H5T_STR_NULLTERM) < 0) {
        if (type >= 0)
            H5Tclose(type);
        return -1;
    }
    return type;
}

int phantom_h5_string_attr(hid_t obj, const char *name, const char *value)
{
    hid_t type = h5_string_type(value), space = H5Screate(H5S_SCALAR), attr = -1;
    int rc = -1;
    if (type >= 0 && space >= 0)
        attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr >= 0 && H5Awrite(attr, type, value) >= 0)
        rc = 0;
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    return rc;
}

/* A scalar dataset of file type `type` from memory of `mem_type`. */
int phantom_h5_scalar(hid_t loc, const char *name, hid_t type, hid_t mem_type,
                      const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR), set = -1;
    int rc = -1;
    if (space >= 0)
        set = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (set >= 0 && H5Dwrite(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value) >= 0)
        rc = 0;
    if (set >= 0)
        H5Dclose(set);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

int phantom_h5_string(hid_t loc, const char *name, const char *value)
{
    hid_t type = h5_string_type(value);
    if (type < 0)
        return -1;
    int rc = phantom_h5_scalar(loc, name, type, type, value);
    H5Tclose(type);
    return rc;
}

int phantom_h5_double(hid_t loc, const char *name, double value)
{
    return phantom_h5_scalar(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

/* A 1-D float64 dataset, optionally with a units attribute. */
int phantom_h5_vector(hid_t loc, const char *name, const double *values, hsize_t n,
                        const char *units)
{
    hid_t space = H5Screate_simple(1, &n, NULL), set = -1;
    int rc = -1;
    if (space >= 0)
        set = H5Dcreate2(loc, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (set >= 0 && H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0)
        rc = units ? phantom_h5_string_attr(set, "units", units) : 0;
    if (set >= 0)
        H5Dclose(set);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

/* A new group carrying its NeXus class; -1 on failure. */
hid_t phantom_h5_group(hid_t parent, const char *name, const char *nx_class)
{
    hid_t group = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (group >= 0 && phantom_h5_string_attr(group, "NX_class", nx_class) < 0) {
        H5Gclose(group);
        return -1;
    }
    return group;
}
