/* plugin_check.c: checking a plugin descriptor before the registry accepts
 * it, so that a broken third-party plugin is reported when it is loaded and
 * never reaches the shell or the engine: a name and an id, known category,
 * visibility and pattern, and a parameter table whose types parse, whose
 * defaults are JSON and whose dependencies name other parameters. */
#include "registry.h"
#include "dtype.h"
#include <ctype.h>
#include <stdio.h>
#include <jansson.h>
#include <string.h>

static bool is_blank(const char *s)
{
    return !s || !*s;
}

/* Savu plugin names are Python class names: letters, digits and '_'. */
static bool is_word(const char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

static const struct savu_param_def *find_param(const struct savu_plugin *p, const char *name)
{
    for (size_t i = 0; i < p->n_params; i++)
        if (p->params[i].name && strcmp(p->params[i].name, name) == 0)
            return &p->params[i];
    return NULL;
}

/* A dependency is JSON {"parameter": [values...], ...} naming parameters of
 * this plugin. `what` says whose dependency it is, for the message. */
static int check_dependency(const struct savu_plugin *p, const char *dependency, const char *what,
                            savu_error *err)
{
    json_error_t jerr;
    json_t *dep = json_loads(dependency, 0, &jerr);
    if (!json_is_object(dep)) {
        json_decref(dep);
        return savu_error_set(err, "%s: dependency '%s' is not a JSON object {\"parameter\": [values]}",
                              what, dependency);
    }
    const char *parent;
    json_t *values;
    int rc = 0;
    json_object_foreach(dep, parent, values) {
        if (!find_param(p, parent)) {
            rc = savu_error_set(err, "%s: dependency on %s, which is not a parameter of %s", what,
                                parent, p->name);
            break;
        }
        if (!json_is_array(values)) {
            rc = savu_error_set(err, "%s: dependency on %s must list the values in [...]", what,
                                parent);
            break;
        }
    }
    json_decref(dep);
    return rc;
}

static int check_param(const struct savu_plugin *p, size_t index, savu_error *err)
{
    const struct savu_param_def *d = &p->params[index];
    if (is_blank(d->name))
        return savu_error_set(err, "parameter %zu has no name", index + 1);
    if (find_param(p, d->name) != d)
        return savu_error_set(err, "parameter %s is defined twice", d->name);
    if ((unsigned)d->visibility > SAVU_VIS_HIDDEN)
        return savu_error_set(err, "parameter %s: unknown visibility %d", d->name,
                              (int)d->visibility);
    if (is_blank(d->summary))
        return savu_error_set(err, "parameter %s has no summary", d->name);
    if (is_blank(d->dtype))
        return savu_error_set(err, "parameter %s has no dtype", d->name);
    savu_dtype *t = savu_dtype_parse(d->dtype, err);
    if (!t)
        return savu_error_prefix(err, "parameter %s: ", d->name);
    savu_dtype_free(t);
    if (!d->default_json)
        return savu_error_set(err, "parameter %s has no default", d->name);
    json_error_t jerr;
    json_t *v = json_loads(d->default_json, JSON_DECODE_ANY, &jerr);
    if (!v)
        return savu_error_set(err, "parameter %s: default '%s' is not JSON: %s", d->name,
                              d->default_json, jerr.text);
    json_decref(v);
    if (d->dependency) {
        char what[256];
        snprintf(what, sizeof what, "parameter %s", d->name);
        return check_dependency(p, d->dependency, what, err);
    }
    return 0;
}

static int check_citation(const struct savu_plugin *p, size_t index, savu_error *err)
{
    const struct savu_citation *c = &p->citations[index];
    if (is_blank(c->description))
        return savu_error_set(err, "citation %zu has no description", index + 1);
    if (is_blank(c->doi) && is_blank(c->bibtex))
        return savu_error_set(err, "citation %zu has neither a DOI nor BibTeX", index + 1);
    if (c->dependency) {
        char what[64];
        snprintf(what, sizeof what, "citation %zu", index + 1);
        return check_dependency(p, c->dependency, what, err);
    }
    return 0;
}

int savu_plugin_check(const struct savu_plugin *p, savu_error *err)
{
    if (is_blank(p->name))
        return savu_error_set(err, "a plugin has no name");
    if (!is_word(p->name))
        return savu_error_set(err, "plugin name '%s' is not one word of letters, digits and _",
                              p->name);
    if (is_blank(p->id))
        return savu_error_set(err, "plugin %s has no id", p->name);
    if (is_blank(p->synopsis))
        return savu_error_set(err, "plugin %s has no synopsis", p->name);
    if ((unsigned)p->category >= SAVU_CAT_COUNT)
        return savu_error_set(err, "plugin %s: unknown category %d", p->name, (int)p->category);
    if ((unsigned)p->pattern >= SAVU_PATTERN_COUNT)
        return savu_error_set(err, "plugin %s: unknown pattern %d", p->name, (int)p->pattern);
    if (p->max_frames < 0 || p->pad_frames < 0)
        return savu_error_set(err, "plugin %s: max_frames and pad_frames must not be negative",
                              p->name);
    if (p->scratch_frames < 0 || p->scratch_fixed_frames < 0)
        return savu_error_set(err, "plugin %s: scratch_frames and scratch_fixed_frames must not "
                              "be negative", p->name);
    if (p->n_params && !p->params)
        return savu_error_set(err, "plugin %s: n_params is %zu but params is NULL", p->name,
                              p->n_params);
    if (p->n_citations && !p->citations)
        return savu_error_set(err, "plugin %s: n_citations is %zu but citations is NULL",
                              p->name, p->n_citations);
    for (size_t i = 0; i < p->n_params; i++)
        if (check_param(p, i, err) < 0)
            return savu_error_prefix(err, "plugin %s: ", p->name);
    if (p->pattern == SAVU_PATTERN_FROM_PARAMETER && !find_param(p, "pattern"))
        return savu_error_set(err, "plugin %s: its pattern comes from a parameter, but it has "
                                   "no parameter named pattern", p->name);
    for (size_t i = 0; i < p->n_citations; i++)
        if (check_citation(p, i, err) < 0)
            return savu_error_prefix(err, "plugin %s: ", p->name);
    return 0;
}
