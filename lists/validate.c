/* validate.c: whether a parameter value suits its definition (reference
 * savu-config.md §4.2, §4.3): the dtype, then the options; the default is
 * always accepted (as Savu); a tuning value ("85;86;87", "1:4:1;") is
 * expanded and each of its values checked on its own. Also: dependencies
 * ({"parent": [values]}) and finding a definition by name. */
#include "validate.h"
#include "dtype.h"
#include "json_format.h"
#include "savu_plugin.h"
#include "value.h"
#include <stdlib.h>
#include <string.h>

/* Values compare as Savu compares them: numbers by value (1 == 1.0),
 * everything else exactly. */
static bool values_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal((json_t *)a, (json_t *)b) != 0;
}

char *savu_param_value_text(const json_t *value)
{
    if (json_is_string(value))
        return strdup(json_string_value(value));
    return savu_json_dumps(value);
}

json_t *savu_param_default(const struct savu_param_def *def, savu_error *err)
{
    json_error_t jerr;
    json_t *v = json_loads(def->default_json ? def->default_json : "null", JSON_DECODE_ANY, &jerr);
    if (!v)
        savu_error_set(err, "the default of parameter %s is not valid JSON: %s", def->name,
                       jerr.text);
    return v;
}

static bool is_default(const struct savu_param_def *def, const json_t *value)
{
    json_t *dflt = savu_param_default(def, NULL);
    bool same = dflt && values_equal(dflt, value);
    json_decref(dflt);
    return same;
}

/* ---- options ---- */

static bool matches_option(const json_t *value, const char *option)
{
    if (json_is_string(value) && strcmp(json_string_value(value), option) == 0)
        return true;
    json_t *parsed = savu_value_parse(option, NULL);
    bool same = parsed && values_equal(parsed, value);
    json_decref(parsed);
    return same;
}

static int check_options(const struct savu_param_def *def, const json_t *value, savu_error *err)
{
    if (!def->options || !def->options[0])
        return 0;
    for (const char *const *o = def->options; *o; o++)
        if (matches_option(value, *o))
            return 0;
    char list[768] = "";
    size_t len = 0;
    for (const char *const *o = def->options; *o && len < sizeof list; o++) {
        int n = snprintf(list + len, sizeof list - len, "%s%s", o == def->options ? "" : ", ", *o);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    return savu_error_set(err, "It does not match one of the required options. The options are: %s",
                          list);
}

/* ---- one value ---- */

static int check_one(const struct savu_param_def *def, const savu_dtype *t, const json_t *value,
                     savu_error *err)
{
    if (savu_dtype_check(t, value, err) < 0)
        return -1;
    return check_options(def, value, err);
}

static bool is_tuning_value(const json_t *value)
{
    return json_is_string(value) && savu_value_is_tuned(json_string_value(value));
}

/* Each value of a tuning sequence; *bad gets the first that fails. */
static int check_tuning(const struct savu_param_def *def, const savu_dtype *t, const json_t *value,
                        json_t **bad, savu_error *err)
{
    json_t *values = savu_tuning_expand(json_string_value(value), err);
    if (!values) {
        if (bad)
            *bad = json_incref((json_t *)value);
        return -1;
    }
    size_t i;
    json_t *item;
    json_array_foreach(values, i, item) {
        if (check_one(def, t, item, err) < 0) {
            if (bad)
                *bad = json_incref(item);
            json_decref(values);
            return -1;
        }
    }
    json_decref(values);
    return 0;
}

int savu_param_check(const struct savu_param_def *def, const json_t *value, json_t **bad,
                     savu_error *err)
{
    if (bad)
        *bad = NULL;
    if (!value)
        return savu_error_set(err, "no value");
    if (is_default(def, value))
        return 0;
    savu_error type_err;
    savu_dtype *t = savu_dtype_parse(def->dtype, &type_err);
    if (!t) {
        if (bad)
            *bad = json_incref((json_t *)value);
        return savu_error_set(err, "the definition of %s is broken: %s", def->name, type_err.msg);
    }
    int rc = check_one(def, t, value, err);
    if (rc < 0 && is_tuning_value(value))
        rc = check_tuning(def, t, value, bad, err);
    else if (rc < 0 && bad)
        *bad = json_incref((json_t *)value);
    savu_dtype_free(t);
    return rc;
}

int savu_param_validate(const struct savu_param_def *def, const json_t *value, const char *pos,
                        savu_error *err)
{
    json_t *bad = NULL;
    savu_error reason;
    if (savu_param_check(def, value, &bad, &reason) == 0)
        return 0;
    char *text = bad ? savu_param_value_text(bad) : NULL;
    savu_error_set(err, "ERROR: The value %s for %s%s%s is not correct. %s", text ? text : "",
                   pos ? pos : "", pos ? "." : "", def->name, reason.msg);
    free(text);
    json_decref(bad);
    return -1;
}

/* ---- dependencies ---- */

/* Whether one value is among `wanted` (an array, or a single value). */
static bool is_wanted(const json_t *value, const json_t *wanted)
{
    if (!json_is_array(wanted))
        return values_equal(value, wanted);
    size_t i;
    json_t *w;
    json_array_foreach(wanted, i, w) {
        if (values_equal(value, w))
            return true;
    }
    return false;
}

/* Whether the parent's value is wanted. A tuned parent ("FBP;CGLS")
 * matches when any of its values does. */
static bool parent_matches(const json_t *parent_value, const json_t *wanted)
{
    if (!is_tuning_value(parent_value))
        return is_wanted(parent_value, wanted);
    json_t *values = savu_tuning_expand(json_string_value(parent_value), NULL);
    if (!values)
        return is_wanted(parent_value, wanted);
    bool any = false;
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) {
        any = any || is_wanted(v, wanted);
    }
    json_decref(values);
    return any;
}

bool savu_param_is_active(const struct savu_param_def *def, const json_t *params)
{
    if (!def->dependency)
        return true;
    json_t *dep = json_loads(def->dependency, 0, NULL);
    if (!json_is_object(dep)) { /* a broken table: show the parameter */
        json_decref(dep);
        return true;
    }
    bool active = true;
    const char *parent;
    json_t *wanted;
    json_object_foreach(dep, parent, wanted) {
        const json_t *parent_value = json_object_get(params, parent);
        if (!parent_value || !parent_matches(parent_value, wanted)) {
            active = false;
            break;
        }
    }
    json_decref(dep);
    return active;
}

const struct savu_param_def *savu_param_find(const struct savu_plugin *p, const char *name)
{
    if (!p || !name)
        return NULL;
    for (size_t i = 0; i < p->n_params; i++)
        if (strcmp(p->params[i].name, name) == 0)
            return &p->params[i];
    return NULL;
}
