/* nxtomo_paths.c: where an NXtomo file keeps its frames, image key and
 * rotation angles (nxtomo_internal.h). Diamond's files use
 * /entry1/tomo_entry/data/data; a standard NXtomo entry keeps them in
 * <entry>/instrument/detector/{data,image_key} and <entry>/sample/rotation_angle. */
#include "nxtomo_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Root groups looked at for a standard NXtomo entry, at most. */
#define NXTOMO_MAX_ROOT_LINKS 1000

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", strcmp(a, "/") == 0 ? "" : a, b);
    return out;
}

/* The parent of an absolute path ("/a/b" -> "/a", "/a" -> "/"), malloc'd. */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash && slash != path ? (size_t)(slash - path) : 1;
    return strndup(path, len);
}

static bool is_default(const char *absolute, const char *default_path)
{
    return absolute && strcmp(absolute + 1, default_path) == 0;
}

/* The first root group (in name order) with instrument/detector/data. */
static char *find_standard_entry(const nxtomo_input *in)
{
    H5G_info_t root;
    if (H5Gget_info(in->file, &root) < 0)
        return NULL;
    for (hsize_t i = 0; i < root.nlinks && i < NXTOMO_MAX_ROOT_LINKS; i++) {
        char name[256];
        ssize_t len = H5Lget_name_by_idx(in->file, "/", H5_INDEX_NAME, H5_ITER_INC, i, name,
                                         sizeof name, H5P_DEFAULT);
        if (len <= 0 || (size_t)len >= sizeof name || strchr(name, '/'))
            continue;
        char entry[260], data[300];
        snprintf(entry, sizeof entry, "/%s", name);
        snprintf(data, sizeof data, "%s/instrument/detector/data", entry);
        if (nxtomo_h5_exists(in->file, in->lapl, data))
            return strdup(entry);
    }
    return NULL;
}

int nxtomo_find_data(nxtomo_input *in, const struct nxtomo_config *cfg, char **entry,
                     savu_error *err)
{
    *entry = NULL;
    const char *given = cfg->data_path ? cfg->data_path : NXTOMO_DEFAULT_DATA_PATH;
    char *path = nxtomo_h5_absolute(given);
    if (!path)
        return savu_error_set(err, "data_path '%s' names no dataset in '%s'", given,
                              in->file_name);
    int found = nxtomo_h5_lookup(in->file, in->lapl, path);
    if (found < 0) {
        nxtomo_h5_fail(err, "cannot read '%s' in '%s'", path, in->file_name);
        free(path);
        return -1;
    }
    if (found == 0 && is_default(path, NXTOMO_DEFAULT_DATA_PATH)) {
        *entry = find_standard_entry(in);
        if (!*entry) {
            savu_error_set(err, "no dataset '%s' in '%s' (nor an NXtomo entry with "
                                "instrument/detector/data)", path, in->file_name);
            free(path);
            return -1;
        }
        free(path);
        path = join(*entry, "instrument/detector/data");
        if (!path)
            return savu_error_set(err, "out of memory");
    }
    int rc = nxtomo_dataset_open(in->file, in->lapl, in->file_name, path, &in->data, err);
    free(path);
    return rc;
}

static bool has_separate_darks_flats(const struct nxtomo_config *cfg)
{
    return cfg->dark_file || cfg->flat_file;
}

int nxtomo_find_key(nxtomo_input *in, const struct nxtomo_config *cfg, const char *entry,
                    char **path, savu_error *err)
{
    *path = NULL;
    if (!cfg->image_key_path)
        return 0;
    char *key = nxtomo_h5_absolute(cfg->image_key_path);
    if (key && entry && is_default(key, NXTOMO_DEFAULT_KEY_PATH)) {
        free(key);
        key = join(entry, "instrument/detector/image_key");
    }
    if (key && nxtomo_h5_exists(in->file, in->lapl, key)) {
        *path = key;
        return 0;
    }
    const char *shown = key ? key : cfg->image_key_path;
    int rc = 0;
    if (has_separate_darks_flats(cfg))
        nxtomo_warn(in, "%s: no image key '%s': every frame is taken as a projection",
                    in->file_name, shown);
    else
        rc = savu_error_set(err, "%s: no image key and no dark/flat files: '%s' does not exist; "
                                 "give the dark and flat parameters, or set image_key_path to "
                                 "None for data without darks and flats", in->file_name, shown);
    free(key);
    return rc;
}

char *nxtomo_find_angles(const nxtomo_input *in)
{
    char *dir = parent_of(in->data.path);
    char *path = dir ? join(dir, "rotation_angle") : NULL;
    if (path && nxtomo_h5_exists(in->file, in->lapl, path)) {
        free(dir);
        return path;
    }
    free(path);
    path = NULL;
    while (dir) {
        path = join(dir, "sample/rotation_angle");
        if (path && nxtomo_h5_exists(in->file, in->lapl, path))
            break;
        free(path);
        path = NULL;
        if (strcmp(dir, "/") == 0)
            break;
        char *up = parent_of(dir);
        free(dir);
        dir = up;
    }
    free(dir);
    return path;
}
