/* plan_datasets.c: which datasets a stage reads and which it makes, by name
 * as Savu (in_datasets, out_datasets). An input is the latest dataset of its
 * name made before the stage — an output of a stage before, or the loaded
 * data — and by default (Savu's []) the output of the stage before. Outputs
 * are named by out_datasets, by default as the inputs (so that the output
 * replaces the input's name). One of each, unless the plugin is flagged
 * SAVU_PLUGIN_MULTI_DATASETS (at most SAVU_MAX_DATASETS of each). */
#include <stdlib.h>
#include <string.h>
#include "plan_internal.h"

/* The names a list entry gives in `param`: their count (0 for []), each a
 * non-empty string. */
static int names_of(const struct stage *st, const json_t *params, const char *param,
                    const char *names[SAVU_MAX_DATASETS], savu_error *err)
{
    const json_t *list = json_object_get(params, param);
    size_t n = json_array_size(list);
    const bool multi = st->plugin->flags & SAVU_PLUGIN_MULTI_DATASETS;
    if (n > 1 && !multi)
        return savu_error_set(err, "%s: parameter %s: %zu datasets; this plugin takes one "
                                   "dataset and makes one", st->label, param, n);
    if (n > SAVU_MAX_DATASETS)
        return savu_error_set(err, "%s: parameter %s: %zu datasets, at most %d", st->label, param,
                              n, SAVU_MAX_DATASETS);
    for (size_t k = 0; k < n; k++) {
        names[k] = json_string_value(json_array_get(list, k));
        if (!names[k] || !*names[k])
            return savu_error_set(err, "%s: parameter %s: item %zu is not a dataset name",
                                  st->label, param, k + 1);
    }
    return (int)n;
}

/* The latest dataset called `name` before stage `self`: which stage made
 * it (-1: the loader) and which of its outputs. NULL when there is none. */
static const struct dataset *find_dataset(const struct plan *plan, long self, const char *name,
                                          long *stage, int *out)
{
    for (long i = self - 1; i >= 0; i--) {
        const struct stage *st = &plan->stages[i];
        for (int k = 0; k <= st->n_extra_out; k++) {
            const struct dataset *ds = k == 0 ? st->out : st->extra_out[k - 1].ds;
            if (strcmp(ds->name, name) == 0) {
                *stage = i;
                *out = k;
                return ds;
            }
        }
    }
    *stage = -1;
    for (*out = 0; *out <= plan->n_loaded_more; (*out)++)
        if (strcmp(plan_loaded(plan, *out)->name, name) == 0)
            return plan_loaded(plan, *out);
    return NULL;
}

int plan_stage_inputs(struct stage *st, const json_t *params, const struct plan *plan,
                      savu_error *err)
{
    const long self = (long)(st - plan->stages);
    const char *names[SAVU_MAX_DATASETS];
    int n = names_of(st, params, "in_datasets", names, err);
    if (n < 0)
        return -1;
    if (n == 0) {
        st->source = self - 1;
        st->source_out = 0;
        st->in = st->source >= 0 ? plan->stages[st->source].out : plan->loaded;
        return 0;
    }
    for (int k = 0; k < n; k++) {
        long stage;
        int out;
        const struct dataset *ds = find_dataset(plan, self, names[k], &stage, &out);
        if (!ds)
            return savu_error_set(err, "%s: parameter in_datasets: there is no dataset named "
                                       "'%s' before it (the loader made '%s')", st->label,
                                  names[k], plan->loaded->name);
        if (k == 0) {
            st->in = ds;
            st->source = stage;
            st->source_out = out;
        } else {
            st->extra_in[k - 1] = (struct stage_input){ds, stage, out};
        }
    }
    st->n_extra_in = n - 1;
    return 0;
}

/* The input that output k copies by default: input k, or input 0 past the
 * inputs. */
static const struct dataset *input_for_output(const struct stage *st, int k)
{
    return k >= 1 && k <= st->n_extra_in ? st->extra_in[k - 1].ds : st->in;
}

int plan_stage_outputs(struct stage *st, const json_t *params, savu_error *err)
{
    const char *names[SAVU_MAX_DATASETS];
    int n = names_of(st, params, "out_datasets", names, err);
    if (n < 0)
        return -1;
    for (int k = 0; k <= st->n_extra_out; k++) {
        const struct dataset *in = input_for_output(st, k);
        struct dataset *ds = k == 0 ? st->out : st->extra_out[k - 1].ds;
        char *copy = strdup(k < n ? names[k] : in->name);
        if (!copy)
            return savu_error_set(err, "out of memory");
        free(ds->name);
        ds->name = copy;
    }
    return 0;
}

int plan_instance_datasets(const struct stage *st, const json_t *params,
                           struct savu_plugin_instance *inst, savu_error *err)
{
    const json_t *out_names = json_object_get(params, "out_datasets");
    const int outputs = json_array_size(out_names) > 0 ? (int)json_array_size(out_names)
                                                       : 1 + st->n_extra_in;
    inst->n_extra_in = st->n_extra_in;
    for (int k = 0; k < st->n_extra_in; k++)
        inst->extra_in[k] = st->extra_in[k].ds;
    for (int k = 1; k < outputs; k++) {
        const struct dataset *from = input_for_output(st, k);
        if (!(inst->extra_out[k - 1] = dataset_new(from->name, from)))
            return savu_error_set(err, "out of memory");
        inst->extra_out[k - 1]->pattern = st->pattern;
        inst->n_extra_out = k;
    }
    return 0;
}

int plan_check_datasets(const struct stage *st, const struct savu_plugin_instance *inst,
                        savu_error *err)
{
    if (inst->n_extra_in + inst->n_extra_out == 0)
        return 0;
    if (st->n_combos > 1 || inst->pad_frames > 0 || st->in->n_variants > 1)
        return savu_error_set(err, "%s: a plugin with several datasets runs untuned, without "
                                   "neighbouring frames, on untuned data", st->label);
    for (int k = 0; k < inst->n_extra_in; k++)
        if (!dataset_same_frames(st->in, st->pattern, inst->extra_in[k], st->pattern) ||
            inst->extra_in[k]->n_variants > 1)
            return savu_error_set(err, "%s: dataset '%s' has not the %s frames of '%s'",
                                  st->label, inst->extra_in[k]->name, pattern_name(st->pattern),
                                  st->in->name);
    for (int k = 0; k < inst->n_extra_out; k++) {
        const struct dataset *out = inst->extra_out[k];
        if (!dataset_same_frames(st->in, st->pattern, out, out->pattern))
            return savu_error_set(err, "%s: output %d must have the %s frames of '%s'",
                                  st->label, k + 1, pattern_name(st->pattern), st->in->name);
    }
    return 0;
}

void plan_stage_adopt_outputs(struct stage *st)
{
    struct savu_plugin_instance *inst = st->inst[0];
    st->n_extra_out = inst->n_extra_out;
    for (int k = 0; k < inst->n_extra_out; k++)
        st->extra_out[k].ds = inst->extra_out[k];
    inst->extra_out_borrowed = true; /* the stage frees them */
}
