/* result_diff.c: compares two reconstructions, for the GPU tests (the GPU
 * machine has no h5py):  result_diff A.h5:/path B.h5:/path
 * prints "relative_l2 X max_abs Y range Z" (relative L2 = |A - B| / |A|)
 * and exits 0, or 1 with a line saying why (shapes differ, unreadable). */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *read_all(const char *spec, hsize_t dims[8], int *rank)
{
    char file[4096];
    const char *colon = strstr(spec, ":/");
    if (!colon || (size_t)(colon - spec) >= sizeof file) {
        fprintf(stderr, "result_diff: expected FILE:/dataset, got %s\n", spec);
        return NULL;
    }
    memcpy(file, spec, colon - spec);
    file[colon - spec] = '\0';
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, colon + 1, H5P_DEFAULT) : -1;
    hid_t space = d >= 0 ? H5Dget_space(d) : -1;
    *rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
    hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : 0;
    float *data = n > 0 ? malloc(sizeof(float) * (size_t)n) : NULL;
    if (!data || H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        fprintf(stderr, "result_diff: cannot read %s\n", spec);
        free(data);
        data = NULL;
    }
    if (space >= 0)
        H5Sclose(space);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: result_diff A.h5:/path B.h5:/path\n");
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hsize_t da[8], db[8];
    int ra, rb;
    float *a = read_all(argv[1], da, &ra), *b = read_all(argv[2], db, &rb);
    int rc = 1;
    if (a && b && ra == rb && memcmp(da, db, sizeof(hsize_t) * ra) == 0) {
        size_t n = 1;
        for (int i = 0; i < ra; i++)
            n *= da[i];
        double diff = 0, norm = 0, max_abs = 0, lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double d = (double)a[i] - b[i];
            diff += d * d;
            norm += (double)a[i] * a[i];
            max_abs = fabs(d) > max_abs ? fabs(d) : max_abs;
            lo = a[i] < lo ? a[i] : lo;
            hi = a[i] > hi ? a[i] : hi;
        }
        printf("relative_l2 %.3g max_abs %.3g range %.3g\n", sqrt(diff / norm), max_abs, hi - lo);
        rc = 0;
    } else if (a && b) {
        fprintf(stderr, "result_diff: the shapes differ\n");
    }
    free(a);
    free(b);
    return rc;
}
