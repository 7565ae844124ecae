/* data_removal.c: DataRemoval, whole (descriptor, set-up, CPU path).
 * Removes the indices `indices` (a list, one index, or "start:stop[:step]",
 * quoted in savu_config, where start:stop:step alone is a tuning range) of the
 * data's dimension `dim` from every frame of `pattern`, as Savu does
 * (savu/plugins/reshape/data_removal.py: the kept indices are those not
 * listed); removing rotation angles also removes them from the angles in
 * the metadata, so that a reconstruction after it uses the right ones. The
 * dimension must lie within the frames (a core dimension of the pattern);
 * indices outside the dimension are refused at plan time. */
#include "builtin_plugin.h"
#include "common_params.h"

static const struct savu_param_def data_removal_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "indices", .dtype = "[list, str, None]", .default_json = "null",
     .visibility = SAVU_VIS_BASIC,
     .summary = "The indices to remove: a list, e.g. [0, 1, 2], or start:stop or "
                "start:stop:step (stop excluded)."},
    {.name = "pattern", .dtype = "str", .default_json = "\"SINOGRAM\"",
     .visibility = SAVU_VIS_BASIC, .summary = "The frames the data are cut into.",
     .options = (const char *const[]){"SINOGRAM", "PROJECTION", NULL},
     .option_descriptions = (const char *const[]){
         "Sinograms: dims 0 (rotation_angle) and 2 (detector_x).",
         "Projections: dims 1 (detector_y) and 2 (detector_x).", NULL}},
    {.name = "dim", .dtype = "int", .default_json = "0", .visibility = SAVU_VIS_BASIC,
     .summary = "The data dimension the indices are removed from (a dimension of the frames)."},
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

struct data_removal {
    long rows, cols;         /* input frame */
    bool along_rows;         /* the frame's first dim loses indices, else its second */
    long *kept;              /* kept indices of that dim, ascending */
    long n_kept;
};

/* removed[i] for i in [0, n): from a JSON list of integers or a
 * "start:stop[:step]" string, as numpy.arange. */
static int removed_indices(struct savu_plugin_instance *inst, long n, bool *removed)
{
    json_t *v = json_loads(savu_param_json(inst, "indices"), JSON_DECODE_ANY, NULL);
    int rc = 0;
    if (json_is_integer(v)) { /* one index */
        json_t *list = json_array();
        json_array_append(list, v);
        json_decref(v);
        v = list;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            long k = json_is_integer(item) ? (long)json_integer_value(item) : -1;
            if (!json_is_integer(item) || k < 0 || k >= n) {
                rc = savu_fail(inst, "parameter indices: item %zu is not an index of the %ld "
                                     "along dim %ld", i + 1, n,
                               (long)savu_param_number(inst, "dim"));
                break;
            }
            removed[k] = true;
        }
    } else if (json_is_string(v)) {
        long start, stop, step = 1;
        int got = sscanf(json_string_value(v), "%ld:%ld:%ld", &start, &stop, &step);
        if (got < 2 || step < 1 || start < 0 || stop > n || start > stop)
            rc = savu_fail(inst, "parameter indices: '%s' is not start:stop[:step] within 0:%ld",
                           json_string_value(v), n);
        for (long k = start; rc == 0 && k < stop; k += step)
            removed[k] = true;
    } else {
        rc = savu_fail(inst, "parameter indices: give the indices to remove (a list or "
                             "start:stop[:step])");
    }
    json_decref(v);
    return rc;
}

static int data_removal_setup(struct savu_plugin_instance *inst)
{
    long shape[3];
    savu_in_shape(inst, shape);
    const bool projection = savu_in_pattern(inst) == SAVU_PATTERN_PROJECTION;
    const long dim = (long)savu_param_number(inst, "dim");
    const long slice_dim = projection ? 0 : 1;
    if (dim < 0 || dim > 2 || dim == slice_dim)
        return savu_fail(inst, "parameter dim: %ld is not a dimension of the %s frames (%s)", dim,
                         projection ? "PROJECTION" : "SINOGRAM", projection ? "1 or 2" : "0 or 2");
    struct data_removal *dr = calloc(1, sizeof *dr);
    bool *removed = calloc((size_t)shape[dim], sizeof *removed);
    if (!dr || !removed || !(dr->kept = malloc(sizeof(long) * shape[dim]))) {
        free(removed);
        if (dr)
            free(dr->kept);
        free(dr);
        return savu_fail(inst, "out of memory");
    }
    savu_set_private(inst, dr);
    dr->rows = projection ? shape[1] : shape[0];
    dr->cols = shape[2];
    dr->along_rows = dim != 2;
    int rc = removed_indices(inst, shape[dim], removed);
    for (long k = 0; rc == 0 && k < shape[dim]; k++)
        if (!removed[k])
            dr->kept[dr->n_kept++] = k;
    free(removed);
    if (rc == 0 && dr->n_kept == 0)
        rc = savu_fail(inst, "parameter indices: every index of dim %ld would be removed", dim);
    if (rc != 0)
        return rc;
    long out[3] = {shape[0], shape[1], shape[2]};
    out[dim] = dr->n_kept;
    rc = savu_set_output(inst, out, NULL, NULL, savu_in_pattern(inst));
    long n_angles = 0;
    const double *angles = savu_meta_angles(inst, &n_angles);
    if (rc == 0 && dim == 0 && angles && n_angles == shape[0]) {
        double *kept = malloc(sizeof(double) * dr->n_kept);
        for (long i = 0; kept && i < dr->n_kept; i++)
            kept[i] = angles[dr->kept[i]];
        rc = kept ? savu_meta_set_angles(inst, kept, dr->n_kept) : savu_fail(inst, "out of memory");
        free(kept);
    }
    return rc;
}

static void remove_in_frame(void *ctx, const float *in, float *out, int worker)
{
    (void)worker;
    const struct data_removal *dr = ctx;
    const long out_rows = dr->along_rows ? dr->n_kept : dr->rows;
    const long out_cols = dr->along_rows ? dr->cols : dr->n_kept;
    for (long r = 0; r < out_rows; r++) {
        const float *row = in + (dr->along_rows ? dr->kept[r] : r) * dr->cols;
        if (dr->along_rows)
            memcpy(out + r * out_cols, row, sizeof(float) * out_cols);
        else
            for (long c = 0; c < out_cols; c++)
                out[r * out_cols + c] = row[dr->kept[c]];
    }
}

static int data_removal_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    savu_for_each_frame(inst, b, remove_in_frame, savu_private(inst));
    return 0;
}

static void data_removal_teardown(struct savu_plugin_instance *inst)
{
    struct data_removal *dr = savu_private(inst);
    if (dr)
        free(dr->kept);
    free(dr);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_data_removal = {
    .name = "DataRemoval",
    .id = "savu.plugins.reshape.data_removal",
    .synopsis = "Remove unwanted indices (e.g. bad projections) from a dimension of the data.",
    .info = "Removing rotation angles removes them from the angles the reconstruction uses "
            "as well.",
    .category = SAVU_CAT_FILTER,
    .params = data_removal_params,
    .n_params = SAVU_COUNT_OF(data_removal_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(data_removal_setup),
    .process = SAVU_RUN(data_removal_process),
    .teardown = SAVU_RUN(data_removal_teardown),
};
