/* nxtomo_key.c: the image key of an NXtomo file (nxtomo_internal.h): which
 * frames are projections (0), flats (1), darks (2) or to be ignored (3),
 * stored as floats or integers; the flat batches that ignore_flats leaves
 * out; and the frames of one kind. */
#include "nxtomo_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Checks the key's values and copies them into kinds. */
static int key_kinds(const nxtomo_input *in, const char *path, const double *values,
                     signed char *kinds, savu_error *err)
{
    for (long f = 0; f < in->n_frames; f++) {
        double v = values[f];
        if (!(v == NXTOMO_PROJECTION || v == NXTOMO_FLAT || v == NXTOMO_DARK ||
              v == NXTOMO_IGNORED))
            return savu_error_set(err, "%s: image key value %g of frame %ld is not 0, 1, 2 or 3 "
                                       "(%s)", in->file_name, v, f, path);
        kinds[f] = (signed char)v;
    }
    return 0;
}

static int read_key_values(nxtomo_input *in, const char *path, savu_error *err)
{
    struct nxtomo_dataset key;
    double *values = NULL;
    int rc = nxtomo_dataset_open(in->file, in->lapl, in->file_name, path, &key, err);
    if (rc == 0 && key.npoints != in->n_frames)
        rc = savu_error_set(err, "%s: image key has %ld values for %ld frames (%s)",
                            in->file_name, key.npoints, in->n_frames, path);
    if (rc == 0)
        rc = nxtomo_dataset_read_doubles(&key, &values, err);
    if (rc == 0)
        rc = key_kinds(in, path, values, in->kinds, err);
    free(values);
    nxtomo_dataset_close(&key);
    return rc;
}

int nxtomo_read_key(nxtomo_input *in, const char *path, savu_error *err)
{
    in->kinds = malloc((size_t)in->n_frames);
    if (!in->kinds)
        return savu_error_set(err, "out of memory");
    if (!path)
        memset(in->kinds, NXTOMO_PROJECTION, (size_t)in->n_frames);
    else if (read_key_values(in, path, err) < 0)
        return -1;
    in->projection_frames = nxtomo_frames_of_kind(in->kinds, in->n_frames, NXTOMO_PROJECTION,
                                                  &in->info.n_projections);
    if (!in->projection_frames)
        return savu_error_set(err, "%s: no projections (image key 0) among the %ld frames (%s)",
                              in->file_name, in->n_frames, path ? path : in->data.path);
    return 0;
}

/* Runs of consecutive flats: the first frame of each into starts (may be
 * NULL); returns how many. */
static long flat_batches(const signed char *kinds, long n, long *starts)
{
    long count = 0;
    for (long f = 0; f < n; f++) {
        if (kinds[f] == NXTOMO_FLAT && (f == 0 || kinds[f - 1] != NXTOMO_FLAT)) {
            if (starts)
                starts[count] = f;
            count++;
        }
    }
    return count;
}

/* Each entry a whole number naming one of `count` batches. */
static int check_batches(const json_t *ignore, long count, savu_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(ignore, i, v) {
        if (!json_is_integer(v))
            return savu_error_set(err, "ignore_flats: entry %zu is not a whole number", i + 1);
        json_int_t batch = json_integer_value(v);
        if (batch < 1 || batch > count)
            return savu_error_set(err, "ignore_flats: there is no batch %lld of flats (there %s "
                                       "%ld, numbered from 1)", (long long)batch,
                                  count == 1 ? "is" : "are", count);
    }
    return 0;
}

int nxtomo_ignore_flat_batches(signed char *kinds, long n, const json_t *ignore,
                               savu_error *err)
{
    if (!ignore || json_is_null(ignore))
        return 0;
    if (!json_is_array(ignore))
        return savu_error_set(err, "ignore_flats must be None or a list of flat batch numbers");
    long count = flat_batches(kinds, n, NULL);
    long *starts = malloc((size_t)(count > 0 ? count : 1) * sizeof *starts);
    if (!starts)
        return savu_error_set(err, "out of memory");
    flat_batches(kinds, n, starts);
    int rc = check_batches(ignore, count, err);
    size_t i;
    json_t *v;
    json_array_foreach(ignore, i, v) {
        if (rc < 0)
            break;
        /* A marked batch keeps the others' starts: numbering stays as in the file. */
        for (long f = starts[json_integer_value(v) - 1]; f < n && kinds[f] == NXTOMO_FLAT; f++)
            kinds[f] = NXTOMO_IGNORED;
    }
    free(starts);
    return rc;
}

long *nxtomo_frames_of_kind(const signed char *kinds, long n, int kind, long *count)
{
    *count = 0;
    for (long f = 0; f < n; f++)
        *count += kinds[f] == kind;
    if (*count == 0)
        return NULL;
    long *frames = malloc((size_t)*count * sizeof *frames);
    if (!frames) {
        *count = 0;
        return NULL;
    }
    long k = 0;
    for (long f = 0; f < n; f++)
        if (kinds[f] == kind)
            frames[k++] = f;
    return frames;
}
