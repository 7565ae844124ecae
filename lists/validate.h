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

/* Whether def is in use given the other parameter values (dependency). */
bool savu_param_is_active(const struct savu_param_def *def, const json_t *params);

/* The definition of a parameter by name. */
const struct savu_param_def *savu_param_find(const struct savu_plugin *p, const char *name);

#endif
