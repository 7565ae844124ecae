/* nexus_write_values.c: writing NX_class attributes, strings, booleans and
 * integers with exactly the HDF5 types of Savu's process lists (declared in
 * nexus_hdf5.h; compare `h5dump -H` of a list written by Savu). */
#include "nexus_hdf5.h"
#include <stdint.h>
#include <string.h>

enum shape { SCALAR, ONE_ELEMENT };

/* Writes one value as a dataset of file type `type` (memory type mem). */
static int write_dataset(hid_t loc, const char *name, hid_t type, hid_t mem, enum shape shape,
                         const void *buf)
{
    hsize_t one = 1;
    hid_t space = shape == ONE_ELEMENT ? H5Screate_simple(1, &one, NULL) : H5Screate(H5S_SCALAR);
    hid_t dset = space >= 0 ? H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int rc = dset >= 0 && H5Dwrite(dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, space);
    return savu_h5_close(rc, dset);
}

static hid_t variable_string_type(H5T_cset_t cset)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    if (type >= 0 && (H5Tset_size(type, H5T_VARIABLE) < 0 || H5Tset_cset(type, cset) < 0 ||
                      H5Tset_strpad(type, H5T_STR_NULLTERM) < 0)) {
        savu_h5_close(-1, type);
        return -1;
    }
    return type;
}

int savu_h5_write_nx_class(hid_t obj, const char *nx_class, H5T_cset_t cset)
{
    hid_t type = variable_string_type(cset);
    hid_t space = type >= 0 ? H5Screate(H5S_SCALAR) : -1;
    hid_t attr = space >= 0 ? H5Acreate2(obj, "NX_class", type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int rc = attr >= 0 && H5Awrite(attr, type, &nx_class) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, attr);
    rc = savu_h5_close(rc, space);
    return savu_h5_close(rc, type);
}

hid_t savu_h5_create_group(hid_t parent, const char *name, const char *nx_class, H5T_cset_t cset)
{
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g >= 0 && savu_h5_write_nx_class(g, nx_class, cset) < 0) {
        savu_h5_close(-1, g);
        return -1;
    }
    return g;
}

int savu_h5_write_fixed_string(hid_t loc, const char *name, const char *text)
{
    size_t len = strlen(text);
    hid_t type = H5Tcopy(H5T_C_S1);
    int rc = type >= 0 && H5Tset_size(type, len ? len : 1) >= 0 &&
                     H5Tset_strpad(type, H5T_STR_NULLPAD) >= 0 && H5Tset_cset(type, H5T_CSET_ASCII) >= 0
                 ? write_dataset(loc, name, type, type, ONE_ELEMENT, text) /* "" has its 1 byte: the NUL */
                 : -1;
    return savu_h5_close(rc, type);
}

int savu_h5_write_variable_string(hid_t loc, const char *name, const char *text, H5T_cset_t cset)
{
    hid_t type = variable_string_type(cset);
    int rc = type >= 0 ? write_dataset(loc, name, type, type, SCALAR, &text) : -1;
    return savu_h5_close(rc, type);
}

int savu_h5_write_bool(hid_t loc, const char *name, bool value)
{
    int8_t no = 0, yes = 1, v = value ? 1 : 0;
    hid_t type = H5Tenum_create(H5T_STD_I8LE);
    int rc = type >= 0 && H5Tenum_insert(type, "FALSE", &no) >= 0 && H5Tenum_insert(type, "TRUE", &yes) >= 0
                 ? write_dataset(loc, name, type, type, ONE_ELEMENT, &v)
                 : -1;
    return savu_h5_close(rc, type);
}

int savu_h5_write_int32(hid_t loc, const char *name, int value)
{
    int32_t v = value;
    return write_dataset(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, SCALAR, &v);
}
