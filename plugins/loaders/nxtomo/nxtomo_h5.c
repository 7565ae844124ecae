/* nxtomo_h5.c: the HDF5 side of the NXtomo input (nxtomo_internal.h):
 * opening a file read-only with a one-line reason when it cannot be, link
 * access that resolves external links from the file's directory, absolute
 * paths, existence checks that never raise, and opening and reading the
 * numeric datasets (frames, image key, angles, separate darks and flats). */
#include "nxtomo_internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "nexus_hdf5.h"

int nxtomo_h5_fail(savu_error *err, const char *fmt, ...)
{
    char what[768], reason[512];
    savu_h5_reason(reason, sizeof reason); /* before anything clears the stack */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return savu_error_set(err, "%s: %s", what, reason);
}

/* Why `name` is no file HDF5 could open, from the file system; NULL when
 * it is a readable regular file. */
static const char *file_problem(const char *name)
{
    struct stat st;
    if (stat(name, &st) != 0)
        return strerror(errno);
    if (S_ISDIR(st.st_mode))
        return "is a directory";
    if (!S_ISREG(st.st_mode))
        return "not a regular file";
    FILE *f = fopen(name, "rb");
    if (!f)
        return strerror(errno);
    fclose(f);
    return NULL;
}

int nxtomo_h5_open_file(const char *name, const char *role, hid_t *file, savu_error *err)
{
    *file = -1;
    if (!name || !*name)
        return savu_error_set(err, "no %s given", role);
    const char *problem = file_problem(name);
    if (problem)
        return savu_error_set(err, "cannot open %s '%s': %s", role, name, problem);
#if H5_VERSION_GE(1, 12, 0)
    htri_t is_hdf5 = H5Fis_accessible(name, H5P_DEFAULT);
#else
    htri_t is_hdf5 = H5Fis_hdf5(name);
#endif
    if (is_hdf5 <= 0)
        return savu_error_set(err, "cannot open %s '%s': not an HDF5 file", role, name);
    *file = H5Fopen(name, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (*file < 0)
        return nxtomo_h5_fail(err, "cannot open %s '%s'", role, name);
    return 0;
}

hid_t nxtomo_h5_link_access(const char *file_name)
{
    /* A dataset access list is also a link access list: one serves both
     * H5Lexists and H5Dopen2. */
    hid_t lapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (lapl < 0)
        return -1;
    const char *slash = strrchr(file_name, '/');
    char *dir = slash ? strndup(file_name, (size_t)(slash - file_name) + (slash == file_name))
                      : strdup(".");
    if (!dir || H5Pset_elink_prefix(lapl, dir) < 0 ||
        H5Pset_elink_acc_flags(lapl, H5F_ACC_RDONLY) < 0) {
        free(dir);
        H5Pclose(lapl);
        return -1;
    }
    free(dir);
    return lapl;
}

char *nxtomo_h5_absolute(const char *path)
{
    if (!path)
        return NULL;
    size_t n = strlen(path);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t used = 0;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        if (len == 0)
            break;
        out[used++] = '/';
        memcpy(out + used, p, len);
        used += len;
        p += len;
    }
    out[used] = '\0';
    if (used == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Whether the object at `parent` (which exists) is a group. HDF5's error
 * stack is kept as it was, for the caller's message. */
static bool is_group(hid_t file, hid_t lapl, const char *parent)
{
    hid_t stack = H5Eget_current_stack();
    H5O_info_t info;
    bool group = H5Oget_info_by_name2(file, parent, &info, H5O_INFO_BASIC, lapl) >= 0 &&
                 info.type == H5O_TYPE_GROUP;
    if (stack >= 0)
        H5Eset_current_stack(stack);
    return group;
}

int nxtomo_h5_lookup(hid_t file, hid_t lapl, const char *path)
{
    if (!path || path[0] != '/')
        return 0;
    if (path[1] == '\0')
        return 1;
    char *prefix = strdup(path);
    if (!prefix)
        return -1;
    int state = 1;
    /* Each link along the way, so that a missing group is no error. */
    for (char *p = prefix + 1; state == 1; p++) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        htri_t found = H5Lexists(file, prefix, lapl);
        if (found < 0 && p > prefix + 1) {
            /* below a dataset: absent; below a group: the file is damaged */
            p[-1] = '\0';
            state = is_group(file, lapl, prefix) ? -1 : 0;
            p[-1] = '/';
        } else {
            state = found > 0 ? 1 : found == 0 ? 0 : -1;
        }
        if (!slash)
            break;
        *slash = '/';
        p = slash;
    }
    free(prefix);
    /* The last link may dangle (a soft or external link to nothing). */
    if (state == 1 && H5Oexists_by_name(file, path, lapl) <= 0)
        state = 0;
    return state;
}

bool nxtomo_h5_exists(hid_t file, hid_t lapl, const char *path)
{
    return nxtomo_h5_lookup(file, lapl, path) > 0;
}

static const char *type_class_name(H5T_class_t c)
{
    switch (c) {
    case H5T_STRING: return "strings";
    case H5T_COMPOUND: return "compound values";
    case H5T_ENUM: return "enumerated values";
    case H5T_ARRAY: return "arrays";
    case H5T_VLEN: return "variable-length values";
    case H5T_REFERENCE: return "references";
    case H5T_OPAQUE: return "opaque values";
    case H5T_BITFIELD: return "bit fields";
    case H5T_TIME: return "times";
    default: return "values that are not numbers";
    }
}

/* The dataset's type and shape into ds. */
static int describe(struct nxtomo_dataset *ds, savu_error *err)
{
    hid_t type = H5Dget_type(ds->id);
    if (type < 0)
        return nxtomo_h5_fail(err, "cannot read the type of '%s' in '%s'", ds->path, ds->file);
    H5T_class_t cls = H5Tget_class(type);
    ds->element_size = H5Tget_size(type);
    ds->u16 = H5Tget_class(type) == H5T_INTEGER && ds->element_size == 2 &&
              H5Tget_sign(type) == H5T_SGN_NONE;
    H5Tclose(type);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
        return savu_error_set(err, "'%s' in '%s' holds %s, not numbers", ds->path, ds->file,
                              type_class_name(cls));
    hid_t space = H5Dget_space(ds->id);
    if (space < 0)
        return nxtomo_h5_fail(err, "cannot read the shape of '%s' in '%s'", ds->path, ds->file);
    hsize_t dims[H5S_MAX_RANK];
    ds->rank = H5Sget_simple_extent_dims(space, dims, NULL);
    hssize_t npoints = H5Sget_simple_extent_npoints(space);
    H5Sclose(space);
    if (ds->rank < 0 || npoints < 0)
        return savu_error_set(err, "cannot read the shape of '%s' in '%s'", ds->path, ds->file);
    for (int i = 0; i < 3; i++)
        ds->dims[i] = i < ds->rank ? dims[i] : 1;
    ds->npoints = (long)npoints;
    return 0;
}

int nxtomo_dataset_open(hid_t file, hid_t lapl, const char *file_name, const char *path,
                        struct nxtomo_dataset *ds, savu_error *err)
{
    memset(ds, 0, sizeof *ds);
    ds->id = -1;
    ds->file = file_name;
    ds->path = strdup(path);
    if (!ds->path)
        return savu_error_set(err, "out of memory");
    int found = nxtomo_h5_lookup(file, lapl, path);
    if (found < 0)
        return nxtomo_h5_fail(err, "cannot read '%s' in '%s'", path, file_name);
    if (found == 0)
        return savu_error_set(err, "no dataset '%s' in '%s'", path, file_name);
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, path, &info, H5O_INFO_BASIC, lapl) < 0)
        return nxtomo_h5_fail(err, "cannot open '%s' in '%s'", path, file_name);
    if (info.type == H5O_TYPE_GROUP)
        return savu_error_set(err, "'%s' in '%s' is a group, not a dataset", path, file_name);
    if (info.type != H5O_TYPE_DATASET)
        return savu_error_set(err, "'%s' in '%s' is not a dataset", path, file_name);
    ds->id = H5Dopen2(file, path, lapl);
    if (ds->id < 0)
        return nxtomo_h5_fail(err, "cannot open '%s' in '%s'", path, file_name);
    return describe(ds, err);
}

void nxtomo_dataset_close(struct nxtomo_dataset *ds)
{
    nxtomo_raw_close(ds);
    if (ds->id >= 0)
        H5Dclose(ds->id);
    ds->id = -1;
    free(ds->path);
    ds->path = NULL;
    free(ds->scratch);
    ds->scratch = NULL;
    ds->scratch_size = 0;
}

int nxtomo_dataset_read_doubles(const struct nxtomo_dataset *ds, double **out, savu_error *err)
{
    *out = NULL;
    if (ds->npoints <= 0)
        return savu_error_set(err, "'%s' in '%s' is empty", ds->path, ds->file);
    double *values = malloc((size_t)ds->npoints * sizeof *values);
    if (!values)
        return savu_error_set(err, "out of memory reading '%s' in '%s'", ds->path, ds->file);
    if (H5Dread(ds->id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
        free(values);
        return nxtomo_h5_fail(err, "cannot read '%s' in '%s'", ds->path, ds->file);
    }
    *out = values;
    return 0;
}
