/* env_choice.h: an environment variable that picks one of a few named
 * choices, such as SAVU_GPU_CHAIN (on, off) or SAVU_CUDA_FILTER (fused,
 * cufft). Unset or empty means the first choice; any other value is a
 * one-line error naming the variable and the choices. In lists/util/: the
 * kernels and the engine use it. */
#ifndef SAVU_ENV_CHOICE_H
#define SAVU_ENV_CHOICE_H

#include "error.h"

/* The index of the variable's value in `choices` (NULL-terminated, at
 * least one), 0 when it is unset or empty; -1 with err set, e.g.
 * "SAVU_GPU_CHAIN='maybe': expected 'on' or 'off'", for any other value. */
int savu_env_choice(const char *name, const char *const *choices, savu_error *err);

#endif
