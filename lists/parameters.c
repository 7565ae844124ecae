/* parameters.c: a plugin entry's parameters as users see and edit them
 * (reference savu-config.md §3.2): display order and numbering, lookup by
 * name or number, `mod` (typed text → tuning normalisation → parsing →
 * validation, preview sub-addressing), `mod -d`, `mod -g` and `ref`. */
#include "parameters.h"
#include "preview.h"
#include "validate.h"
#include "value.h"
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_PRESENT "This parameter is not present in this plug in."
#define PREVIEW_MAX_DIMS 32

/* ---- display order and numbering ---- */

/* 0 basic, 1 intermediate, 2 advanced (datasets too), -1 hidden. */
static int display_group(enum savu_visibility v)
{
    switch (v) {
    case SAVU_VIS_BASIC: return 0;
    case SAVU_VIS_INTERMEDIATE: return 1;
    case SAVU_VIS_ADVANCED:
    case SAVU_VIS_DATASETS: return 2;
    case SAVU_VIS_HIDDEN: return -1;
    }
    return -1;
}

size_t savu_param_display_list(const struct savu_plugin *p, const json_t *params,
                               enum savu_visibility level, const struct savu_param_def **out,
                               size_t max)
{
    if (!p)
        return 0;
    int last_group = display_group(level);
    if (last_group < 0)
        last_group = 2;
    size_t count = 0;
    for (int group = 0; group <= last_group; group++) {
        for (size_t i = 0; i < p->n_params; i++) {
            const struct savu_param_def *d = &p->params[i];
            if (display_group(d->visibility) != group || !savu_param_is_active(d, params))
                continue;
            if (out && count < max)
                out[count] = d;
            count++;
        }
    }
    return count;
}

static bool is_number_key(const char *key)
{
    size_t n = strlen(key);
    return n > 0 && strspn(key, "0123456789") == n;
}

static const struct savu_param_def *resolve_number(const struct savu_plugin *p,
                                                   const json_t *params, const char *key,
                                                   savu_error *err)
{
    size_t wanted = strlen(key) > 9 ? 0 : (size_t)strtoul(key, NULL, 10);
    size_t count = savu_param_display_list(p, params, SAVU_VIS_ADVANCED, NULL, 0);
    if (wanted == 0 || wanted > count) {
        savu_error_set(err, NOT_PRESENT);
        return NULL;
    }
    const struct savu_param_def **order = malloc(count * sizeof *order);
    if (!order) {
        savu_error_set(err, "out of memory");
        return NULL;
    }
    savu_param_display_list(p, params, SAVU_VIS_ADVANCED, order, count);
    const struct savu_param_def *d = order[wanted - 1];
    free(order);
    return d;
}

const struct savu_param_def *savu_param_resolve(const struct savu_plugin *p, const json_t *params,
                                                const char *key, savu_error *err)
{
    if (!p || !key) {
        savu_error_set(err, NOT_PRESENT);
        return NULL;
    }
    if (is_number_key(key))
        return resolve_number(p, params, key, err);
    const struct savu_param_def *d = savu_param_find(p, key);
    if (!d || d->visibility == SAVU_VIS_HIDDEN) {
        savu_error_set(err, NOT_PRESENT);
        return NULL;
    }
    if (!savu_param_is_active(d, params)) {
        savu_error_set(err, "The parameter %s is not in use with the current values: it depends on %s.",
                       d->name, d->dependency);
        return NULL;
    }
    return d;
}

/* ---- preview sub-addressing: "dimN" and "dimN.start|stop|step|chunk" ---- */

static const char *const slice_fields[] = {"start", "stop", "step", "chunk"};
/* What an empty field means, written out when a later field is set. */
static const char *const slice_field_defaults[] = {"0", "end", "1", "1"};
#define N_SLICE_FIELDS 4
#define FIELD_MAX 128 /* characters of one field, with its end */

typedef struct {
    size_t dim;   /* 1-based */
    int field;    /* index into slice_fields, -1 for the whole entry */
} preview_part;

static int parse_preview_part(const char *sub, preview_part *part, savu_error *err)
{
    const char *p = sub;
    part->dim = 0;
    part->field = -1;
    if (strncmp(p, "dim", 3) != 0 || !isdigit((unsigned char)p[3]))
        goto bad;
    p += 3;
    size_t digits = strspn(p, "0123456789");
    part->dim = digits <= 3 ? (size_t)strtoul(p, NULL, 10) : 0;
    p += digits;
    if (part->dim < 1 || part->dim > PREVIEW_MAX_DIMS)
        return savu_error_set(err, "Preview dimension '%s' is out of range: dim1 to dim%d.", sub,
                              PREVIEW_MAX_DIMS);
    if (*p == '\0')
        return 0;
    if (*p++ != '.')
        goto bad;
    for (int f = 0; f < N_SLICE_FIELDS; f++)
        if (strcmp(p, slice_fields[f]) == 0)
            part->field = f;
    if (part->field >= 0)
        return 0;
bad:
    return savu_error_set(err, "Unknown preview part '%s': use dimN or dimN.start, .stop, .step or .chunk.",
                          sub);
}

/* The text of a preview entry (strings as they are, integers written out;
 * anything else, which the preview check rejects, reads as ':'). */
static char *entry_text(const json_t *entry)
{
    if (json_is_string(entry))
        return strdup(json_string_value(entry));
    char buf[32] = ":";
    if (json_is_integer(entry))
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(entry));
    return strdup(buf);
}

/* A preview entry typed by the user, stored as a string as Savu does ("5",
 * "mid-5:mid+6"). */
static json_t *parse_preview_entry(const char *text, savu_error *err)
{
    json_t *v = savu_value_parse(text, err);
    if (v && !json_is_string(v) && !json_is_integer(v)) {
        json_decref(v);
        savu_error_set(err, "A preview dimension takes one entry such as ':', 'mid' or '0:10:2', not '%s'.",
                       text);
        return NULL;
    }
    if (json_is_integer(v)) {
        char *as_text = entry_text(v);
        json_decref(v);
        v = as_text ? json_string(as_text) : NULL;
        free(as_text);
        if (!v)
            savu_error_set(err, "out of memory");
    }
    return v;
}

/* Splits an entry into its fields; a single index n becomes n:n+1. Returns
 * how many fields were written (at least 2), or -1. */
static int split_entry(const char *text, char fields[N_SLICE_FIELDS][FIELD_MAX], savu_error *err)
{
    for (int f = 0; f < N_SLICE_FIELDS; f++)
        fields[f][0] = '\0';
    if (strlen(text) >= FIELD_MAX - 2)
        return savu_error_set(err, "The preview entry '%.40s...' is too long.", text);
    if (*text && !strchr(text, ':')) {
        char *end;
        long n = strtol(text, &end, 10);
        snprintf(fields[0], FIELD_MAX, "%s", text);
        if (*end == '\0' && n < LONG_MAX)
            snprintf(fields[1], FIELD_MAX, "%ld", n + 1);
        else
            snprintf(fields[1], FIELD_MAX, "%s+1", text);
        return 2;
    }
    int count = 0;
    const char *p = text;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (count == N_SLICE_FIELDS || len >= FIELD_MAX)
            return savu_error_set(err, "The preview entry '%s' is not start:stop:step:chunk.", text);
        snprintf(fields[count++], FIELD_MAX, "%.*s", (int)len, p);
        if (!colon)
            break;
        p = colon + 1;
    }
    return count < 2 ? 2 : count;
}

/* One field typed by the user ("mid-5", "10") as text. */
static char *field_text(int field, const char *text, savu_error *err)
{
    json_t *typed = parse_preview_entry(text, err);
    if (!typed)
        return NULL;
    char *out = entry_text(typed);
    json_decref(typed);
    if (!out)
        savu_error_set(err, "out of memory");
    else if (strchr(out, ':') || strlen(out) >= FIELD_MAX) {
        savu_error_set(err, "A preview %s takes one number or expression, not '%s'.",
                       slice_fields[field], out);
        free(out);
        out = NULL;
    }
    return out;
}

/* The entry `old` with one field replaced by what the user typed; fields
 * left empty before it are written out with their meaning (0, end, 1). */
static json_t *entry_with_field(const json_t *old, int field, const char *text, savu_error *err)
{
    char *new_field = field_text(field, text, err);
    if (!new_field)
        return NULL;
    char *old_text = entry_text(old);
    char fields[N_SLICE_FIELDS][FIELD_MAX];
    int count = old_text ? split_entry(old_text, fields, err) : savu_error_set(err, "out of memory");
    free(old_text);
    if (count < 0) {
        free(new_field);
        return NULL;
    }
    snprintf(fields[field], FIELD_MAX, "%s", new_field);
    free(new_field);
    if (field + 1 > count)
        count = field + 1;
    char out[N_SLICE_FIELDS * (FIELD_MAX + 1)] = "";
    for (int f = 0; f < count; f++) {
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s", f ? ":" : "",
                 fields[f][0] ? fields[f] : slice_field_defaults[f]);
    }
    return json_string(out);
}

/* The whole preview value after setting one part of it. */
static json_t *preview_with_part(const json_t *current, const char *sub, const char *text,
                                 savu_error *err)
{
    preview_part part;
    if (parse_preview_part(sub, &part, err) < 0)
        return NULL;
    json_t *preview = json_is_array(current) ? json_deep_copy(current) : json_array();
    if (!preview) {
        savu_error_set(err, "out of memory");
        return NULL;
    }
    while (json_array_size(preview) < part.dim)
        json_array_append_new(preview, json_string(":"));
    json_t *entry = part.field < 0
                        ? parse_preview_entry(text, err)
                        : entry_with_field(json_array_get(preview, part.dim - 1), part.field, text, err);
    if (!entry || json_array_set_new(preview, part.dim - 1, entry) < 0) {
        json_decref(preview);
        return NULL;
    }
    return preview;
}

/* ---- modifying ---- */

static bool is_blank(const char *text)
{
    if (!text)
        return true;
    while (isspace((unsigned char)*text))
        text++;
    return *text == '\0';
}

static bool is_preview_param(const struct savu_param_def *def, const char *name)
{
    if (def)
        return strcmp(def->name, "preview") == 0 || (def->dtype && strcmp(def->dtype, "preview") == 0);
    return strcmp(name, "preview") == 0;
}

/* The value that `text` gives parameter `name` of entry e (def NULL for an
 * opaque entry), `sub` being a preview part or "". Validated; e unchanged. */
static json_t *new_param_value(const savu_entry *e, const struct savu_param_def *def,
                               const char *name, const char *sub, const char *text,
                               bool *tuning_applied, savu_error *err)
{
    bool preview = is_preview_param(def, name);
    if (*sub && !preview) {
        savu_error_set(err, "The parameter %s has no part '%s'.", name, sub);
        return NULL;
    }
    if (is_blank(text)) {
        savu_error_set(err, "Please enter a value");
        return NULL;
    }
    json_t *value;
    if (*sub) {
        value = preview_with_part(json_object_get(e->params, name), sub, text, err);
    } else {
        bool applied = false;
        char *normalised = savu_tuning_normalise(text, preview, &applied);
        if (!normalised) {
            savu_error_set(err, "out of memory");
            return NULL;
        }
        if (applied && tuning_applied)
            *tuning_applied = true;
        value = savu_value_for_parameter(normalised, preview, err);
        free(normalised);
    }
    if (value && def && savu_param_validate(def, value, e->pos, err) < 0) {
        json_decref(value);
        return NULL;
    }
    return value;
}

/* Splits "preview.dim2.start" into "preview" and "dim2.start". */
static int split_key(const char *key, char *first, size_t size, const char **sub, savu_error *err)
{
    const char *dot = strchr(key, '.');
    size_t len = dot ? (size_t)(dot - key) : strlen(key);
    if (len == 0 || len >= size)
        return savu_error_set(err, NOT_PRESENT);
    memcpy(first, key, len);
    first[len] = '\0';
    *sub = dot ? dot + 1 : "";
    return 0;
}

int savu_entry_modify(savu_entry *e, const char *key, const char *text, bool *tuning_applied,
                      savu_error *err)
{
    if (tuning_applied)
        *tuning_applied = false;
    char first[256];
    const char *sub = "";
    if (!key || split_key(key, first, sizeof first, &sub, err) < 0)
        return savu_error_set(err, NOT_PRESENT);
    const struct savu_param_def *def = NULL;
    const char *name = first;
    if (e->plugin) {
        def = savu_param_resolve(e->plugin, e->params, first, err);
        if (!def)
            return -1;
        name = def->name;
    } else if (!json_object_get(e->params, first)) {
        return savu_error_set(err, NOT_PRESENT);
    }
    json_t *value = new_param_value(e, def, name, sub, text, tuning_applied, err);
    if (!value)
        return -1;
    if (json_object_set_new(e->params, name, value) < 0)
        return savu_error_set(err, "out of memory");
    return 0;
}

int savu_entry_restore_default(savu_entry *e, const char *key, savu_error *err)
{
    if (!e->plugin)
        return savu_error_set(err, "Plugin %s (%s) is not known here, so its defaults are unknown.",
                              e->pos, e->name);
    const struct savu_param_def *def = savu_param_resolve(e->plugin, e->params, key, err);
    if (!def)
        return -1;
    json_t *value = savu_param_default(def, err);
    if (!value)
        return -1;
    if (json_object_set_new(e->params, def->name, value) < 0)
        return savu_error_set(err, "out of memory");
    return 0;
}

/* The definition of `name` in e when it can be set globally: known, not
 * hidden, in use. */
static const struct savu_param_def *global_target(const savu_entry *e, const char *name)
{
    const struct savu_param_def *def = savu_param_find(e->plugin, name);
    if (!def || def->visibility == SAVU_VIS_HIDDEN || !savu_param_is_active(def, e->params))
        return NULL;
    return def;
}

int savu_plist_set_global(savu_process_list *pl, const char *name, const char *text, int *count,
                          savu_error *err)
{
    if (count)
        *count = 0;
    if (!name || pl->n == 0)
        return savu_error_set(err, "No plugin in the list has the parameter %s.", name ? name : "");
    json_t **values = calloc(pl->n, sizeof *values);
    if (!values)
        return savu_error_set(err, "out of memory");
    int found = 0, rc = 0;
    for (size_t i = 0; i < pl->n && rc == 0; i++) {
        const struct savu_param_def *def = global_target(pl->entries[i], name);
        if (!def)
            continue;
        values[i] = new_param_value(pl->entries[i], def, def->name, "", text, NULL, err);
        rc = values[i] ? 0 : -1;
        found++;
    }
    if (rc == 0 && found == 0)
        rc = savu_error_set(err, "No plugin in the list has the parameter %s.", name);
    for (size_t i = 0; i < pl->n; i++) {
        if (values[i] && rc == 0)
            json_object_set_new(pl->entries[i]->params, name, values[i]);
        else
            json_decref(values[i]);
    }
    free(values);
    if (rc == 0 && count)
        *count = found;
    return rc;
}

/* ---- refresh (Savu's `ref`) ---- */

typedef struct {
    const savu_entry *e;
    void (*notice)(void *ctx, const char *line);
    void *ctx;
} refresh_report;

static void report(const refresh_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report(const refresh_report *r, const char *fmt, ...)
{
    if (!r->notice)
        return;
    char what[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char line[1024];
    snprintf(line, sizeof line, "Plugin %s %s: %s", r->e->pos, r->e->name, what);
    r->notice(r->ctx, line);
}

/* The default of def, reported when it replaces something; null when the
 * table's default is broken. */
static json_t *default_for_refresh(const refresh_report *r, const struct savu_param_def *def)
{
    savu_error err;
    json_t *value = savu_param_default(def, &err);
    if (!value) {
        report(r, "%s", err.msg);
        value = json_null();
    }
    return value;
}

/* The refreshed value of one parameter: the old one when valid, else the
 * default (reported). */
static json_t *refreshed_value(const refresh_report *r, const struct savu_param_def *def,
                               const json_t *old)
{
    if (!old) {
        json_t *value = default_for_refresh(r, def);
        char *shown = savu_param_value_text(value);
        report(r, "%s was missing; using the default %s", def->name, shown ? shown : "");
        free(shown);
        return value;
    }
    json_t *bad = NULL;
    savu_error reason;
    if (savu_param_check(def, old, &bad, &reason) == 0)
        return json_deep_copy(old);
    json_t *value = default_for_refresh(r, def);
    char *bad_text = bad ? savu_param_value_text(bad) : NULL;
    char *shown = savu_param_value_text(value);
    report(r, "the value %s of %s is not correct (%s); using the default %s",
           bad_text ? bad_text : "", def->name, reason.msg, shown ? shown : "");
    free(bad_text);
    free(shown);
    json_decref(bad);
    return value;
}

void savu_entry_refresh(savu_entry *e, bool reset_all,
                        void (*notice)(void *ctx, const char *line), void *ctx)
{
    if (!e->plugin)
        return;
    json_t *fresh = json_object();
    if (!fresh)
        return;
    refresh_report r = {e, notice, ctx};
    for (size_t i = 0; i < e->plugin->n_params; i++) {
        const struct savu_param_def *def = &e->plugin->params[i];
        json_t *value = reset_all ? default_for_refresh(&r, def)
                                  : refreshed_value(&r, def, json_object_get(e->params, def->name));
        json_object_set_new(fresh, def->name, value);
    }
    const char *name;
    json_t *old;
    json_object_foreach(e->params, name, old) {
        if (!reset_all && !savu_param_find(e->plugin, name))
            report(&r, "unknown parameter %s removed", name);
    }
    json_decref(e->params);
    e->params = fresh;
}
