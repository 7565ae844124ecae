/* plan_internal.h: the parts of plan building shared between plan*.c. */
#ifndef SAVU_ENGINE_PLAN_INTERNAL_H
#define SAVU_ENGINE_PLAN_INTERNAL_H

#include "plan.h"
#include "value.h"

/* plan_loader.c */
int plan_loader_config(struct plan *plan, const savu_entry *e, const char *data_file,
                       savu_error *err);
int plan_open_input(struct plan *plan, const savu_entry *e, savu_error *err);
/* plan_stage.c: validates the entry's parameters, expands tuning, creates
 * and sets up one instance per combination; st->in must be set. */
int plan_stage_setup(struct stage *st, const savu_entry *e, int number,
                     const struct engine_options *opt,
                     savu_error *err);
void plan_stage_free(struct stage *st);

#endif
