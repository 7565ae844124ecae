/* processed_nexus.c: <stem>_processed.nxs, the NeXus file that describes a
 * run (see processed_nexus.h). The process list goes in as savu_config
 * writes it (savu_nexus_write_with, which builds the file in memory and
 * saves it atomically); write_extra adds the results, the input data and the
 * run beside it in /entry, in the layout Savu's Hdf5Utils and transports
 * write (savu-engine.md §1.6):
 *
 *   /entry/final_result_<name>/      NXdata: data -> <file>:<data_path>,
 *   /entry/intermediate/<group>/     the axes, meta_data/, patterns/
 *   /entry/input_data/<name>/        NXdata: data -> the input file,
 *                                    file_path, shape, meta_data/
 *   /entry/savu_run/                 start_time, end_time, ranks,
 *                                    command_line, status
 *
 * Links to results name the result file relative to this one (HDF5 looks
 * for it beside this file), as Savu does; the link to the input names it by
 * its absolute path, as Savu does. meta_data/<key>/<key> is Savu's layout
 * of a metadata value (an NXdata group holding a dataset of the same name). */
#include "processed_nexus.h"
#include "nexus.h"
#include "nexus_hdf5.h"
#include "nxdata_write.h"
#include "result_file.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct processed_nexus {
    const struct processed_result *results;
    size_t n_results;
    const struct processed_run *run;
};

/* meta_data/<name>/<name>: n doubles, with units when given. */
static int write_meta_value(hid_t meta, const char *name, const double *values, size_t n, const char *units)
{
    hid_t g = savu_h5_create_group(meta, name, "NXdata", H5T_CSET_ASCII);
    int rc = g >= 0 && nxdata_write_vector(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, (hsize_t)n, values,
                                           H5P_DEFAULT, true) == 0
                 ? 0
                 : -1;
    if (rc == 0 && units) {
        hid_t dset = H5Dopen2(g, name, H5P_DEFAULT);
        rc = dset >= 0 && nxdata_string_attr(dset, "units", units) == 0 ? 0 : -1;
        rc = savu_h5_close(rc, dset);
    }
    return savu_h5_close(rc, g);
}

static int write_text(hid_t g, const char *name, const char *text)
{
    return text ? savu_h5_write_variable_string(g, name, text, H5T_CSET_UTF8) : 0;
}

/* meta_data/<key>/<key> of one dictionary entry: its numbers (float64) or
 * its text. */
static int write_dictionary_entry(hid_t meta, const char *key, const json_t *entry)
{
    if (json_is_string(entry)) {
        hid_t g = savu_h5_create_group(meta, key, "NXdata", H5T_CSET_ASCII);
        return savu_h5_close(g >= 0 ? write_text(g, key, json_string_value(entry)) : -1, g);
    }
    size_t n = json_array_size(entry);
    double *values = malloc(sizeof(double) * (n ? n : 1));
    if (!values)
        return -1;
    for (size_t i = 0; i < n; i++)
        values[i] = json_number_value(json_array_get(entry, i));
    int rc = write_meta_value(meta, key, values, n, NULL);
    free(values);
    return rc;
}

/* The metadata dictionary as the dataset sees it: its own entries and those
 * of the datasets it derives from (the nearest wins), after the angles and
 * the centre, which keep their own names. */
static int write_dictionary(hid_t meta, const struct dataset *ds)
{
    for (const struct dataset *d = ds; d; d = d->parent) {
        const char *key;
        json_t *entry;
        json_object_foreach(d->meta, key, entry) {
            if (dataset_meta(ds, key) != entry || H5Lexists(meta, key, H5P_DEFAULT) > 0)
                continue;
            if (write_dictionary_entry(meta, key, entry) != 0)
                return -1;
        }
    }
    return 0;
}

/* meta_data/ (NXcollection): the angles and the centre of rotation, when
 * the dataset knows them, and the metadata dictionary (savu_meta_set). */
static int write_meta_data(hid_t parent, const struct dataset *ds)
{
    hid_t meta = savu_h5_create_group(parent, "meta_data", "NXcollection", H5T_CSET_ASCII);
    int rc = meta >= 0 ? 0 : -1;
    if (rc == 0 && ds->angles && ds->n_angles > 0)
        rc = write_meta_value(meta, "rotation_angle", ds->angles, (size_t)ds->n_angles, "degrees");
    if (rc == 0 && ds->cor && ds->n_cor > 0)
        rc = write_meta_value(meta, "centre_of_rotation", ds->cor, (size_t)ds->n_cor, "pixel");
    if (rc == 0)
        rc = write_dictionary(meta, ds);
    return savu_h5_close(rc, meta);
}

static int check_result(const struct processed_result *r, size_t i, savu_error *why)
{
    if (!r->ds || !r->ds->name || !*r->ds->name || strchr(r->ds->name, '/'))
        return savu_error_set(why, "result %zu has no dataset name", i + 1);
    if (!r->file || !*r->file || !r->data_path || !*r->data_path)
        return savu_error_set(why, "result %zu (%s) has no result file", i + 1, r->ds->name);
    if (!r->final && (!r->group || !*r->group || strchr(r->group, '/')))
        return savu_error_set(why, "result %zu (%s) has no group name", i + 1, r->ds->name);
    struct result_file_axes axes;
    result_file_axes_of(r->ds, &axes);
    savu_error axis_why = { "" };
    if (nxdata_check_axes(&axes.axes, &axis_why) < 0)
        return savu_error_set(why, "result %zu (%s): %s", i + 1, r->ds->name, axis_why.msg);
    return 0;
}

/* A new NXdata group `name` of parent, which must not have one already. */
static hid_t new_nxdata(hid_t parent, const char *where, const char *name, savu_error *why)
{
    htri_t there = H5Lexists(parent, name, H5P_DEFAULT);
    if (there > 0) {
        savu_error_set(why, "two results are named %s/%s", where, name);
        return -1;
    }
    return there < 0 ? -1 : savu_h5_create_group(parent, name, "NXdata", H5T_CSET_ASCII);
}

/* final_result_<name> or intermediate/<group>: NXdata linking the result. */
static int write_result(hid_t entry, hid_t *intermediate, const struct processed_result *r, savu_error *why)
{
    hid_t parent = entry;
    char name[512];
    if (r->final) {
        if (snprintf(name, sizeof name, "final_result_%s", r->ds->name) >= (int)sizeof name)
            return savu_error_set(why, "dataset name '%.40s...' is too long", r->ds->name);
    } else {
        if (*intermediate < 0 &&
            (*intermediate = savu_h5_create_group(entry, "intermediate", "NXcollection", H5T_CSET_ASCII)) < 0)
            return -1;
        parent = *intermediate;
        if (snprintf(name, sizeof name, "%s", r->group) >= (int)sizeof name)
            return savu_error_set(why, "group name '%.40s...' is too long", r->group);
    }
    hid_t g = new_nxdata(parent, r->final ? "/entry" : "/entry/intermediate", name, why);
    if (g < 0)
        return -1;
    struct result_file_axes axes;
    result_file_axes_of(r->ds, &axes);
    enum savu_pattern pattern = r->ds->pattern;
    int rc = H5Lcreate_external(r->file, r->data_path, g, "data", H5P_DEFAULT, H5P_DEFAULT) >= 0 &&
                     nxdata_write_axes(g, &axes.axes, H5P_DEFAULT, true) == 0 &&
                     write_meta_data(g, r->ds) == 0 &&
                     result_file_write_patterns(g, r->ds, &pattern, 1, H5P_DEFAULT, true) == 0
                 ? 0
                 : -1;
    return savu_h5_close(rc, g);
}

/* The input file's absolute name (as Python's os.path.abspath, without
 * resolving links), so the link holds from wherever the file is read. */
static char *absolute_name(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return strdup(path);
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *abs = malloc(n);
    if (abs)
        snprintf(abs, n, "%s/%s", cwd, path);
    free(cwd);
    return abs;
}

/* input_data/<name> of one loaded dataset: NXdata with data -> the input
 * file's data_path (when the loader names a dataset in an HDF5 file; a
 * loader of other files gives none), file_path, shape (after preview) and
 * meta_data/. */
static int write_input_dataset(hid_t parent, const char *file, const char *data_path,
                               const struct dataset *ds)
{
    hid_t g = savu_h5_create_group(parent, ds && ds->name ? ds->name : "tomo", "NXdata",
                                   H5T_CSET_ASCII);
    bool linked = data_path && *data_path;
    int rc = g >= 0 && (!linked || (nxdata_string_attr(g, "signal", "data") == 0 &&
                                    H5Lcreate_external(file, data_path, g, "data", H5P_DEFAULT,
                                                       H5P_DEFAULT) >= 0)) &&
                     savu_h5_write_variable_string(g, "file_path", file, H5T_CSET_UTF8) == 0
                 ? 0
                 : -1;
    if (rc == 0 && ds) {
        int64_t shape[DATASET_MAX_DIMS];
        for (int d = 0; d < ds->ndim; d++)
            shape[d] = ds->shape[d];
        rc = nxdata_write_vector(g, "shape", H5T_STD_I64LE, H5T_NATIVE_INT64, (hsize_t)ds->ndim,
                                 shape, H5P_DEFAULT, true) == 0 &&
                     write_meta_data(g, ds) == 0
                 ? 0
                 : -1;
    }
    return savu_h5_close(rc, g);
}

/* input_data/: each dataset the loader declared. */
static int write_input(hid_t entry, const struct processed_run *run, savu_error *why)
{
    char *file = absolute_name(run->input_file);
    if (!file)
        return savu_error_set(why, "out of memory");
    hid_t parent = savu_h5_create_group(entry, "input_data", "NXcollection", H5T_CSET_ASCII);
    int rc = parent >= 0 ? write_input_dataset(parent, file, run->input_data_path, run->loaded)
                         : -1;
    for (int k = 0; k < run->n_loaded_more && rc == 0; k++)
        rc = write_input_dataset(parent, file,
                                 json_string_value(dataset_meta(run->loaded_more[k], "data_path")),
                                 run->loaded_more[k]);
    free(file);
    return savu_h5_close(rc, parent);
}

/* savu_run: when and how the run went. Written at the end of a successful
 * run, so its status is "complete". */
static int write_run(hid_t entry, const struct processed_run *run)
{
    hid_t g = savu_h5_create_group(entry, "savu_run", "NXcollection", H5T_CSET_ASCII);
    int rc = g >= 0 && write_text(g, "start_time", run->started) == 0 &&
                     write_text(g, "end_time", run->finished) == 0 &&
                     savu_h5_write_int32(g, "ranks", run->ranks) == 0 &&
                     write_text(g, "command_line", run->command_line) == 0 &&
                     write_text(g, "status", "complete") == 0
                 ? 0
                 : -1;
    return savu_h5_close(rc, g);
}

/* savu_nexus_extra_fn: everything beside the process list. */
static int write_extra(hid_t file, void *ctx, savu_error *why)
{
    const struct processed_nexus *pn = ctx;
    for (size_t i = 0; i < pn->n_results; i++)
        if (check_result(&pn->results[i], i, why) < 0)
            return -1;
    hid_t entry = H5Gopen2(file, "entry", H5P_DEFAULT);
    hid_t intermediate = -1;
    int rc = entry >= 0 ? 0 : -1;
    for (size_t i = 0; i < pn->n_results && rc == 0; i++)
        rc = write_result(entry, &intermediate, &pn->results[i], why);
    if (rc == 0 && pn->run && pn->run->input_file)
        rc = write_input(entry, pn->run, why);
    if (rc == 0 && pn->run)
        rc = write_run(entry, pn->run);
    rc = savu_h5_close(rc, intermediate);
    return savu_h5_close(rc, entry);
}

int processed_nexus_write(const char *path, const savu_process_list *pl,
                          const struct processed_result *results, size_t n_results,
                          const struct processed_run *run, savu_error *err)
{
    if (!pl)
        return savu_error_set(err, "cannot write %s: no process list", path ? path : "");
    struct processed_nexus pn = { results, results ? n_results : 0, run };
    return savu_nexus_write_with(pl, path, write_extra, &pn, err);
}
