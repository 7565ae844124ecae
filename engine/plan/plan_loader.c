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
    if (!dataset_pattern(inst->out, inst->out->pattern)) {
        char names[256];
        dataset_pattern_names(inst->out, names, sizeof names);
        return savu_error_set(err, "%s: its dataset is read in %s frames, not one of its "
                                   "patterns (%s)", label, pattern_name(inst->out->pattern),
                              names);
    }
    plan->loaded = inst->out;
    inst->out = NULL;
    inst->meta_out = plan->loaded;
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

int plan_read(const struct plan *plan, enum savu_pattern pattern, long first, long n, float *out,
              savu_error *err)
{
    struct savu_plugin_instance *inst = plan->loader;
    inst->phase = PHASE_PROCESS;
    if (inst->plugin->loader->read(inst, pattern, first, n, out) == 0)
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
