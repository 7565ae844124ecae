/* phantom_truth.c: writing the ideal reconstruction (see phantom_truth.h). */
#include "phantom_truth.h"
#include <hdf5.h>
#include <stdlib.h>
#include "atomic_file.h"
#include "nexus_hdf5.h"
#include "phantom_h5.h"
#include "phantom_model.h"

/* The empty (width, rows, width) float32 dataset and its groups; -1 on
 * failure. */
static hid_t create_volume(hid_t file, const savu_phantom_params *p)
{
    hsize_t dims[3] = {(hsize_t)p->width, (hsize_t)p->rows, (hsize_t)p->width};
    hsize_t chunk[3] = {dims[0], 1, dims[2]};
    hid_t entry = phantom_h5_group(file, "entry", "NXentry");
    hid_t data = entry >= 0 ? phantom_h5_group(entry, "data", "NXdata") : -1;
    hid_t space = H5Screate_simple(3, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), set = -1;
    if (data >= 0 && space >= 0 && dcpl >= 0 &&
        phantom_h5_string_attr(data, "signal", "data") == 0 &&
        H5Pset_chunk(dcpl, 3, chunk) >= 0)
        set = H5Dcreate2(data, "data", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    if (data >= 0)
        H5Gclose(data);
    if (entry >= 0)
        H5Gclose(entry);
    return set;
}

/* Samples and writes every row; 0 or -1 (reason on HDF5's stack, or out of
 * memory when *no_memory). */
static int write_rows(hid_t set, const savu_phantom_params *p, int *no_memory)
{
    savu_phantom ph;
    savu_phantom_params_model(p, &ph);
    size_t n = (size_t)p->width * p->width;
    double *slice = malloc(n * sizeof *slice);
    float *values = malloc(n * sizeof *values);
    hsize_t count[3] = {(hsize_t)p->width, 1, (hsize_t)p->width};
    hid_t file_space = H5Dget_space(set), mem_space = H5Screate_simple(3, count, NULL);
    int rc = -1;
    *no_memory = !slice || !values;
    if (!*no_memory && file_space >= 0 && mem_space >= 0) {
        rc = 0;
        for (int v = 0; v < p->rows && rc == 0; v++) {
            savu_phantom_sample_slice(&ph, v, slice);
            for (size_t i = 0; i < n; i++)
                values[i] = (float)(slice[i] * ph.scale);
            hsize_t start[3] = {0, (hsize_t)v, 0};
            if (H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
                H5Dwrite(set, H5T_NATIVE_FLOAT, mem_space, file_space, H5P_DEFAULT, values) < 0)
                rc = -1;
        }
    }
    if (mem_space >= 0)
        H5Sclose(mem_space);
    if (file_space >= 0)
        H5Sclose(file_space);
    free(values);
    free(slice);
    return rc;
}

static int write_file(const savu_phantom_params *p, const char *tmp_path, const char *target,
                      savu_error *err)
{
    hid_t fapl = savu_h5_fapl_strong_close();
    hid_t file = fapl >= 0 ? H5Fcreate(tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : -1;
    hid_t set = file >= 0 ? create_volume(file, p) : -1;
    int no_memory = 0;
    int rc = set >= 0 ? write_rows(set, p, &no_memory) : -1;
    if (set >= 0)
        H5Dclose(set);
    if (file >= 0 && H5Fclose(file) < 0)
        rc = -1;
    if (rc < 0) {
        char reason[512] = "out of memory";
        if (!no_memory)
            savu_h5_reason(reason, sizeof reason);
        savu_error_set(err, "cannot write %s: %s", target, reason);
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}

int savu_phantom_write_truth(const savu_phantom_params *p, const char *path, savu_error *err)
{
    if (savu_phantom_params_check(p, err) < 0)
        return -1;
    savu_atomic_file out;
    if (savu_atomic_begin(&out, path, err) < 0)
        return -1;
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    int rc = write_file(p, out.tmp_path, path, err);
    savu_h5_quiet_end(&quiet);
    if (rc < 0) {
        savu_atomic_abort(&out);
        return -1;
    }
    return savu_atomic_commit(&out, err);
}
