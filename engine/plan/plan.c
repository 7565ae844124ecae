/* plan.c: building the plan of a run from the process list (see plan.h):
 * reading and checking the list, the loader first, each processing plugin in
 * turn, the savers attached to the dataset before them, and the sections. */
#include <stdlib.h>
#include <string.h>
#include "plan_internal.h"
#include "compat.h"
#include "nexus.h"
#include "registry.h"
#include "run_log.h"
#include "cpu/thread_pool.h"

static void compat_notice(void *ctx, const char *line)
{
    (void)ctx;
    savu_log(LOG_INFO, "%s", line);
}

static bool is_saver(const savu_entry *e)
{
    return e->plugin && e->plugin->category == SAVU_CAT_SAVER;
}

static int check_entry_known(const savu_entry *e, savu_error *err)
{
    if (!e->plugin)
        return savu_error_set(err, "plugin %s %s is not available in savu (unknown or not "
                                   "implemented yet): switch it off or remove it in savu_config",
                              e->pos, e->name);
    return 0;
}

static int add_stage(struct plan *plan, const savu_entry *e, int number,
                     const struct engine_options *opt, savu_error *err)
{
    struct stage *grown = realloc(plan->stages, (plan->n_stages + 1) * sizeof *grown);
    if (!grown)
        return savu_error_set(err, "out of memory");
    plan->stages = grown;
    struct stage *st = &plan->stages[plan->n_stages++];
    memset(st, 0, sizeof *st);
    return plan_stage_setup(st, e, number, opt, plan, err);
}

/* Whether a stage after stage i makes a dataset called `name`. */
static bool replaced_later(const struct plan *plan, size_t i, const char *name)
{
    for (size_t j = i + 1; j < plan->n_stages; j++) {
        const struct stage *st = &plan->stages[j];
        if (strcmp(st->out->name, name) == 0)
            return true;
        for (int k = 0; k < st->n_extra_out; k++)
            if (strcmp(st->extra_out[k].ds->name, name) == 0)
                return true;
    }
    return false;
}

/* Output `out` of stage `from`, which stage `reader` reads back from its
 * result file in the reader's pattern: one pattern per dataset. */
static int read_back(struct plan *plan, long from, int out, const struct stage *reader,
                     savu_error *err)
{
    if (from < 0) /* the loader reads any frames again */
        return 0;
    struct stage *st = &plan->stages[from];
    bool *later = out == 0 ? &st->read_later : &st->extra_out[out - 1].read_later;
    enum savu_pattern *pattern = out == 0 ? &st->read_pattern
                                          : &st->extra_out[out - 1].read_pattern;
    const struct dataset *ds = out == 0 ? st->out : st->extra_out[out - 1].ds;
    if (*later && *pattern != reader->pattern)
        return savu_error_set(err, "%s: reads '%s' of %s in %s frames, and a plugin before it "
                                   "in %s frames; savu reads a kept dataset back in one pattern",
                              reader->label, ds->name, st->label, pattern_name(reader->pattern),
                              pattern_name(*pattern));
    *later = true;
    *pattern = reader->pattern;
    return 0;
}

/* Each dataset a stage makes that no later stage replaces (a later output
 * of the same name) is a result of the run. A dataset that a stage reads
 * other than as the output of the stage just before (an older dataset, or
 * a plugin's second input) is kept in its result file and read back in that
 * stage's pattern. */
static int mark_results(struct plan *plan, savu_error *err)
{
    for (size_t i = 0; i < plan->n_stages; i++) {
        struct stage *st = &plan->stages[i];
        st->last = i + 1 == plan->n_stages;
        st->final = !replaced_later(plan, i, st->out->name);
        for (int k = 0; k < st->n_extra_out; k++)
            st->extra_out[k].final = !replaced_later(plan, i, st->extra_out[k].ds->name);
        bool handed_over = st->source == (long)i - 1 && st->source_out == 0;
        if (!handed_over && read_back(plan, st->source, st->source_out, st, err) != 0)
            return -1;
        for (int k = 0; k < st->n_extra_in; k++)
            if (read_back(plan, st->extra_in[k].stage, st->extra_in[k].out, st, err) != 0)
                return -1;
    }
    return 0;
}

/* Consecutive stages that take the frames the stage before them made (its
 * output, cut along the same slice dims) form a section; a stage with
 * finish ends its section, so that the metadata it sets there reaches the
 * plugins after it before they process; a stage with several datasets, or
 * that groups frames, has a section of its own. */
static int build_sections(struct plan *plan, savu_error *err)
{
    plan->sections = calloc(plan->n_stages, sizeof *plan->sections);
    if (!plan->sections)
        return savu_error_set(err, "out of memory");
    for (size_t i = 0; i < plan->n_stages; i++) {
        const struct stage *st = &plan->stages[i], *before = i > 0 ? st - 1 : NULL;
        int dim = dataset_slice_dim(st->in, st->pattern);
        struct section *last = plan->n_sections ? &plan->sections[plan->n_sections - 1] : NULL;
        bool ends = before && (before->plugin->finish || plan_stage_has_extras(before) ||
                               before->frame_group > 1);
        if (last && !ends && st->source == (long)i - 1 && st->source_out == 0 &&
            !plan_stage_has_extras(st) && st->frame_group == 1 &&
            dataset_same_frames(before->out, before->out->pattern, st->in, st->pattern)) {
            last->count++;
        } else {
            plan->sections[plan->n_sections++] = (struct section){i, 1, dim};
        }
    }
    return 0;
}

/* The loader: the list's first active entry. Opens the data (and reads the
 * darks and flats), which needs no GPU. */
static int plan_loader(struct plan *plan, const struct engine_options *opt, savu_error *err)
{
    savu_process_list *pl = plan->pl;
    size_t i = 0;
    while (i < pl->n && !pl->entries[i]->active)
        i++;
    if (i == pl->n)
        return savu_error_set(err, "the process list has no active loader");
    const savu_entry *e = pl->entries[i];
    if (check_entry_known(e, err) != 0)
        return -1;
    if (e->plugin->category != SAVU_CAT_LOADER)
        return savu_error_set(err, "plugin %s %s: the list must start with a loader", e->pos,
                              e->name);
    plan->after_loader = i + 1;
    return plan_open_loader(plan, e, (int)i + 1, opt, err);
}

int plan_open(const struct engine_options *opt, struct plan **out, savu_error *err)
{
    *out = NULL;
    const savu_plugin_catalog *plugins = savu_registry_catalog();
    for (size_t i = 0; i < savu_registry_failure_count(); i++)
        savu_log(LOG_WARNING, "plugin not loaded: %s", savu_registry_failure(i));
    struct plan *plan = calloc(1, sizeof *plan);
    if (!plan)
        return savu_error_set(err, "out of memory");
    plan->host.comm = MPI_COMM_WORLD;
    MPI_Comm_rank(MPI_COMM_WORLD, &plan->host.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &plan->host.ranks);
    plan->host.io_hdf5 = opt->io_hdf5;
    savu_error pool_err;
    if (opt->threads > 1 && !(plan->pool = savu_thread_pool_create(opt->threads, &pool_err))) {
        plan_free(plan);
        return savu_error_set(err, "cannot start the compute threads: %s", pool_err.msg);
    }
    plan->pl = savu_nexus_read(opt->process_list, plugins, err);
    if (!plan->pl) {
        savu_error_prefix(err, "process list: ");
        plan_free(plan);
        return -1;
    }
    savu_compat_apply(plan->pl, plugins, compat_notice, NULL);
    if (plan_loader(plan, opt, err) != 0) {
        plan_free(plan);
        return -1;
    }
    *out = plan;
    return 0;
}

int plan_add_plugins(struct plan *plan, const struct engine_options *opt, savu_error *err)
{
    savu_process_list *pl = plan->pl;
    for (size_t i = plan->after_loader; i < pl->n; i++) {
        const savu_entry *e = pl->entries[i];
        if (!e->active)
            continue;
        if (check_entry_known(e, err) != 0)
            return -1;
        int number = (int)i + 1;
        if (e->plugin->category == SAVU_CAT_LOADER)
            return savu_error_set(err, "plugin %s %s: only one loader is supported", e->pos,
                                  e->name);
        if (is_saver(e) ? plan_attach_saver(plan, e, number, opt, err) != 0
                        : add_stage(plan, e, number, opt, err) != 0)
            return -1;
    }
    if (plan->n_stages == 0)
        return savu_error_set(err, "the process list has no processing plugin after the loader");
    if (mark_results(plan, err) != 0)
        return -1;
    if (plan_add_default_savers(plan, opt, err) != 0)
        return -1;
    return build_sections(plan, err);
}

void plan_free(struct plan *plan)
{
    if (!plan)
        return;
    for (size_t i = plan->n_stages; i-- > 0;)
        plan_stage_free(&plan->stages[i]);
    free(plan->stages);
    free(plan->sections);
    plan_close_loader(plan);
    dataset_free(plan->loaded);
    for (int k = 0; k < plan->n_loaded_more; k++)
        dataset_free(plan->loaded_more[k]);
    savu_plist_free(plan->pl);
    savu_thread_pool_destroy(plan->pool);
    free(plan);
}

static void log_dataset(const char *what, const struct dataset *ds)
{
    char dims[256] = "";
    size_t len = 0;
    for (int d = 0; d < ds->ndim && len < sizeof dims; d++)
        len += snprintf(dims + len, sizeof dims - len, "%s%s %ld", d ? ", " : "", ds->labels[d],
                        ds->shape[d]);
    for (int t = 0; t < ds->n_tune && len < sizeof dims; t++)
        len += snprintf(dims + len, sizeof dims - len, ", %s %ld", ds->tune_label[t],
                        ds->tune_len[t]);
    savu_log(LOG_INFO, "%s '%s': (%s)", what, ds->name, dims);
}

void plan_log(const struct plan *plan)
{
    for (int k = 0; k <= plan->n_loaded_more; k++)
        log_dataset("loaded", plan_loaded(plan, k));
    for (size_t s = 0; s < plan->n_sections; s++) {
        const struct section *sec = &plan->sections[s];
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct stage *st = &plan->stages[i];
            savu_log(LOG_INFO, "section %zu (%s): %s, %zu combination%s", s + 1,
                     pattern_name(st->pattern), st->label, st->n_combos,
                     st->n_combos == 1 ? "" : "s");
            log_dataset("  output", st->out);
            for (int k = 0; k < st->n_extra_out; k++)
                log_dataset("  output", st->extra_out[k].ds);
        }
    }
}
