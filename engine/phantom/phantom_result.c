/* phantom_result.c: opening a reconstructed volume and reading it slice by
 * slice (see phantom_result.h). */
#include "phantom_result.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "nexus_hdf5.h"

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int savu_result_split_spec(const char *spec, char **file, char **path)
{
    *file = *path = NULL;
    for (const char *sep = strstr(spec, ":/"); sep; sep = strstr(sep + 1, ":/")) {
        char *left = strndup(spec, (size_t)(sep - spec));
        if (!left)
            return -1;
        if (is_file(left)) {
            *file = left;
            *path = strdup(sep + 1);
            if (!*path) {
                free(left);
                *file = NULL;
                return -1;
            }
            return 0;
        }
        free(left);
    }
    *file = strdup(spec);
    return *file ? 0 : -1;
}

static void format_shape(char *out, size_t size, int rank, const hsize_t *dims)
{
    size_t used = (size_t)snprintf(out, size, "(");
    for (int i = 0; i < rank && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%llu", i ? ", " : "",
                                 (unsigned long long)dims[i]);
    if (used < size)
        snprintf(out + used, size - used, ")");
}

/* 0 when dataset `set` is numeric with dims (width, rows, width); else -1
 * with `why` describing it ("has shape (...)", "is not numeric"). */
static int check_volume(hid_t set, int width, int rows, char *why, size_t size)
{
    hid_t type = H5Dget_type(set), space = H5Dget_space(set);
    H5T_class_t cls = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    hsize_t dims[H5S_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
    int rc = -1;
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        snprintf(why, size, "is not numeric");
    } else if (rank != 3 || dims[0] != (hsize_t)width || dims[1] != (hsize_t)rows ||
               dims[2] != (hsize_t)width) {
        char shape[256];
        format_shape(shape, sizeof shape, rank < 0 ? 0 : rank, dims);
        snprintf(why, size, "has shape %s, expected (%d, %d, %d)", shape, width, rows, width);
    } else {
        rc = 0;
    }
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

/* Datasets of the wanted shape found while visiting the file. */
typedef struct shape_search {
    int width, rows;
    int found;
    char names[2][512];
} shape_search;

static herr_t visit_object(hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
    shape_search *search = data;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    hid_t set = H5Dopen2(obj, name, H5P_DEFAULT);
    if (set < 0)
        return 0;
    char why[512];
    if (check_volume(set, search->width, search->rows, why, sizeof why) == 0) {
        if (search->found < 2)
            snprintf(search->names[search->found], sizeof search->names[0], "/%s", name);
        search->found++;
    }
    H5Dclose(set);
    return 0;
}

/* The one dataset of the wanted shape; r->path is set, or -1. */
static int find_by_shape(savu_result_volume *r, savu_error *err)
{
    shape_search search = {.width = r->width, .rows = r->rows};
    if (H5Ovisit2(r->file, H5_INDEX_NAME, H5_ITER_INC, visit_object, &search, H5O_INFO_BASIC) < 0)
        return savu_error_set(err, "cannot read %s: its objects cannot be listed", r->file_name);
    if (search.found == 0)
        return savu_error_set(err, "%s has no dataset of shape (%d, %d, %d); name one as %s:/path",
                              r->file_name, r->width, r->rows, r->width, r->file_name);
    if (search.found > 1)
        return savu_error_set(err, "%s has several datasets of shape (%d, %d, %d): %s, %s%s; name "
                              "one as %s:/path", r->file_name, r->width, r->rows, r->width,
                              search.names[0], search.names[1], search.found > 2 ? ", ..." : "",
                              r->file_name);
    r->path = strdup(search.names[0]);
    return r->path ? 0 : savu_error_set(err, "out of memory");
}

static int open_volume(savu_result_volume *r, savu_error *err)
{
    struct stat st;
    if (stat(r->file_name, &st) < 0)
        return savu_error_set(err, "cannot read %s: %s", r->file_name, strerror(errno));
    if (H5Fis_hdf5(r->file_name) <= 0)
        return savu_error_set(err, "cannot read %s: not an HDF5 file", r->file_name);
    r->file = H5Fopen(r->file_name, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        return savu_error_set(err, "cannot read %s: %s", r->file_name, reason);
    }
    if (!r->path && find_by_shape(r, err) < 0)
        return -1;
    r->set = H5Dopen2(r->file, r->path, H5P_DEFAULT);
    if (r->set < 0)
        return savu_error_set(err, "%s has no dataset %s", r->file_name, r->path);
    char why[512];
    if (check_volume(r->set, r->width, r->rows, why, sizeof why) < 0)
        return savu_error_set(err, "%s:%s %s", r->file_name, r->path, why);
    hsize_t slice[3] = {(hsize_t)r->width, 1, (hsize_t)r->width};
    r->file_space = H5Dget_space(r->set);
    r->slice_space = H5Screate_simple(3, slice, NULL);
    if (r->file_space < 0 || r->slice_space < 0)
        return savu_error_set(err, "cannot read %s:%s", r->file_name, r->path);
    return 0;
}

int savu_result_open(savu_result_volume *r, const char *spec, int width, int rows,
                     savu_error *err)
{
    *r = (savu_result_volume){.file = -1, .set = -1, .file_space = -1, .slice_space = -1,
                              .width = width, .rows = rows};
    if (savu_result_split_spec(spec, &r->file_name, &r->path) < 0)
        return savu_error_set(err, "out of memory");
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    int rc = open_volume(r, err);
    savu_h5_quiet_end(&quiet);
    if (rc < 0)
        savu_result_close(r);
    return rc;
}

int savu_result_read_slice(void *result, int v, double *out, savu_error *err)
{
    savu_result_volume *r = result;
    hsize_t start[3] = {0, (hsize_t)v, 0};
    hsize_t count[3] = {(hsize_t)r->width, 1, (hsize_t)r->width};
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    int rc = 0;
    if (H5Sselect_hyperslab(r->file_space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dread(r->set, H5T_NATIVE_DOUBLE, r->slice_space, r->file_space, H5P_DEFAULT, out) < 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        rc = savu_error_set(err, "cannot read %s:%s row %d: %s", r->file_name, r->path, v, reason);
    }
    savu_h5_quiet_end(&quiet);
    return rc;
}

void savu_result_close(savu_result_volume *r)
{
    if (r->slice_space >= 0)
        H5Sclose(r->slice_space);
    if (r->file_space >= 0)
        H5Sclose(r->file_space);
    if (r->set >= 0)
        H5Dclose(r->set);
    if (r->file >= 0)
        H5Fclose(r->file);
    free(r->file_name);
    free(r->path);
    *r = (savu_result_volume){.file = -1, .set = -1, .file_space = -1, .slice_space = -1};
}
