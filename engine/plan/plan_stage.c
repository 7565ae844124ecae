/* plan_stage.c: one processing plugin of the list made ready to run: its
 * parameters checked against the plugin's definitions, tuned parameters
 * expanded (the first tuned one varying fastest), one instance per
 * combination created and set up, and its output dataset with one extra
 * dimension per tuned parameter (reference savu-config.md §4.4). */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include "plan_internal.h"
#include "validate.h"
#include "run_log.h"

#define MAX_COMBOS 4096

struct tuning {
    int n;
    const char *names[DATASET_MAX_TUNE];
    json_t *values[DATASET_MAX_TUNE];  /* arrays */
};

json_t *plan_checked_params(const struct savu_plugin *p, const savu_entry *e, savu_error *err)
{
    json_t *params = json_object();
    for (size_t i = 0; i < p->n_params; i++) {
        const struct savu_param_def *def = &p->params[i];
        json_t *v = e ? json_object_get(e->params, def->name) : NULL;
        json_t *value = v ? json_incref(v) : savu_param_default(def, err);
        if (!value || (e && savu_param_validate(def, value, e->pos, err) != 0)) {
            json_decref(value);
            json_decref(params);
            return NULL;
        }
        json_object_set_new(params, def->name, value);
    }
    return params;
}

static int find_tuning(const struct stage *st, const json_t *params, struct tuning *t,
                       savu_error *err)
{
    const struct savu_plugin *p = st->plugin;
    for (size_t i = 0; i < p->n_params; i++) {
        const char *name = p->params[i].name;
        const json_t *v = json_object_get(params, name);
        if (!json_is_string(v) || !savu_value_is_tuned(json_string_value(v)))
            continue;
        if (strcmp(name, "pattern") == 0 || strcmp(name, "in_datasets") == 0 ||
            strcmp(name, "out_datasets") == 0)
            return savu_error_set(err, "%s: parameter %s cannot be tuned", st->label, name);
        if (t->n == DATASET_MAX_TUNE)
            return savu_error_set(err, "%s: more than %d tuned parameters", st->label,
                                  DATASET_MAX_TUNE);
        json_t *values = savu_tuning_expand(json_string_value(v), err);
        if (!values)
            return savu_error_prefix(err, "%s: parameter %s: ", st->label, name);
        t->names[t->n] = name;
        t->values[t->n++] = values;
    }
    return 0;
}

/* The parameters of combination c (first tuned parameter fastest). */
static json_t *combination(const json_t *params, const struct tuning *t, size_t c)
{
    json_t *combo = json_deep_copy(params);
    for (int i = 0; i < t->n; i++) {
        size_t n = json_array_size(t->values[i]);
        json_object_set(combo, t->names[i], json_array_get(t->values[i], c % n));
        c /= n;
    }
    return combo;
}

/* The pattern the stage reads its input in: the plugin's, or its `pattern`
 * parameter's; one the input dataset has. */
static enum savu_pattern stage_pattern(const struct stage *st, const json_t *params,
                                       savu_error *err)
{
    enum savu_pattern p = st->plugin->pattern;
    char names[256];
    dataset_pattern_names(st->in, names, sizeof names);
    if (p == SAVU_PATTERN_FROM_PARAMETER) {
        const char *name = json_string_value(json_object_get(params, "pattern"));
        p = pattern_from_name(name);
        if (!dataset_pattern(st->in, p)) {
            savu_error_set(err, "%s: parameter pattern: '%s' is not a pattern of dataset '%s' "
                                "(it has %s)", st->label, name ? name : "", st->in->name, names);
            return SAVU_PATTERN_NONE;
        }
    } else if (p == SAVU_PATTERN_NONE) {
        savu_error_set(err, "%s: the plugin declares no pattern to read its data in", st->label);
        return SAVU_PATTERN_NONE;
    } else if (!dataset_pattern(st->in, p)) {
        savu_error_set(err, "%s: the plugin reads %s frames, which dataset '%s' has not (it "
                            "has %s)", st->label, pattern_name(p), st->in->name, names);
        return SAVU_PATTERN_NONE;
    }
    if (st->plugin->pad_frames > 0 && dataset_pattern(st->in, p)->n_slice > 1) {
        savu_error_set(err, "%s: it needs neighbouring frames, and %s frames of dataset '%s' "
                            "run along %d dims", st->label, pattern_name(p), st->in->name,
                       dataset_pattern(st->in, p)->n_slice);
        return SAVU_PATTERN_NONE;
    }
    if (st->in->ndim != 3 && !(st->plugin->flags & SAVU_PLUGIN_ANY_DIMS)) {
        savu_error_set(err, "%s: dataset '%s' has %d dims and this plugin works on 3-D datasets "
                            "alone", st->label, st->in->name, st->in->ndim);
        return SAVU_PATTERN_NONE;
    }
    return p;
}

/* The output a plugin's setup declared: its pattern exists and cuts the
 * same frames as the input's pattern (the engine runs only plugins that
 * keep the frames). */
static int check_output(const struct stage *st, const struct dataset *out, savu_error *err)
{
    char names[256];
    dataset_pattern_names(out, names, sizeof names);
    if (!dataset_pattern(out, out->pattern))
        return savu_error_set(err, "%s: its output's pattern %s is not one of its output's "
                                   "patterns (%s)", st->label, pattern_name(out->pattern), names);
    if (st->frame_group > 1) { /* one slice dim, ceil(frames / group) frames */
        const struct pattern_dims *a = dataset_pattern(st->in, st->pattern),
                                  *b = dataset_pattern(out, out->pattern);
        long n = dataset_frames(st->in, st->pattern), g = st->frame_group;
        if (!a || a->n_slice != 1 || b->n_slice != 1 || a->slice[0] != b->slice[0] ||
            dataset_frames(out, out->pattern) != (n + g - 1) / g)
            return savu_error_set(err, "%s: grouping %ld frames to one, output pattern %s must "
                                       "run along the one dimension of %s, with %ld frames",
                                  st->label, g, pattern_name(out->pattern),
                                  pattern_name(st->pattern), (n + g - 1) / g);
        return 0;
    }
    if (!dataset_same_frames(st->in, st->pattern, out, out->pattern))
        return savu_error_set(err, "%s: output pattern %s must run along the same dimensions "
                                   "as %s, with as many frames", st->label,
                              pattern_name(out->pattern), pattern_name(st->pattern));
    return 0;
}

/* Numbers as they are; anything else by its index. */
static double *axis_values(const json_t *values)
{
    size_t n = json_array_size(values);
    double *out = malloc(sizeof(double) * (n ? n : 1));
    for (size_t i = 0; out && i < n; i++) {
        const json_t *v = json_array_get(values, i);
        out[i] = json_is_number(v) ? json_number_value(v) : (double)i;
    }
    return out;
}

static int set_up_instances(struct stage *st, const json_t *params, const struct tuning *t,
                            const struct engine_options *opt, const struct plan *plan,
                            savu_error *err)
{
    st->inst = calloc(st->n_combos, sizeof *st->inst);
    if (!st->inst)
        return savu_error_set(err, "out of memory");
    for (size_t c = 0; c < st->n_combos; c++) {
        json_t *combo = combination(params, t, c);
        st->inst[c] = plugin_instance_new(st->plugin, st->label, combo, st->in, st->pattern, opt);
        json_decref(combo);
        if (!st->inst[c])
            return savu_error_set(err, "out of memory");
        st->inst[c]->host = &plan->host;
        st->inst[c]->pool = plan->pool;
        st->inst[c]->number = st->number;
        if (plan_instance_datasets(st, params, st->inst[c], err) != 0)
            return -1;
        /* Several datasets: on the CPU (savu_plugin.h). */
        savu_gpu_blocks(st->inst[c], st->plugin->process_gpu != NULL &&
                                         st->inst[c]->n_extra_in + st->inst[c]->n_extra_out == 0);
        if (st->plugin->setup && st->plugin->setup(st->inst[c]) != 0)
            return savu_error_set(err, "%s", st->inst[c]->error[0] ? st->inst[c]->error
                                                                  : "setup failed");
        if (plan_check_datasets(st, st->inst[c], err) != 0)
            return -1;
        if (st->inst[c]->pad_frames > st->pad_frames)
            st->pad_frames = st->inst[c]->pad_frames;
        if (st->pad_frames > 0 && dataset_pattern(st->in, st->pattern)->n_slice > 1)
            return savu_error_set(err, "%s: it needs neighbouring frames, and %s frames of "
                                       "dataset '%s' run along %d dims", st->label,
                                  pattern_name(st->pattern), st->in->name,
                                  dataset_pattern(st->in, st->pattern)->n_slice);
        if (c == 0)
            st->frame_group = st->inst[0]->frame_group;
        if (st->inst[c]->frame_group != st->frame_group)
            return savu_error_set(err, "%s: the tuned values group different numbers of frames",
                                  st->label);
        if (st->frame_group > 1 &&
            (st->pad_frames > 0 || plan_stage_has_extras(st) || st->in->n_variants > 1))
            return savu_error_set(err, "%s: frames grouped %d to one cannot take neighbouring "
                                       "frames, several datasets or tuned input",
                                  st->label, st->frame_group);
        const struct dataset *out = st->inst[c]->out, *out0 = st->inst[0]->out;
        if (c == 0 && check_output(st, out, err) != 0)
            return -1;
        if (out->ndim != out0->ndim || memcmp(out->shape, out0->shape, sizeof out->shape) != 0)
            return savu_error_set(err, "%s: the tuned values give outputs of different shapes",
                                  st->label);
    }
    for (size_t c = 0; c < st->n_combos; c++)
        st->inst[c]->pad_frames = st->pad_frames; /* what their blocks hold */
    return 0;
}

int plan_stage_setup(struct stage *st, const savu_entry *e, int number,
                     const struct engine_options *opt, const struct plan *plan,
                     savu_error *err)
{
    st->entry = e;
    st->plugin = e->plugin;
    st->number = number;
    snprintf(st->label, sizeof st->label, "plugin %s %s", e->pos, e->name);
    const char *dot = strrchr(st->plugin->id, '.');
    snprintf(st->module, sizeof st->module, "%s", dot ? dot + 1 : st->plugin->id);
    if (!st->plugin->process)
        return savu_error_set(err, "%s: this plugin cannot run in savu (it has no processing "
                                   "function)", st->label);
    json_t *params = plan_checked_params(st->plugin, e, err);
    if (!params)
        return savu_error_prefix(err, "%s: ", st->label);
    if (plan_stage_inputs(st, params, plan, err) != 0) {
        json_decref(params);
        return -1;
    }
    struct tuning t = {0};
    int rc = -1;
    st->pattern = stage_pattern(st, params, err);
    if (st->pattern != SAVU_PATTERN_NONE && find_tuning(st, params, &t, err) == 0) {
        st->n_combos = 1;
        for (int i = 0; i < t.n; i++)
            st->n_combos *= json_array_size(t.values[i]);
        if (st->n_combos > MAX_COMBOS)
            savu_error_set(err, "%s: %zu combinations of tuned values (at most %d)", st->label,
                           st->n_combos, MAX_COMBOS);
        else {
            double t0 = MPI_Wtime();
            rc = set_up_instances(st, params, &t, opt, plan, err);
            savu_log(LOG_DEBUG, "%s: set up in %.2f s", st->label, MPI_Wtime() - t0);
        }
    }
    if (rc == 0) {
        st->out = st->inst[0]->out;
        st->inst[0]->out = NULL;
        plan_stage_adopt_outputs(st);
        rc = plan_stage_outputs(st, params, err);
    }
    if (rc == 0) {
        for (size_t c = 0; c < st->n_combos; c++)
            st->inst[c]->meta_out = st->out;
        for (int i = 0; i < t.n && rc == 0; i++) {
            double *v = axis_values(t.values[i]);
            rc = v ? dataset_add_tuning(st->out, t.names[i], v, json_array_size(t.values[i]))
                   : -1;
            free(v);
            if (rc != 0)
                savu_error_set(err, "%s: out of memory", st->label);
        }
    }
    for (int i = 0; i < t.n; i++)
        json_decref(t.values[i]);
    json_decref(params);
    return rc;
}

static void stage_teardown(struct stage *st)
{
    if (st->torn_down)
        return;
    for (size_t c = 0; st->inst && c < st->n_combos; c++)
        if (st->inst[c] && st->plugin->teardown)
            st->plugin->teardown(st->inst[c]);

    st->torn_down = true;
}

void plan_teardown_plugins(struct plan *plan)
{
    for (size_t i = plan->n_stages; i-- > 0;)
        stage_teardown(&plan->stages[i]);
}

void plan_stage_free(struct stage *st)
{
    stage_teardown(st);
    for (size_t c = 0; st->inst && c < st->n_combos; c++)
        plugin_instance_free(st->inst[c], false);
    free(st->inst);
    for (size_t k = 0; k < st->n_savers; k++) { /* after their finish */
        if (st->savers[k]->plugin->teardown)
            st->savers[k]->plugin->teardown(st->savers[k]);
        plugin_instance_free(st->savers[k], false);
    }
    free(st->savers);
    dataset_free(st->out);
    for (int k = 0; k < st->n_extra_out; k++)
        dataset_free(st->extra_out[k].ds);
}
