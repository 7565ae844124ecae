/* phantom_test_util.h: what the savu_phantom unit tests share — a
 * temporary directory per test program (cmocka group setup and teardown),
 * paths in it, reading a whole dataset, comparing doubles with a tolerance,
 * and a small scan's parameters. Includes cmocka. */
#ifndef SAVU_PHANTOM_TEST_UTIL_H
#define SAVU_PHANTOM_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <hdf5.h>
#include "phantom_params.h"

/* The temporary directory (test_tmpdir.h), set by make_temp_dir. */
extern const char *temp_dir;

/* cmocka group setup and teardown: make and remove temp_dir (and silence
 * HDF5's error printing). */
int make_temp_dir(void **state);
int remove_temp_dir(void **state);

/* temp_dir/name; the last 8 results stay valid. */
const char *temp_path(const char *name);

/* Whether temp_dir holds a file whose name starts with '.' (a leftover
 * temporary of an atomic write). */
int hidden_files(void);

/* The whole dataset at `path` of `file` as doubles; *n gets the count. */
double *read_all(const char *file, const char *path, size_t *n);

/* Fails the test, printing both values, when they differ by more. */
void assert_close(double got, double expected, double tolerance);

/* The default parameters at 24 x 6 pixels, 10 angles, 2 threads. */
savu_phantom_params small_params(void);

#endif
