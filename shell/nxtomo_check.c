/* nxtomo_check.c: --check FILE: finds where an NXtomo file keeps its
 * detector frames, rotation angles and image key (Diamond's layout under
 * entry1/tomo_entry, the standard NXtomo layout under entry, or else by
 * dataset name), reports their shapes and the number of darks, flats and
 * projections, and the NxtomoLoader settings that read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hdf5_inspect.h"

#define MAX_KEY_VALUES 100000000ULL

static const char *const data_paths[] = {
    "entry1/tomo_entry/data/data", "entry/instrument/detector/data", "entry/data/data", NULL};
static const char *const angle_paths[] = {
    "entry1/tomo_entry/data/rotation_angle", "entry1/tomo_entry/sample/rotation_angle",
    "entry/sample/rotation_angle", "entry/data/rotation_angle", NULL};
static const char *const key_paths[] = {
    "entry1/tomo_entry/instrument/detector/image_key", "entry/instrument/detector/image_key",
    "entry/data/image_key", NULL};

typedef struct found {
    char path[1024];
    hid_t dataset;
} found;

typedef struct by_name_ctx {
    const char *name;
    int rank;        /* wanted rank, 0: any */
    found *out;
} by_name_ctx;

static int rank_of(hid_t dataset)
{
    hid_t space = H5Dget_space(dataset);
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (space >= 0)
        H5Sclose(space);
    return rank;
}

static int take_if_named(const char *path, hid_t dataset, void *data)
{
    by_name_ctx *c = data;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(base, c->name) != 0 || (c->rank && rank_of(dataset) != c->rank))
        return 0;
    snprintf(c->out->path, sizeof c->out->path, "%s", path);
    c->out->dataset = H5Oopen(dataset, ".", H5P_DEFAULT);
    return 1;
}

/* The first of the known paths that holds a dataset, else the first
 * dataset with this name (and rank). */
static void locate(hid_t file, const char *const *paths, const char *name, int rank, found *out)
{
    out->dataset = -1;
    out->path[0] = '\0';
    for (int i = 0; paths[i]; i++) {
        hid_t d = shell_h5_open_dataset(file, paths[i]);
        if (d >= 0) {
            out->dataset = d;
            snprintf(out->path, sizeof out->path, "%s", paths[i]);
            return;
        }
    }
    by_name_ctx c = {name, rank, out};
    shell_h5_each_dataset(file, take_if_named, &c);
}

static void report(const char *label, const found *f, const char *missing)
{
    if (f->dataset < 0) {
        printf("  %-10s %s\n", label, missing);
        return;
    }
    char desc[256];
    shell_h5_describe(f->dataset, desc, sizeof desc);
    printf("  %-10s /%s  %s\n", label, f->path, desc);
}

static unsigned long long first_dim(hid_t dataset)
{
    hid_t space = H5Dget_space(dataset);
    hsize_t dims[H5S_MAX_RANK] = {0};
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank > 0 && rank <= H5S_MAX_RANK)
        H5Sget_simple_extent_dims(space, dims, NULL);
    if (space >= 0)
        H5Sclose(space);
    return rank > 0 ? (unsigned long long)dims[0] : 0;
}

/* Counts image key values: [0] projections, [1] flats, [2] darks, [3] others. */
static int count_keys(hid_t key, unsigned long long counts[4])
{
    unsigned long long n = first_dim(key);
    if (rank_of(key) != 1 || n == 0 || n > MAX_KEY_VALUES)
        return -1;
    int *values = malloc(n * sizeof *values);
    if (!values)
        return -1;
    int rc = H5Dread(key, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0 ? -1 : 0;
    for (unsigned long long i = 0; rc == 0 && i < n; i++)
        counts[values[i] >= 0 && values[i] <= 2 ? values[i] : 3]++;
    free(values);
    return rc;
}

static void report_frames(const found *data, const found *key, const found *angles)
{
    unsigned long long frames = first_dim(data->dataset);
    unsigned long long counts[4] = {0, 0, 0, 0};
    if (key->dataset < 0) {
        printf("  %-10s %llu projections (no image key: every frame is a projection)\n",
               "frames:", frames);
        counts[0] = frames;
    } else if (count_keys(key->dataset, counts) < 0) {
        printf("  %-10s the image key could not be read as one integer per frame\n", "frames:");
        return;
    } else {
        printf("  %-10s %llu projections, %llu flats, %llu darks", "frames:", counts[0],
               counts[1], counts[2]);
        if (counts[3])
            printf(", %llu others (ignored)", counts[3]);
        printf("\n");
        unsigned long long keyed = counts[0] + counts[1] + counts[2] + counts[3];
        if (keyed != frames)
            printf("  warning:   the image key has %llu values but the data have %llu frames\n",
                   keyed, frames);
    }
    if (angles->dataset >= 0) {
        unsigned long long n = first_dim(angles->dataset);
        if (n != frames && n != counts[0])
            printf("  warning:   %llu rotation angles for %llu frames (%llu projections)\n", n,
                   frames, counts[0]);
    }
}

int shell_h5_check(const char *path)
{
    hid_t file = shell_h5_open(path);
    if (file < 0)
        return 1;
    found data, angles, key;
    locate(file, data_paths, "data", 3, &data);
    locate(file, angle_paths, "rotation_angle", 0, &angles);
    locate(file, key_paths, "image_key", 0, &key);
    int rc = 0;
    if (data.dataset < 0) {
        printf("%s: no NXtomo data found (looked for /%s, /%s, /%s and any 3-D dataset named "
               "data)\n", path, data_paths[0], data_paths[1], data_paths[2]);
        rc = 1;
    } else {
        printf("%s: NXtomo data found\n", path);
        report("data:", &data, "");
        report("angles:", &angles, "none found (NxtomoLoader then assumes 0 to 180 degrees)");
        report("image key:", &key, "none found");
        if (rank_of(data.dataset) != 3)
            printf("  warning:   the data have %d dimensions; NxtomoLoader reads 3\n",
                   rank_of(data.dataset));
        report_frames(&data, &key, &angles);
        printf("NxtomoLoader parameters: data_path %s, image_key_path %s\n", data.path,
               key.dataset >= 0 ? key.path : "None");
    }
    found *all[] = {&data, &angles, &key};
    for (int i = 0; i < 3; i++)
        if (all[i]->dataset >= 0)
            H5Dclose(all[i]->dataset);
    H5Fclose(file);
    return rc;
}
