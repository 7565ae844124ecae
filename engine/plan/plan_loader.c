/* plan_loader.c: the list's loader entry made ready: its parameters checked
 * (none tuned), one instance on every rank, its data opened through the
 * loader API (savu_plugin.h: open declares the loaded dataset and its
 * metadata), and the reads of the run handed to it. */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include "plan_internal.h"
#include "run_log.h"

static int refuse_tuned(const savu_entry *e, savu_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach(e->params, key, value) {
        if (json_is_string(value) && savu_value_is_tuned(json_string_value(value)))
            return savu_error_set(err, "plugin %s %s: parameter %s: a loader parameter cannot "
                                       "be tuned (it has ';')", e->pos, e->name, key);
    }
    return 0;
}

/* Loaded dataset k: read in one of its patterns, named apart from the
 * datasets before it. */
static int check_loaded(const struct plan *plan, int k, const char *label, savu_error *err)
{
    const struct dataset *ds = plan_loaded(plan, k);
    if (!dataset_pattern(ds, ds->pattern)) {
        char names[256];
        dataset_pattern_names(ds, names, sizeof names);
        return savu_error_set(err, "%s: dataset '%s' is read in %s frames, not one of its "
                                   "patterns (%s)", label, ds->name, pattern_name(ds->pattern),
                              names);
    }
    for (int j = 0; j < k; j++)
        if (strcmp(plan_loaded(plan, j)->name, ds->name) == 0)
            return savu_error_set(err, "%s: it declares two datasets named '%s'", label,
                                  ds->name);
    return 0;
}

int plan_open_loader(struct plan *plan, const savu_entry *e, int number,
                     const struct engine_options *opt, savu_error *err)
{
    if (!e->plugin->loader || !e->plugin->loader->open || !e->plugin->loader->read)
        return savu_error_set(err, "plugin %s %s: this loader cannot run in savu (it has no "
                                   "open and read functions)", e->pos, e->name);
    if (refuse_tuned(e, err) != 0)
        return -1;
    json_t *params = plan_checked_params(e->plugin, e, err);
    if (!params)
        return savu_error_prefix(err, "plugin %s %s: ", e->pos, e->name);
    char label[64];
    snprintf(label, sizeof label, "plugin %s %s", e->pos, e->name);
    struct savu_plugin_instance *inst =
        plugin_instance_new(e->plugin, label, params, NULL, SAVU_PATTERN_NONE, opt);
    json_decref(params);
    if (!inst)
        return savu_error_set(err, "out of memory");
    inst->host = &plan->host;
    inst->number = number;
    plan->loader = inst;
    double t0 = MPI_Wtime();
    if (e->plugin->loader->open(inst, opt->data_file) != 0)
        return savu_error_set(err, "%s", inst->error[0] ? inst->error : "open failed");
    if (inst->out->ndim < 1)
        return savu_error_set(err, "%s: its open declared no dataset (savu_loader_dataset)",
                              label);
    /* The datasets in the order declared: the earlier ones, then the last. */
    plan->loaded = inst->n_extra_out ? inst->extra_out[0] : inst->out;
    for (int k = 1; k <= inst->n_extra_out; k++)
        plan->loaded_more[k - 1] = k < inst->n_extra_out ? inst->extra_out[k] : inst->out;
    plan->n_loaded_more = inst->n_extra_out;
    inst->n_extra_out = 0;
    inst->out = NULL;
    inst->meta_out = plan->loaded;
    if (plan->n_loaded_more > 0 && !e->plugin->loader->read_dataset)
        return savu_error_set(err, "%s: it declares %d datasets and has no read_dataset to "
                                   "read them", label, 1 + plan->n_loaded_more);
    for (int k = 0; k <= plan->n_loaded_more; k++)
        if (check_loaded(plan, k, label, err) != 0)
            return -1;
    savu_log(LOG_DEBUG, "%s: data, darks and flats loaded in %.2f s", label, MPI_Wtime() - t0);
    return 0;
}

void plan_close_loader(struct plan *plan)
{
    struct savu_plugin_instance *inst = plan->loader;
    if (!inst)
        return;
    if (inst->plugin->loader && inst->plugin->loader->close)
        inst->plugin->loader->close(inst);
    plugin_instance_free(inst, false);
    plan->loader = NULL;
}

int plan_read(const struct plan *plan, int dataset, enum savu_pattern pattern, long first, long n,
              float *out, savu_error *err)
{
    struct savu_plugin_instance *inst = plan->loader;
    const struct savu_loader_ops *ops = inst->plugin->loader;
    inst->phase = PHASE_PROCESS;
    if ((ops->read_dataset ? ops->read_dataset(inst, dataset, pattern, first, n, out)
                           : ops->read(inst, pattern, first, n, out)) == 0)
        return 0;
    return savu_error_set(err, "%s", inst->error[0] ? inst->error : "read failed");
}

bool plan_reads_beside_writes(const struct plan *plan)
{
    const struct savu_loader_ops *ops = plan->loader->plugin->loader;
    return ops->reads_beside_writes && ops->reads_beside_writes(plan->loader);
}

double plan_bytes_read(const struct plan *plan)
{
    const struct savu_loader_ops *ops = plan->loader->plugin->loader;
    return ops->bytes_read ? ops->bytes_read(plan->loader) : 0;
}
