/* display_entry.c: process-list entries as `disp` shows them (titles, with
 * disabled plugins marked ***OFF*** and plugins not available here marked;
 * parameters numbered in display order and grouped by visibility; tuned
 * parameters with their values and the output dimensions they add; the
 * preview expanded per dimension) and available plugins as `list` shows
 * them. */
#include "display.h"

#include <stdlib.h>
#include <string.h>
#include "parameters.h"
#include "validate.h"
#include "value.h"

#define MAX_PARAMS 256
#define MAX_TUNED_SHOWN 10
#define FIELD_MAX 260

static const char *visibility_name(enum savu_visibility v)
{
    switch (v) {
    case SAVU_VIS_BASIC: return "basic";
    case SAVU_VIS_INTERMEDIATE: return "intermediate";
    case SAVU_VIS_ADVANCED: return "advanced";
    case SAVU_VIS_DATASETS: return "datasets";
    default: return "hidden";
    }
}

static bool is_dataset_param(const char *name)
{
    return strcmp(name, "in_datasets") == 0 || strcmp(name, "out_datasets") == 0;
}

/* The level at which a parameter is shown (datasets with advanced). */
static enum savu_visibility shown_at(enum savu_visibility v)
{
    return v == SAVU_VIS_DATASETS ? SAVU_VIS_ADVANCED : v;
}

/* ---- tuned values ---- */

static bool is_tuned(const json_t *value)
{
    return json_is_string(value) && savu_value_is_tuned(json_string_value(value));
}

size_t display_tuned_counts(const savu_entry *e, size_t *counts, const char **names, size_t max)
{
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach(e->params, key, value) {
        if (!is_tuned(value))
            continue;
        if (n < max) {
            json_t *values = savu_tuning_expand(json_string_value(value), NULL);
            counts[n] = values ? json_array_size(values) : 0;
            names[n] = key;
            json_decref(values);
        }
        n++;
    }
    return n;
}

/* "tuned: 3 values: 85, 86, 87" under a tuned parameter's value. */
static void show_tuned_values(FILE *out, const json_t *value, int indent)
{
    savu_error err = {{0}};
    json_t *values = savu_tuning_expand(json_string_value(value), &err);
    char line[1024];
    if (!values) {
        snprintf(line, sizeof line, "tuning not valid: %.900s", err.msg);
    } else {
        size_t n = json_array_size(values), used;
        used = (size_t)snprintf(line, sizeof line, "tuned: %zu value%s:", n, n == 1 ? "" : "s");
        for (size_t i = 0; i < n && i < MAX_TUNED_SHOWN && used < sizeof line; i++) {
            char *text = savu_param_value_text(json_array_get(values, i));
            used += (size_t)snprintf(line + used, sizeof line - used, "%s %s", i ? "," : "",
                                     text ? text : "?");
            free(text);
        }
        if (n > MAX_TUNED_SHOWN && used < sizeof line)
            snprintf(line + used, sizeof line - used, ", ... (%zu more)", n - MAX_TUNED_SHOWN);
    }
    json_decref(values);
    display_wrapped(out, STYLE_TUNING, indent, line);
}

/* The summary line: how the tuned parameters multiply the output. */
static void show_tuning_summary(FILE *out, const savu_entry *e)
{
    size_t counts[16];
    const char *names[16];
    size_t n = display_tuned_counts(e, counts, names, 16);
    if (n == 0)
        return;
    char line[1024];
    size_t used = (size_t)snprintf(line, sizeof line, "Parameter tuning:");
    unsigned long long runs = 1;
    for (size_t i = 0; i < n && i < 16 && used < sizeof line; i++) {
        used += (size_t)snprintf(line + used, sizeof line - used, "%s %s (%zu)", i ? " x" : "",
                                 names[i], counts[i]);
        runs *= counts[i];
    }
    if (used < sizeof line)
        snprintf(line + used, sizeof line - used,
                 " adds %zu output dimension%s (the first varies fastest), %llu combination%s.", n,
                 n == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
    display_wrapped(out, STYLE_TUNING, 2, line);
}

/* ---- the preview, expanded ---- */

/* start, stop, step and chunk of one preview entry, as text. */
static void preview_fields(const json_t *entry, char fields[4][FIELD_MAX])
{
    char text[256];
    if (json_is_string(entry))
        snprintf(text, sizeof text, "%s", json_string_value(entry));
    else if (json_is_integer(entry))
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(entry));
    else
        snprintf(text, sizeof text, ":");
    const char *defaults[4] = {"0", "end", "1", "1"};
    if (!strchr(text, ':')) {
        snprintf(fields[0], FIELD_MAX, "%s", text);
        char *endp;
        long v = strtol(text, &endp, 10);
        if (*text && !*endp)
            snprintf(fields[1], FIELD_MAX, "%ld", v + 1);
        else
            snprintf(fields[1], FIELD_MAX, "%s+1", text);
        snprintf(fields[2], FIELD_MAX, "1");
        snprintf(fields[3], FIELD_MAX, "1");
        return;
    }
    char *p = text;
    for (int i = 0; i < 4; i++) {
        char *colon = p ? strchr(p, ':') : NULL;
        if (colon)
            *colon = '\0';
        snprintf(fields[i], FIELD_MAX, "%s", p && *p ? p : defaults[i]);
        p = colon ? colon + 1 : NULL;
    }
}

static void show_preview_expanded(FILE *out, const json_t *value, int indent, int dim)
{
    if (!json_is_array(value))
        return;
    size_t n = json_array_size(value);
    for (size_t i = 0; i < n; i++) {
        if (dim > 0 && (size_t)dim != i + 1)
            continue;
        char fields[4][FIELD_MAX];
        preview_fields(json_array_get(value, i), fields);
        fprintf(out, "%*sdim%zu : start %s, stop %s, step %s, chunk %s\n", indent, "", i + 1,
                fields[0], fields[1], fields[2], fields[3]);
    }
    if (n == 0)
        fprintf(out, "%*s(no preview: all the data)\n", indent, "");
}

/* ---- parameters ---- */

static void show_options(FILE *out, const struct savu_param_def *def, const json_t *value,
                         shell_verbosity v)
{
    if (!def->options)
        return;
    json_t *tuned = is_tuned(value) ? savu_tuning_expand(json_string_value(value), NULL) : NULL;
    const char *current = json_is_string(value) ? json_string_value(value) : NULL;
    char *current_text = current ? NULL : savu_param_value_text(value);
    fprintf(out, "%*s", 8, "");
    display_style_on(out, STYLE_OPTION);
    fputs("Options:", out);
    display_style_off(out, STYLE_OPTION);
    fputc('\n', out);
    for (size_t i = 0; def->options[i]; i++) {
        const char *opt = def->options[i];
        bool selected = strcmp(opt, current ? current : (current_text ? current_text : "")) == 0;
        for (size_t k = 0; tuned && k < json_array_size(tuned); k++) {
            const char *item = json_string_value(json_array_get(tuned, k));
            selected = selected || (item && strcmp(item, opt) == 0);
        }
        char line[1024];
        const char *desc = v >= SHOW_VVERBOSE && def->option_descriptions
                               ? def->option_descriptions[i] : NULL;
        snprintf(line, sizeof line, "%s%s%s%s", opt, selected ? " (current)" : "",
                 desc && *desc ? ": " : "", desc && *desc ? desc : "");
        display_hanging(out, "          - ", selected ? STYLE_CURRENT : NULL, 12, line);
    }
    free(current_text);
    json_decref(tuned);
}

static void show_param_details(FILE *out, const struct savu_param_def *def, const json_t *value,
                               shell_verbosity v)
{
    if (v < SHOW_VERBOSE)
        return;
    display_wrapped(out, STYLE_DESCRIPTION, 8, def->summary);
    if (v >= SHOW_VVERBOSE) {
        display_wrapped(out, STYLE_VERBOSE, 8, def->verbose);
        if (def->range) {
            char line[512];
            snprintf(line, sizeof line, "Range: %s", def->range);
            display_wrapped(out, STYLE_RANGE, 8, line);
        }
    }
    show_options(out, def, value, v);
}

/* One parameter line: "   3)   centre_of_rotation : 85;86;87" (number 0:
 * none), then tuned values, the expanded preview and descriptions. */
static void show_param(FILE *out, int number, int name_width, const char *name,
                       const json_t *value, const struct savu_param_def *def,
                       const display_options *o)
{
    char prefix[256];
    if (number > 0)
        snprintf(prefix, sizeof prefix, "   %2d) %*s : ", number, name_width, name);
    else
        snprintf(prefix, sizeof prefix, "       %*s : ", name_width, name);
    char *text = value ? savu_param_value_text(value) : strdup("(not set)");
    display_hanging(out, prefix, NULL, 8, text ? text : "?");
    free(text);
    int value_column = (int)strlen(prefix);
    if (value_column > display_width() - 24)
        value_column = 8;
    if (value && is_tuned(value))
        show_tuned_values(out, value, value_column);
    if (o->expand_dim >= 0 && strcmp(name, "preview") == 0)
        show_preview_expanded(out, value, value_column, o->expand_dim);
    if (def)
        show_param_details(out, def, value, o->verbosity);
}

static bool param_wanted(const struct savu_param_def *def, const display_options *o)
{
    if (o->param)
        return strcmp(def->name, o->param) == 0;
    if (o->datasets_only)
        return is_dataset_param(def->name);
    return shown_at(def->visibility) <= o->level;
}

static void show_known_params(FILE *out, const savu_entry *e, const display_options *o)
{
    const struct savu_param_def *defs[MAX_PARAMS];
    size_t n = savu_param_display_list(e->plugin, e->params, SAVU_VIS_ADVANCED, defs, MAX_PARAMS);
    if (n > MAX_PARAMS)
        n = MAX_PARAMS;
    int name_width = 0;
    for (size_t i = 0; i < n; i++)
        if (param_wanted(defs[i], o) && (int)strlen(defs[i]->name) > name_width)
            name_width = (int)strlen(defs[i]->name);
    int previous = -1;
    for (size_t i = 0; i < n; i++) {
        const struct savu_param_def *def = defs[i];
        if (!param_wanted(def, o))
            continue;
        if ((int)def->visibility != previous)
            display_separator(out, visibility_name(def->visibility));
        previous = (int)def->visibility;
        show_param(out, (int)i + 1, name_width, def->name, json_object_get(e->params, def->name),
                   def, o);
    }
}

/* A plugin not available here: its stored values, by name. */
static void show_opaque_params(FILE *out, const savu_entry *e, const display_options *o)
{
    const char *key;
    json_t *value;
    int name_width = 0;
    json_object_foreach(e->params, key, value) {
        if ((!o->param || strcmp(key, o->param) == 0) && (int)strlen(key) > name_width)
            name_width = (int)strlen(key);
    }
    bool any = false;
    json_object_foreach(e->params, key, value) {
        if (o->param && strcmp(key, o->param) != 0)
            continue;
        if (o->datasets_only && !is_dataset_param(key))
            continue;
        if (!any)
            display_separator(out, "stored values (plugin not available here)");
        any = true;
        show_param(out, 0, name_width, key, value, NULL, o);
    }
}

/* ---- titles ---- */

static bool in_loop(const savu_process_list *pl, size_t index)
{
    for (size_t g = 0; g < pl->n_groups; g++)
        if ((int)index + 1 >= pl->groups[g].start && (int)index + 1 <= pl->groups[g].end)
            return true;
    return false;
}

static void show_title(FILE *out, const savu_process_list *pl, size_t index, shell_verbosity v)
{
    const savu_entry *e = pl->entries[index];
    bool loop = in_loop(pl, index);
    char title[512];
    snprintf(title, sizeof title, "%s %s%s) %s%s", loop ? "   " : "", e->active ? "" : "***OFF*** ",
             e->pos, e->name ? e->name : "?",
             e->plugin ? "" : "  [unavailable: kept as it is]");
    const char *style = !e->active ? STYLE_OFF : !e->plugin ? STYLE_UNKNOWN
                        : loop ? STYLE_LOOP : STYLE_TITLE;
    if (v >= SHOW_VERBOSE && e->id && *e->id) {
        size_t len = strlen(title);
        if ((int)(len + strlen(e->id) + 3) <= display_width()) {
            snprintf(title + len, sizeof title - len, " (%s)", e->id);
            display_bar(out, style, title);
        } else {
            display_bar(out, style, title);
            char id[512];
            snprintf(id, sizeof id, "(%s)", e->id);
            display_wrapped(out, NULL, 4, id);
        }
    } else {
        display_bar(out, style, title);
    }
}

static void show_entry(FILE *out, const savu_process_list *pl, size_t index,
                       const display_options *o)
{
    const savu_entry *e = pl->entries[index];
    show_title(out, pl, index, o->verbosity);
    if (o->verbosity == SHOW_QUIET)
        return;
    const struct savu_plugin *p = e->plugin;
    if (p && o->verbosity >= SHOW_VERBOSE)
        display_wrapped(out, STYLE_SYNOPSIS, 2, p->synopsis);
    if (p && o->verbosity >= SHOW_VVERBOSE) {
        display_wrapped(out, STYLE_DESCRIPTION, 2, p->info);
        display_wrapped(out, STYLE_WARNING, 2, p->warning);
    }
    if (p)
        show_known_params(out, e, o);
    else
        show_opaque_params(out, e, o);
    if (!o->param)
        show_tuning_summary(out, e);
}

static void loop_marks(FILE *out, const savu_process_list *pl, size_t index, bool start)
{
    for (size_t g = 0; g < pl->n_groups; g++) {
        const savu_iterate_group *grp = &pl->groups[g];
        char text[128];
        if (start && grp->start == (int)index + 1) {
            snprintf(text, sizeof text, "Iterative loop of plugin(s) starts (%d iteration%s)",
                     grp->iterations, grp->iterations == 1 ? "" : "s");
            display_separator(out, text);
        } else if (!start && grp->end == (int)index + 1) {
            display_separator(out, "Iterative loop of plugin(s) ends");
        }
    }
}

void display_entries(FILE *out, const shell_session *s, size_t first, size_t last,
                     const display_options *o)
{
    const savu_process_list *pl = s->list;
    fputc('\n', out);
    display_rule(out, '*');
    if (pl->n == 0)
        fprintf(out, " The process list is empty.\n");
    for (size_t i = first; i <= last && i < pl->n; i++) {
        loop_marks(out, pl, i, true);
        show_entry(out, pl, i, o);
        loop_marks(out, pl, i, false);
    }
    display_rule(out, '*');
    fputc('\n', out);
}

void display_list_quiet(FILE *out, const shell_session *s)
{
    display_options o = {SHOW_QUIET, s->level, false, NULL, -1};
    display_entries(out, s, 0, s->list->n ? s->list->n - 1 : 0, &o);
}

/* ---- available plugins (list) ---- */

void display_plugin(FILE *out, const struct savu_plugin *p, shell_verbosity v)
{
    char title[256];
    snprintf(title, sizeof title, " %s", p->name);
    display_style_on(out, STYLE_HEADING);
    fputs(title, out);
    display_style_off(out, STYLE_HEADING);
    fputc('\n', out);
    if (v == SHOW_QUIET)
        return;
    display_wrapped(out, STYLE_SYNOPSIS, 2, p->synopsis);
    if (v >= SHOW_VERBOSE)
        display_wrapped(out, STYLE_DESCRIPTION, 2, p->info);
    if (v < SHOW_VVERBOSE)
        return;
    display_wrapped(out, STYLE_WARNING, 2, p->warning);
    savu_error err = {{0}};
    savu_entry *e = savu_entry_new_default(p, &err);
    if (!e) {
        fprintf(out, "  (%s)\n", err.msg);
        return;
    }
    display_options o = {SHOW_VERBOSE, SAVU_VIS_ADVANCED, false, NULL, -1};
    show_known_params(out, e, &o);
    savu_entry_free(e);
}
