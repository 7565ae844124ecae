/* tuning.c: Savu's parameter tuning values (value.h). A tuning value lists
 * several values for one parameter, separated by ';' outside quotes and
 * brackets: a sequence `FBP;CGLS` or `[0,1];[1,2];` (empty items dropped)
 * whose items are parsed as ordinary values, and ranges
 * `start:stop[:step];` that expand as numpy.arange (stop excluded). */
#include "value.h"
#include "value_scalar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The most values one tuning value may expand to. */
#define TUNING_MAX_VALUES 10000

static const char range_error[] = "Ensure start:stop:step; values are valid.";

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether a quote at p opens a quoted string: only at the start of a token,
 * so that the apostrophe in a bare word (it's) is just a character. */
static bool opens_quote(const char *text, const char *p)
{
    while (p > text && is_space(p[-1]))
        p--;
    return p == text || strchr(",;:[({", p[-1]) != NULL;
}

/* The next `wanted` at bracket depth 0 outside quoted strings, from p to the
 * end of text; NULL when there is none. */
static const char *find_top_level(const char *text, const char *p, char wanted)
{
    int depth = 0;
    for (; *p; p++) {
        char c = *p;
        if (depth == 0 && c == wanted)
            return p;
        if ((c == '\'' || c == '"') && opens_quote(text, p)) {
            for (p++; *p && *p != c; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return NULL;
        } else if (c == '[' || c == '(' || c == '{') {
            depth++;
        } else if ((c == ']' || c == ')' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return NULL;
}

static size_t count_top_level(const char *text, char wanted)
{
    size_t n = 0;
    for (const char *p = text; (p = find_top_level(text, p, wanted)); p++)
        n++;
    return n;
}

bool savu_value_is_tuned(const char *raw)
{
    return raw && find_top_level(raw, raw, ';') != NULL;
}

char *savu_tuning_normalise(const char *raw, bool is_preview, bool *applied)
{
    *applied = false;
    if (!raw)
        return NULL;
    if (is_preview || count_top_level(raw, ':') < 2 || savu_value_is_tuned(raw))
        return strdup(raw);
    size_t len = strlen(raw);
    while (len > 0 && is_space(raw[len - 1]))
        len--;
    char *out = malloc(len + 2);
    if (!out)
        return NULL;
    memcpy(out, raw, len);
    memcpy(out + len, ";", 2);
    *applied = true;
    return out;
}

/* ---- ranges ---- */

static int append_checked(json_t *values, json_t *v, savu_error *err)
{
    if (!v || json_array_append_new(values, v) < 0)
        return savu_error_set(err, "out of memory");
    return 0;
}

static int fail_too_many(savu_error *err)
{
    return savu_error_set(err, "a tuning value may have at most %d values", TUNING_MAX_VALUES);
}

/* Reads the ':'-separated fields of a range item: 2 or 3 numbers. */
static int range_fields(const char *item, json_t *fields[3], int *nfields)
{
    *nfields = 0;
    for (const char *p = item;; p++) {
        const char *end = strchr(p, ':');
        if (!end)
            end = p + strlen(p);
        while (p < end && is_space(*p))
            p++;
        const char *stop = end;
        while (stop > p && is_space(stop[-1]))
            stop--;
        json_t *v = NULL;
        savu_error ignored;
        if (*nfields == 3 || savu_scalar_parse(p, (size_t)(stop - p), &v, &ignored) < 0 ||
            !json_is_number(v)) {
            json_decref(v);
            return -1;
        }
        fields[(*nfields)++] = v;
        p = end;
        if (!*p)
            break;
    }
    return *nfields >= 2 ? 0 : -1;
}

static int expand_integer_range(json_int_t start, json_int_t stop, json_int_t step,
                                json_t *values, savu_error *err)
{
    __int128 span = (__int128)stop - start;
    __int128 count = step > 0 ? (span > 0 ? (span + step - 1) / step : 0)
                              : (span < 0 ? (-span - step - 1) / -(__int128)step : 0);
    if (count == 0)
        return savu_error_set(err, "%s", range_error);
    if (count + (__int128)json_array_size(values) > TUNING_MAX_VALUES)
        return fail_too_many(err);
    for (__int128 i = 0; i < count; i++)
        if (append_checked(values, json_integer((json_int_t)(start + i * step)), err) < 0)
            return -1;
    return 0;
}

static int expand_real_range(double start, double stop, double step, json_t *values,
                             savu_error *err)
{
    double count = ceil((stop - start) / step);
    if (!(count >= 1))
        return savu_error_set(err, "%s", range_error);
    if (count + (double)json_array_size(values) > TUNING_MAX_VALUES)
        return fail_too_many(err);
    for (long i = 0; i < (long)count; i++)
        if (append_checked(values, json_real(start + (double)i * step), err) < 0)
            return -1;
    return 0;
}

/* Appends the values of `start:stop[:step]` to values. */
static int expand_range(const char *item, json_t *values, savu_error *err)
{
    json_t *fields[3];
    int n, rc;
    if (range_fields(item, fields, &n) < 0) {
        for (int i = 0; i < n; i++)
            json_decref(fields[i]);
        return savu_error_set(err, "%s", range_error);
    }
    bool integers = json_is_integer(fields[0]) && json_is_integer(fields[1]) &&
                    (n == 2 || json_is_integer(fields[2]));
    if (n == 3 && json_number_value(fields[2]) == 0)
        rc = savu_error_set(err, "%s", range_error);
    else if (integers)
        rc = expand_integer_range(json_integer_value(fields[0]), json_integer_value(fields[1]),
                                  n == 3 ? json_integer_value(fields[2]) : 1, values, err);
    else
        rc = expand_real_range(json_number_value(fields[0]), json_number_value(fields[1]),
                               n == 3 ? json_number_value(fields[2]) : 1.0, values, err);
    for (int i = 0; i < n; i++)
        json_decref(fields[i]);
    return rc;
}

/* ---- sequences ---- */

/* A range item has a ':' outside brackets and quotes and is not itself a
 * bracketed or quoted value. */
static bool is_range_item(const char *item)
{
    return !strchr("[({'\"", item[0]) && find_top_level(item, item, ':') != NULL;
}

static int expand_item(const char *item, json_t *values, savu_error *err)
{
    if (is_range_item(item))
        return expand_range(item, values, err);
    if (json_array_size(values) >= TUNING_MAX_VALUES)
        return fail_too_many(err);
    json_t *v = savu_value_parse(item, err);
    if (!v)
        return -1;
    return append_checked(values, v, err);
}

json_t *savu_tuning_expand(const char *raw, savu_error *err)
{
    if (!raw) {
        savu_error_set(err, "Please enter a value");
        return NULL;
    }
    json_t *values = json_array();
    char *item = malloc(strlen(raw) + 1);
    if (!values || !item) {
        savu_error_set(err, "out of memory");
        goto failed;
    }
    for (const char *p = raw;;) {
        const char *end = find_top_level(raw, p, ';');
        if (!end)
            end = p + strlen(p);
        while (p < end && is_space(*p))
            p++;
        const char *stop = end;
        while (stop > p && is_space(stop[-1]))
            stop--;
        if (stop > p) {
            memcpy(item, p, (size_t)(stop - p));
            item[stop - p] = '\0';
            if (expand_item(item, values, err) < 0)
                goto failed;
        }
        if (!*end)
            break;
        p = end + 1;
    }
    if (json_array_size(values) == 0) {
        savu_error_set(err, "the tuning value '%.200s' has no values", raw);
        goto failed;
    }
    free(item);
    return values;
failed:
    free(item);
    json_decref(values);
    return NULL;
}
