/* nexus_read_values.c: reading one string, boolean or integer from an HDF5
 * dataset however Savu, h5py or older Savu versions stored it (fixed- or
 * variable-length strings, enum or integer booleans, scalar or shape (1,)).
 * Declared in nexus_hdf5.h. */
#include "nexus_hdf5.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest text we accept from a file: far beyond any real parameter set,
 * small enough that a hostile size cannot exhaust memory. */
#define MAX_TEXT_BYTES ((size_t)64 << 20)

typedef struct one_value {
    hid_t dset, space, type;
} one_value;

static void one_value_close(one_value *v)
{
    if (v->type >= 0)
        H5Tclose(v->type);
    if (v->space >= 0)
        H5Sclose(v->space);
    if (v->dset >= 0)
        H5Dclose(v->dset);
}

static int hdf5_failure(savu_error *why, const char *name)
{
    char reason[512];
    savu_h5_reason(reason, sizeof reason);
    return savu_error_set(why, "%s cannot be read: %s", name, reason);
}

/* Opens dataset `name` and checks that it holds exactly one value. */
static int one_value_open(hid_t loc, const char *name, one_value *v, savu_error *why)
{
    v->dset = v->space = v->type = -1;
    if (!savu_h5_has(loc, name, H5O_TYPE_DATASET))
        return savu_error_set(why, "no %s dataset", name);
    v->dset = H5Dopen2(loc, name, H5P_DEFAULT);
    if (v->dset >= 0)
        v->space = H5Dget_space(v->dset);
    if (v->space >= 0)
        v->type = H5Dget_type(v->dset);
    if (v->type < 0) {
        hdf5_failure(why, name);
        one_value_close(v);
        return -1;
    }
    hssize_t n = H5Sget_simple_extent_npoints(v->space);
    if (n != 1) {
        one_value_close(v);
        return savu_error_set(why, "%s has %lld values, expected 1", name, (long long)n);
    }
    return 0;
}

static char *read_variable_string(one_value *v, const char *name, savu_error *why)
{
    hid_t mem = H5Tcopy(H5T_C_S1);
    char *raw = NULL, *text = NULL;
    if (mem < 0 || H5Tset_size(mem, H5T_VARIABLE) < 0 ||
        H5Tset_cset(mem, H5Tget_cset(v->type)) < 0 ||
        H5Dread(v->dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, &raw) < 0) {
        hdf5_failure(why, name);
    } else {
        text = strdup(raw ? raw : "");
        if (!text)
            savu_error_set(why, "%s: out of memory", name);
        H5Dvlen_reclaim(mem, v->space, H5P_DEFAULT, &raw);
    }
    if (mem >= 0)
        H5Tclose(mem);
    return text;
}

static char *read_fixed_string(one_value *v, const char *name, savu_error *why)
{
    size_t size = H5Tget_size(v->type);
    if (size == 0 || size > MAX_TEXT_BYTES) {
        savu_error_set(why, "%s has an unreasonable string size (%zu bytes)", name, size);
        return NULL;
    }
    char *text = calloc(size + 1, 1);
    if (!text) {
        savu_error_set(why, "%s: out of memory", name);
        return NULL;
    }
    hid_t mem = H5Tcopy(v->type);
    if (mem < 0 || H5Dread(v->dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) < 0) {
        hdf5_failure(why, name);
        free(text);
        text = NULL;
    } else if (H5Tget_strpad(v->type) == H5T_STR_SPACEPAD) {
        size_t len = strlen(text);
        while (len > 0 && text[len - 1] == ' ')
            text[--len] = '\0';
    }
    if (mem >= 0)
        H5Tclose(mem);
    return text;
}

char *savu_h5_read_string(hid_t loc, const char *name, savu_error *why)
{
    one_value v;
    if (one_value_open(loc, name, &v, why) < 0)
        return NULL;
    char *text = NULL;
    if (H5Tget_class(v.type) != H5T_STRING)
        savu_error_set(why, "%s is not a string", name);
    else if (H5Tis_variable_str(v.type) > 0)
        text = read_variable_string(&v, name, why);
    else
        text = read_fixed_string(&v, name, why);
    one_value_close(&v);
    return text;
}

/* Reads an integer or enum value, converted to long long. */
static int read_integer(one_value *v, const char *name, long long *out, savu_error *why)
{
    if (H5Tget_class(v->type) == H5T_INTEGER) {
        if (H5Dread(v->dset, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
            return hdf5_failure(why, name);
        return 0;
    }
    /* An enum: read it in its own (native) type, then convert its integer
     * base type to long long. The buffer is large enough for both. */
    int rc = -1;
    union { long long ll; unsigned char bytes[32]; } buf;
    memset(&buf, 0, sizeof buf);
    hid_t mem = H5Tget_native_type(v->type, H5T_DIR_ASCEND);
    hid_t base = mem >= 0 ? H5Tget_super(mem) : -1;
    if (base >= 0 && H5Tget_size(mem) <= sizeof buf.bytes &&
        H5Dread(v->dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.bytes) >= 0 &&
        H5Tconvert(base, H5T_NATIVE_LLONG, 1, buf.bytes, NULL, H5P_DEFAULT) >= 0) {
        *out = buf.ll;
        rc = 0;
    } else {
        hdf5_failure(why, name);
    }
    if (base >= 0)
        H5Tclose(base);
    if (mem >= 0)
        H5Tclose(mem);
    return rc;
}

static int bool_from_text(const char *text, bool *out)
{
    if (strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0)
        *out = true;
    else if (strcasecmp(text, "false") == 0 || strcmp(text, "0") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

int savu_h5_read_bool(hid_t loc, const char *name, bool *out, savu_error *why)
{
    one_value v;
    if (one_value_open(loc, name, &v, why) < 0)
        return -1;
    int rc = -1;
    H5T_class_t cls = H5Tget_class(v.type);
    long long value;
    if (cls == H5T_INTEGER || cls == H5T_ENUM) {
        rc = read_integer(&v, name, &value, why);
        if (rc == 0)
            *out = value != 0;
    } else if (cls == H5T_STRING) {
        one_value_close(&v);
        char *text = savu_h5_read_string(loc, name, why);
        if (!text)
            return -1;
        rc = bool_from_text(text, out);
        if (rc < 0)
            savu_error_set(why, "%s is not a boolean ('%.40s')", name, text);
        free(text);
        return rc;
    } else {
        savu_error_set(why, "%s is not a boolean", name);
    }
    one_value_close(&v);
    return rc;
}

int savu_h5_read_int(hid_t loc, const char *name, int *out, savu_error *why)
{
    one_value v;
    if (one_value_open(loc, name, &v, why) < 0)
        return -1;
    int rc = -1;
    long long value;
    if (H5Tget_class(v.type) != H5T_INTEGER)
        savu_error_set(why, "%s is not an integer", name);
    else if (read_integer(&v, name, &value, why) == 0) {
        if (value < INT32_MIN || value > INT32_MAX)
            savu_error_set(why, "%s is out of range (%lld)", name, value);
        else {
            *out = (int)value;
            rc = 0;
        }
    }
    one_value_close(&v);
    return rc;
}
