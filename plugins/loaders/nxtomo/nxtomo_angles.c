/* nxtomo_angles.c: the rotation angle of every projection
 * (nxtomo_internal.h), from the `angles` parameter, else from the file's
 * rotation_angle (one per frame, masked to the projections, or one per
 * projection), else Savu's default linspace(0, 180, n) with a warning.
 * A count that does not match the projections is an error. */
#include "nxtomo_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool parameter_given(const json_t *angles)
{
    if (!angles || json_is_null(angles))
        return false;
    const char *text = json_string_value(angles);
    return !(text && (strcmp(text, "None") == 0 || strcmp(text, "") == 0));
}

static int count_mismatch(const nxtomo_input *in, long count, const char *source,
                          savu_error *err)
{
    return savu_error_set(err, "%s: %ld rotation angles for %ld projections (%s)", in->file_name,
                          count, in->info.n_projections, source);
}

static int from_parameter(nxtomo_input *in, const json_t *angles, savu_error *err)
{
    long n;
    if (nxtomo_angles_from_parameter(angles, &in->all_angles, &n, err) < 0)
        return -1;
    if (n != in->info.n_projections)
        return count_mismatch(in, n, "parameter angles", err);
    in->angles_source = strdup("parameter angles");
    return 0;
}

/* values holds one angle per frame or per projection: keep the projections'. */
static int keep_projections(nxtomo_input *in, double *values, long count, const char *path,
                            savu_error *err)
{
    long n = in->info.n_projections;
    if (count != n && count != in->n_frames)
        return count_mismatch(in, count, path, err);
    if (count != n) {
        for (long i = 0; i < n; i++)
            values[i] = values[in->projection_frames[i]];
    }
    for (long i = 0; i < n; i++)
        if (!isfinite(values[i]))
            return savu_error_set(err, "%s: the rotation angle of projection %ld is not a "
                                       "number (%s)", in->file_name, i, path);
    return 0;
}

static int from_file(nxtomo_input *in, char *path, savu_error *err)
{
    struct nxtomo_dataset ds;
    double *values = NULL;
    int rc = nxtomo_dataset_open(in->file, in->lapl, in->file_name, path, &ds, err);
    if (rc == 0)
        rc = nxtomo_dataset_read_doubles(&ds, &values, err);
    if (rc == 0)
        rc = keep_projections(in, values, ds.npoints, path, err);
    nxtomo_dataset_close(&ds);
    if (rc < 0) {
        free(values);
        free(path);
        return -1;
    }
    in->all_angles = values;
    in->angles_source = path;
    return 0;
}

static int default_angles(nxtomo_input *in, savu_error *err)
{
    long n = in->info.n_projections;
    in->all_angles = malloc((size_t)n * sizeof *in->all_angles);
    in->angles_source = strdup("default linspace(0, 180)");
    if (!in->all_angles || !in->angles_source)
        return savu_error_set(err, "out of memory");
    double step = n > 1 ? 180.0 / (double)(n - 1) : 0.0; /* as numpy.linspace */
    for (long i = 0; i < n; i++)
        in->all_angles[i] = (double)i * step;
    if (n > 1)
        in->all_angles[n - 1] = 180.0;
    nxtomo_warn(in, "%s: no rotation angles beside '%s' or in a sample group: using "
                    "linspace(0, 180, %ld)", in->file_name, in->data.path, n);
    return 0;
}

int nxtomo_load_angles(nxtomo_input *in, const struct nxtomo_config *cfg, savu_error *err)
{
    int rc;
    if (parameter_given(cfg->angles)) {
        rc = from_parameter(in, cfg->angles, err);
    } else {
        char *path = nxtomo_find_angles(in);
        rc = path ? from_file(in, path, err) : default_angles(in, err);
    }
    if (rc == 0 && !in->angles_source)
        return savu_error_set(err, "out of memory");
    return rc;
}
