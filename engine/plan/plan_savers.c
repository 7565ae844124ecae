/* plan_savers.c: the savers of a plan. A saver entry saves the output of
 * the stage before it: one instance of it per run, reading that output in
 * its own pattern, set up when the run is planned. The final result is
 * always saved by the default saver (the plugin flagged
 * SAVU_PLUGIN_DEFAULT_SAVER: Hdf5Saver) as well, so is an output that a
 * later stage reads back (read_later), and with --keep-intermediate every
 * stage's output. */
#include <stdlib.h>
#include <string.h>
#include "plan_internal.h"
#include "registry.h"
#include "validate.h"

static int add_saver(struct plan *plan, struct stage *st, const struct savu_plugin *plugin,
                     const char *label, int number, json_t *params,
                     const struct engine_options *opt, savu_error *err)
{
    struct savu_plugin_instance **grown =
        realloc(st->savers, (st->n_savers + 1) * sizeof *grown);
    if (!grown)
        return savu_error_set(err, "out of memory");
    st->savers = grown;
    if (st->out->ndim != 3 && !(plugin->flags & SAVU_PLUGIN_ANY_DIMS))
        return savu_error_set(err, "%s: dataset '%s' has %d dims and this saver saves 3-D "
                                   "datasets alone", label, st->out->name, st->out->ndim);
    struct savu_plugin_instance *inst =
        plugin_instance_new(plugin, label, params, st->out, st->out->pattern, opt);
    if (!inst)
        return savu_error_set(err, "out of memory");
    st->savers[st->n_savers++] = inst;
    inst->host = &plan->host;
    inst->pool = plan->pool;
    inst->number = number;
    inst->stage = (size_t)(st - plan->stages);
    inst->meta_out = st->out;
    if (plugin->setup && plugin->setup(inst) != 0)
        return savu_error_set(err, "%s", inst->error[0] ? inst->error : "setup failed");
    return 0;
}

int plan_attach_saver(struct plan *plan, const savu_entry *e, int number,
                      const struct engine_options *opt, savu_error *err)
{
    if (plan->n_stages == 0)
        return savu_error_set(err, "plugin %s %s: there is no processed dataset to save before "
                                   "it; put savers after the processing plugins", e->pos, e->name);
    const struct savu_saver_ops *ops = e->plugin->saver;
    if (!ops || !ops->begin || !ops->write || !ops->finish)
        return savu_error_set(err, "plugin %s %s: this saver cannot run in savu (it has no "
                                   "begin, write and finish functions)", e->pos, e->name);
    json_t *params = plan_checked_params(e->plugin, e, err);
    if (!params)
        return savu_error_prefix(err, "plugin %s %s: ", e->pos, e->name);
    char label[64];
    snprintf(label, sizeof label, "plugin %s %s", e->pos, e->name);
    int rc = add_saver(plan, &plan->stages[plan->n_stages - 1], e->plugin, label, number, params,
                       opt, err);
    json_decref(params);
    return rc;
}

static const struct savu_plugin *default_saver(void)
{
    for (size_t i = 0; i < savu_registry_count(); i++) {
        const struct savu_plugin *p = savu_registry_at(i);
        if ((p->flags & SAVU_PLUGIN_DEFAULT_SAVER) && p->saver)
            return p;
    }
    return NULL;
}

static bool has_default_saver(const struct stage *st)
{
    for (size_t i = 0; i < st->n_savers; i++)
        if (st->savers[i]->plugin->flags & SAVU_PLUGIN_DEFAULT_SAVER)
            return true;
    return false;
}

int plan_add_default_savers(struct plan *plan, const struct engine_options *opt,
                            savu_error *err)
{
    const struct savu_plugin *saver = NULL;
    for (size_t i = 0; i < plan->n_stages; i++) {
        struct stage *st = &plan->stages[i];
        if ((!st->final && !st->read_later && !opt->keep_intermediate) || has_default_saver(st))
            continue;
        if (!saver && !(saver = default_saver()))
            return savu_error_set(err, "no default saver is registered");
        json_t *params = plan_checked_params(saver, NULL, err); /* its defaults */
        if (!params)
            return -1;
        char label[64];
        snprintf(label, sizeof label, "%s of plugin %d", saver->name, st->number);
        int rc = add_saver(plan, st, saver, label, st->number, params, opt, err);
        json_decref(params);
        if (rc != 0)
            return -1;
    }
    return 0;
}
