/* result_nxdata.c: the description of a result's NXdata group in Savu's
 * layout, shared by the result files and processed_nexus.c (declared in
 * result_file.h): a dataset's axes (shape, labels, units, values) and the
 * group patterns/ with each pattern's core and slice dims. */
#include "result_file.h"
#include "nexus_hdf5.h"
#include <stdint.h>
#include <string.h>

void result_file_axes_of(const struct dataset *ds, struct result_file_axes *out)
{
    memset(out, 0, sizeof *out);
    const int n = ds->ndim < 0 ? 0 : ds->ndim > DATASET_MAX_DIMS ? DATASET_MAX_DIMS : ds->ndim;
    for (int d = 0; d < n; d++) {
        out->shape[d] = ds->shape[d] > 0 ? (hsize_t)ds->shape[d] : 0;
        out->labels[d] = ds->labels[d];
        out->units[d] = ds->units[d];
        if (ds->labels[d] && strcmp(ds->labels[d], "rotation_angle") == 0 && ds->angles &&
            ds->n_angles == ds->shape[d])
            out->values[d] = ds->angles;
    }
    int n_tune = ds->n_tune < 0 ? 0 : ds->n_tune > DATASET_MAX_TUNE ? DATASET_MAX_TUNE : ds->n_tune;
    for (int t = 0; t < n_tune; t++) {
        out->shape[n + t] = ds->tune_len[t] > 0 ? (hsize_t)ds->tune_len[t] : 0;
        out->labels[n + t] = ds->tune_label[t];
        out->values[n + t] = ds->tune_values[t];
    }
    out->axes.ndims = n + n_tune;
    out->axes.shape = out->shape;
    out->axes.labels = out->labels;
    out->axes.units = out->units;
    out->axes.values = out->values;
}

/* patterns/<P>/core_dims and slice_dims of pattern p of ds (savu-engine.md
 * §1.3); the tuning dims, after the dataset's, are slice dims too. */
static int write_pattern(hid_t patterns, const struct dataset *ds, const struct pattern_dims *pd,
                         enum savu_pattern p, hid_t dxpl, bool write_values)
{
    int64_t core[DATASET_MAX_DIMS], slice[DATASET_MAX_DIMS + DATASET_MAX_TUNE];
    for (int i = 0; i < pd->n_core; i++)
        core[i] = pd->core[i];
    for (int i = 0; i < pd->n_slice; i++)
        slice[i] = pd->slice[i];
    int n_tune = ds->n_tune > DATASET_MAX_TUNE ? DATASET_MAX_TUNE : ds->n_tune;
    for (int t = 0; t < n_tune; t++)
        slice[pd->n_slice + t] = ds->ndim + t;
    hid_t g = savu_h5_create_group(patterns, pattern_name(p), "NXparameters", H5T_CSET_ASCII);
    int rc = g >= 0 &&
                     nxdata_write_vector(g, "core_dims", H5T_STD_I64LE, H5T_NATIVE_INT64,
                                         (hsize_t)pd->n_core, core, dxpl, write_values) == 0 &&
                     nxdata_write_vector(g, "slice_dims", H5T_STD_I64LE, H5T_NATIVE_INT64,
                                         (hsize_t)(pd->n_slice + n_tune), slice, dxpl,
                                         write_values) == 0
                 ? 0
                 : -1;
    return savu_h5_close(rc, g);
}

int result_file_write_patterns(hid_t group, const struct dataset *ds, const enum savu_pattern *patterns,
                               int n, hid_t dxpl, bool write_values)
{
    hid_t g = savu_h5_create_group(group, "patterns", "NXcollection", H5T_CSET_ASCII);
    int rc = g >= 0 ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || patterns[j] == patterns[i];
        const struct pattern_dims *pd = dataset_pattern(ds, patterns[i]);
        if (!seen && pd)
            rc = write_pattern(g, ds, pd, patterns[i], dxpl, write_values);
    }
    return savu_h5_close(rc, g);
}
