/* nxtomo_preview.c: the NxtomoLoader's preview (nxtomo_internal.h): one
 * entry per dimension (rotation_angle over the projections, detector_y,
 * detector_x), evaluated by savu_preview_eval; an empty list keeps
 * everything and missing trailing entries keep their whole dimension. */
#include "nxtomo_internal.h"
#include <math.h>
#include <stdio.h>

static const char *const dim_names[3] = {"rotation_angle", "detector_y", "detector_x"};

/* Entry d as text: strings as they are, whole numbers printed. */
static int entry_text(const json_t *v, int d, char *buf, size_t size, savu_error *err)
{
    if (json_is_string(v)) {
        snprintf(buf, size, "%s", json_string_value(v));
        return 0;
    }
    double x = json_number_value(v);
    if (json_is_integer(v))
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v) && isfinite(x) && x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, size, "%.0f", x);
    else
        return savu_error_set(err, "preview entry %d (%s) must be text such as 'mid:end' or a "
                                   "whole number", d + 1, dim_names[d]);
    return 0;
}

static int resolve_entry(const json_t *v, int d, long length, savu_slice *out, savu_error *err)
{
    char text[512];
    if (entry_text(v, d, text, sizeof text, err) < 0)
        return -1;
    if (savu_preview_eval(text, length, out, err) < 0)
        return savu_error_prefix(err, "preview of %s (length %ld): ", dim_names[d], length);
    if (out->chunk != 1)
        return savu_error_set(err, "preview of %s: chunk %ld in '%.200s' is not supported "
                                   "(use start:stop:step)", dim_names[d], out->chunk, text);
    return 0;
}

int nxtomo_resolve_preview(const json_t *preview, const long lengths[3], savu_slice out[3],
                           savu_error *err)
{
    for (int d = 0; d < 3; d++)
        out[d] = (savu_slice){.start = 0, .stop = lengths[d], .step = 1, .chunk = 1};
    if (!preview || json_is_null(preview))
        return 0;
    if (!json_is_array(preview))
        return savu_error_set(err, "preview must be a list of entries, one per dimension");
    size_t n = json_array_size(preview);
    if (n > 3)
        return savu_error_set(err, "preview has %zu entries for the 3 dimensions (%s, %s, %s)", n,
                              dim_names[0], dim_names[1], dim_names[2]);
    for (size_t d = 0; d < n; d++)
        if (resolve_entry(json_array_get(preview, d), (int)d, lengths[d], &out[d], err) < 0)
            return -1;
    return 0;
}

long nxtomo_slice_count(const savu_slice *s)
{
    if (s->stop <= s->start || s->step < 1)
        return 0;
    return (s->stop - s->start + s->step - 1) / s->step;
}
