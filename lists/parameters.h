/* parameters.h: a plugin entry's parameters as users see and edit them:
 * display order and numbering (basic, then intermediate, then advanced, each
 * in definition order; hidden ones and those switched off by a dependency
 * have no number), lookup by name or number, modifying from typed text
 * (grammar, tuning, validation), restoring defaults, and setting a value in
 * every plugin that has the parameter. */
#ifndef SAVU_PARAMETERS_H
#define SAVU_PARAMETERS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "error.h"
#include "process_list.h"
#include "savu_plugin.h"

/* Visible parameters up to `level` (SAVU_VIS_BASIC, _INTERMEDIATE or
 * _ADVANCED; advanced includes datasets), in display order. Writes at most
 * max pointers to out; returns how many there are in all. */
size_t savu_param_display_list(const struct savu_plugin *p, const json_t *params,
                               enum savu_visibility level,
                               const struct savu_param_def **out, size_t max);

/* "name" or a 1-based number in the advanced-level display order. Errors:
 * "This parameter is not present in this plug in." */
const struct savu_param_def *savu_param_resolve(const struct savu_plugin *p, const json_t *params,
                                                const char *key, savu_error *err);

/* Sets entry parameter `key` (name or number) from the text the user typed:
 * tuning normalisation (*tuning_applied set when ';' was appended), parsing,
 * validation of each value; on error the entry is unchanged. Preview
 * sub-addressing: key "preview.dim2" sets one dimension's entry and
 * "preview.dim2.start" (start|stop|step|chunk) one field of it. An opaque
 * entry (unknown plugin) accepts any parsed value for an existing name. */
int savu_entry_modify(savu_entry *e, const char *key, const char *text,
                      bool *tuning_applied, savu_error *err);

/* Restores the default of one parameter. */
int savu_entry_restore_default(savu_entry *e, const char *key, savu_error *err);

/* Sets `name` to the value in every entry whose plugin has it; *count says in
 * how many. Error when none has it or the value is invalid for one (then
 * nothing is changed). */
int savu_plist_set_global(savu_process_list *pl, const char *name, const char *text,
                          int *count, savu_error *err);

/* Re-validates an entry's values against its plugin's current definitions
 * (Savu's `ref`): unknown names dropped, missing ones given defaults, invalid
 * ones replaced by the default; each change reported through notice. With
 * reset_all, every value becomes the default. */
void savu_entry_refresh(savu_entry *e, bool reset_all,
                        void (*notice)(void *ctx, const char *line), void *ctx);

#endif
