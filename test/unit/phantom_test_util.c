/* phantom_test_util.c: helpers shared by the savu_phantom unit tests (see
 * phantom_test_util.h). */
#include "phantom_test_util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "test_tmpdir.h"

const char *temp_dir;

int make_temp_dir(void **state)
{
    (void)state;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = test_tmpdir_make("test_phantom");
    temp_dir = test_tmpdir();
    return rc;
}

int remove_temp_dir(void **state)
{
    return test_tmpdir_teardown(state);
}

const char *temp_path(const char *name)
{
    return test_tmpdir_file(name);
}

/* Files in the temporary directory whose name starts with '.' (leftover
 * temporaries). */
int hidden_files(void)
{
    char command[600];
    snprintf(command, sizeof command, "ls -A '%s' | grep -c '^\\.' > /dev/null",
             test_tmpdir());
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
