/* validate.h: checking a parameter value against its plugin definition:
 * dtype, options, each value of a tuning sequence separately. Messages as
 * Savu: "ERROR: The value <v> for <P>.<name> is not correct." then the reason. */
#ifndef SAVU_VALIDATE_H
#define SAVU_VALIDATE_H

#include <stdbool.h>
#include <jansson.h>
#include "error.h"

struct savu_plugin;
struct savu_param_def;

/* pos is the plugin position used in the message (may be NULL). */
int savu_param_validate(const struct savu_param_def *def, const json_t *value,
                        const char *pos, savu_error *err);

/* As savu_param_validate, but err holds only the reason and *bad (when bad
 * is not NULL) receives a new reference to the value at fault: the value
 * itself, or the item of a tuning sequence that failed. */
int savu_param_check(const struct savu_param_def *def, const json_t *value, json_t **bad,
                     savu_error *err);

/* The parameter's default as a new JSON value ("null" when none is set). */
json_t *savu_param_default(const struct savu_param_def *def, savu_error *err);

/* A value as messages show it: a string as it is, anything else as JSON.
 * malloc'd; NULL only when out of memory. */
char *savu_param_value_text(const json_t *value);

/* Whether def is in use given the other parameter values (dependency). */
bool savu_param_is_active(const struct savu_param_def *def, const json_t *params);

/* The definition of a parameter by name. */
const struct savu_param_def *savu_param_find(const struct savu_plugin *p, const char *name);

#endif
