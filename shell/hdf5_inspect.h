/* hdf5_inspect.h: savu_config's data-file helpers, for choosing a loader's
 * paths: --tree (every group, dataset and link of an HDF5 file), --find
 * (datasets whose path matches a pattern) and --check (where a file keeps
 * its NXtomo data, rotation angles and image key, and how many darks, flats
 * and projections it has). hdf5_inspect.c has the first two and the shared
 * helpers; nxtomo_check.c the check. Each returns the program's exit
 * status and prints errors as "savu_config: FILE: reason". */
#ifndef SHELL_HDF5_INSPECT_H
#define SHELL_HDF5_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <hdf5.h>

int shell_h5_tree(const char *path);
int shell_h5_find(const char *path, const char *pattern);
int shell_h5_check(const char *path);

/* Shared helpers. */
/* Opens a file read-only, or prints why not and returns -1. */
hid_t shell_h5_open(const char *path);
/* "[91, 135, 160] uint16" for a dataset. */
void shell_h5_describe(hid_t dataset, char *out, size_t size);
/* Opens the dataset at a path ("a/b/c") when every link on the way is a
 * hard link and the last one is a dataset; else -1, quietly. */
hid_t shell_h5_open_dataset(hid_t file, const char *path);

/* Visits every hard-linked dataset of the file: path without the leading
 * '/'. The callback returns 0 to go on, 1 to stop. */
typedef int (*shell_h5_dataset_fn)(const char *path, hid_t dataset, void *ctx);
void shell_h5_each_dataset(hid_t file, shell_h5_dataset_fn fn, void *ctx);

#endif
