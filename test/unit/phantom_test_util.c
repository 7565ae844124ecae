/* phantom_test_util.c: helpers shared by the savu_phantom unit tests (see
 * phantom_test_util.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include "phantom_test_util.h"
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

char temp_dir[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int make_temp_dir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(temp_dir, sizeof temp_dir, "%s/test_phantom.XXXXXX", base);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return mkdtemp(temp_dir) ? 0 : -1;
}

int remove_temp_dir(void **state)
{
    (void)state;
    return nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *temp_path(const char *name)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, sizeof paths[0], "%s/%s", temp_dir, name);
    return path;
}

/* Files in temp_dir whose name starts with '.' (leftover temporaries). */
int hidden_files(void)
{
    char command[600];
    snprintf(command, sizeof command, "ls -A '%s' | grep -c '^\\.' > /dev/null", temp_dir);
    return system(command) == 0;
}

/* The whole dataset at `path` of `file` as doubles; *n gets the count. */
double *read_all(const char *file, const char *path, size_t *n)
{
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t set = H5Dopen2(f, path, H5P_DEFAULT);
    assert_true(set >= 0);
    hid_t space = H5Dget_space(set);
    *n = (size_t)H5Sget_simple_extent_npoints(space);
    double *values = malloc(*n * sizeof *values);
    assert_non_null(values);
    assert_true(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Sclose(space);
    H5Dclose(set);
    H5Fclose(f);
    return values;
}

void assert_close(double got, double expected, double tolerance)
{
    if (fabs(got - expected) > tolerance)
        fail_msg("%.17g differs from %.17g by more than %g", got, expected, tolerance);
}

savu_phantom_params small_params(void)
{
    savu_phantom_params p;
    savu_phantom_params_default(&p);
    p.width = 24;
    p.rows = 6;
    p.angles = 10;
    p.threads = 2;
    return p;
}
