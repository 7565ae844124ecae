/* plan_internal.h: the parts of plan building shared between plan*.c. */
#ifndef SAVU_ENGINE_PLAN_INTERNAL_H
#define SAVU_ENGINE_PLAN_INTERNAL_H

#include "plan.h"
#include "value.h"

/* plan_loader.c: the list's loader (its first active entry) made an
 * instance, its data opened and its dataset declared (plan->loaded). */
int plan_open_loader(struct plan *plan, const savu_entry *e, int number,
                     const struct engine_options *opt, savu_error *err);
void plan_close_loader(struct plan *plan);
/* plan_savers.c: a saver entry attached to the last stage; the default
 * saver added where the result (or, with --keep-intermediate, any output)
 * has none. */
int plan_attach_saver(struct plan *plan, const savu_entry *e, int number,
                      const struct engine_options *opt, savu_error *err);
int plan_add_default_savers(struct plan *plan, const struct engine_options *opt,
                            savu_error *err);
/* plan_stage.c: every parameter's value (default when absent), checked; e NULL:
 * every default. */
json_t *plan_checked_params(const struct savu_plugin *p, const savu_entry *e, savu_error *err);
/* plan_datasets.c: the stage's inputs by in_datasets (st->in, source,
 * source_out, extra_in); the instance's extra inputs and blank extra
 * outputs (before setup); the checks of a plugin with several datasets
 * (after setup); the stage taking over the instance's extra outputs; their
 * names by out_datasets. 0, or -1 with err naming the plugin. */
int plan_stage_inputs(struct stage *st, const json_t *params, const struct plan *plan,
                      savu_error *err);
int plan_instance_datasets(const struct stage *st, const json_t *params,
                           struct savu_plugin_instance *inst, savu_error *err);
int plan_check_datasets(const struct stage *st, const struct savu_plugin_instance *inst,
                        savu_error *err);
void plan_stage_adopt_outputs(struct stage *st);
int plan_stage_outputs(struct stage *st, const json_t *params, savu_error *err);
/* plan_stage.c: validates the entry's parameters, expands tuning, creates
 * and sets up one instance per combination; st->in must be set. */
int plan_stage_setup(struct stage *st, const savu_entry *e, int number,
                     const struct engine_options *opt, const struct plan *plan,
                     savu_error *err);
void plan_stage_free(struct stage *st);

#endif
