/* completion_values.c: completion of what follows a position in `mod` and
 * `disp`: the parameter names of the plugin there (and the preview's
 * dimensions and fields), and the values a parameter accepts: its options,
 * true/false, None, its default, file names. Also the names and values of
 * `mod -g`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "completion_internal.h"
#include "dtype.h"
#include "json_format.h"
#include "parameters.h"
#include "validate.h"
#include "value.h"

#define MIN_PREVIEW_DIMS 3  /* tomography data: offered even for an empty preview */
#define MAX_PREVIEW_DIMS 32 /* as many as the library accepts */
#define MAX_PARAMS 1024     /* parameters of one plugin considered */

static const char *const slice_fields[] = {"start", "stop", "step", "chunk"};

/* The definition of a parameter a user may address (name or number), or
 * NULL (unknown, hidden, switched off, or the plugin is not available). */
static const struct savu_param_def *addressable_def(const savu_entry *e, const char *key)
{
    savu_error err;
    return e->plugin ? savu_param_resolve(e->plugin, e->params, key, &err) : NULL;
}

static bool is_preview(const savu_entry *e, const char *name)
{
    if (!e->plugin)
        return strcmp(name, "preview") == 0 && json_object_get(e->params, name) != NULL;
    const struct savu_param_def *d = addressable_def(e, name);
    return d && strcmp(d->dtype, "preview") == 0;
}

static size_t preview_dims(const savu_entry *e, const char *name)
{
    size_t n = json_array_size(json_object_get(e->params, name));
    if (n < MIN_PREVIEW_DIMS)
        n = MIN_PREVIEW_DIMS;
    return n > MAX_PREVIEW_DIMS ? MAX_PREVIEW_DIMS : n;
}

/* name, then name.dim1 ... when it is a preview. */
static void add_name(shell_match_list *m, const savu_entry *e, const char *name)
{
    shell_match_add(m, name);
    if (!is_preview(e, name))
        return;
    for (size_t d = 1; d <= preview_dims(e, name); d++) {
        char text[256];
        snprintf(text, sizeof text, "%s.dim%zu", name, d);
        shell_match_add(m, text);
    }
}

/* Calls add for every parameter name of e visible at level. */
static void each_visible_name(const savu_entry *e, enum savu_visibility level,
                              void (*add)(shell_match_list *, const savu_entry *, const char *),
                              shell_match_list *m)
{
    if (!e->plugin) { /* not available here: the names it has */
        const char *name;
        json_t *value;
        json_object_foreach(e->params, name, value)
            add(m, e, name);
        return;
    }
    const struct savu_param_def *defs[MAX_PARAMS];
    size_t n = savu_param_display_list(e->plugin, e->params, level, defs, MAX_PARAMS);
    for (size_t i = 0; i < n && i < MAX_PARAMS; i++)
        add(m, e, defs[i]->name);
}

/* "dim2" -> 2; 0 when it is not a dimension. */
static size_t dim_number(const char *text, size_t len)
{
    if (len < 4 || len > 6 || strncmp(text, "dim", 3) != 0)
        return 0;
    size_t n = 0;
    for (size_t i = 3; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        n = 10 * n + (size_t)(text[i] - '0');
    }
    return n;
}

void shell_match_param_part(shell_match_list *m, const savu_entry *e, enum savu_visibility level,
                            const char *key)
{
    const char *dot = strchr(key, '.');
    if (!dot) {
        each_visible_name(e, level, add_name, m);
        return;
    }
    char name[256];
    if ((size_t)(dot - key) >= sizeof name)
        return;
    snprintf(name, sizeof name, "%.*s", (int)(dot - key), key);
    if (!is_preview(e, name))
        return;
    const char *part = dot + 1, *dot2 = strchr(part, '.');
    size_t dims = preview_dims(e, name);
    if (!dot2) {
        for (size_t d = 1; d <= dims; d++) {
            char text[16];
            snprintf(text, sizeof text, "dim%zu", d);
            shell_match_add(m, text);
        }
        return;
    }
    size_t dim = dim_number(part, (size_t)(dot2 - part));
    if (dim < 1 || dim > MAX_PREVIEW_DIMS || strchr(dot2 + 1, '.'))
        return;
    for (size_t f = 0; f < sizeof slice_fields / sizeof slice_fields[0]; f++)
        shell_match_add(m, slice_fields[f]);
}

/* Whether `name` is one of the alternatives at the top of a dtype ("dir",
 * or "[filepath, None]"). */
static bool token_is(const char *tok, size_t len, const char *name)
{
    while (len && *tok == ' ')
        tok++, len--;
    while (len && tok[len - 1] == ' ')
        len--;
    return len == strlen(name) && strncmp(tok, name, len) == 0;
}

static bool dtype_has_alternative(const char *dtype, const char *name)
{
    size_t len = strlen(dtype);
    if (len < 2 || dtype[0] != '[' || dtype[len - 1] != ']')
        return token_is(dtype, len, name);
    const char *p = dtype + 1, *tok = p;
    int depth = 0;
    for (size_t i = 0; i <= len - 2; i++) {
        char c = i < len - 2 ? p[i] : ',';
        if (c == '[' || c == '{')
            depth++;
        else if (c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 0) {
            if (token_is(tok, (size_t)(p + i - tok), name))
                return true;
            tok = p + i + 1;
        }
    }
    return false;
}

static bool dtype_accepts(const savu_dtype *t, json_t *value)
{
    savu_error err;
    bool ok = t && value && savu_dtype_check(t, value, &err) == 0;
    json_decref(value);
    return ok;
}

/* A value as the user would type it: strings bare when that reads back as
 * the same string (else quoted), None, true/false, JSON for the rest. */
static char *typed_form(const json_t *v)
{
    if (json_is_null(v))
        return strdup("None");
    if (json_is_boolean(v))
        return strdup(json_is_true(v) ? "true" : "false");
    if (json_is_string(v)) {
        savu_error err;
        json_t *back = savu_value_parse(json_string_value(v), &err);
        bool bare = back && json_equal(back, v);
        json_decref(back);
        if (bare)
            return strdup(json_string_value(v));
    }
    return savu_json_dumps(v);
}

static void add_default(shell_match_list *m, const char *default_json)
{
    json_t *v = default_json ? json_loads(default_json, JSON_DECODE_ANY, NULL) : NULL;
    if (!v)
        return;
    char *text = typed_form(v);
    json_decref(v);
    if (text)
        shell_match_add(m, text);
    else
        m->out_of_memory = true;
    free(text);
}

void shell_match_param_values(shell_match_list *m, const savu_entry *e, const char *key)
{
    const struct savu_param_def *d = addressable_def(e, key);
    if (!d)
        return;
    for (size_t i = 0; d->options && d->options[i]; i++)
        shell_match_add(m, d->options[i]);
    savu_error err;
    savu_dtype *t = savu_dtype_parse(d->dtype, &err);
    if (dtype_accepts(t, json_true())) {
        shell_match_add(m, "true");
        shell_match_add(m, "false");
    }
    if (dtype_accepts(t, json_null()))
        shell_match_add(m, "None");
    savu_dtype_free(t);
    add_default(m, d->default_json);
    if (dtype_has_alternative(d->dtype, "filepath") || dtype_has_alternative(d->dtype, "dir"))
        shell_match_add_files(m);
}

static void add_plain_name(shell_match_list *m, const savu_entry *e, const char *name)
{
    (void)e;
    shell_match_add(m, name);
}

void shell_match_global_names(shell_match_list *m, const savu_process_list *list,
                              enum savu_visibility level)
{
    for (size_t i = 0; i < list->n; i++)
        if (list->entries[i]->plugin) /* mod -g sets only plugins that define the name */
            each_visible_name(list->entries[i], level, add_plain_name, m);
}

void shell_match_global_values(shell_match_list *m, const savu_process_list *list,
                               const char *name)
{
    for (size_t i = 0; i < list->n; i++) {
        const savu_entry *e = list->entries[i];
        if (addressable_def(e, name)) {
            shell_match_param_values(m, e, name);
            return;
        }
    }
}
