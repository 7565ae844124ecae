/* preview.h: Savu's preview entries, one per dimension: ":", a number, or
 * "start:stop[:step[:chunk]]" where each field is an integer expression in
 * `start`, `mid` and `end` with + - * / // and parentheses (mid = len // 2,
 * end = len). */
#ifndef SAVU_PREVIEW_H
#define SAVU_PREVIEW_H

#include <jansson.h>
#include "error.h"

typedef struct savu_slice {
    long start, stop, step, chunk;
} savu_slice;

/* Evaluates one entry for a dimension of length dim_len into a slice
 * clamped to [0, dim_len]. A single number n (or expression) selects n:n+1. */
int savu_preview_eval(const char *entry, long dim_len, savu_slice *out, savu_error *err);

/* Syntax check of one entry, without a length. */
int savu_preview_check(const char *entry, savu_error *err);

/* Checks a whole preview value: a JSON array of entries (strings or
 * numbers), or an empty array (no preview). */
int savu_preview_check_value(const json_t *value, savu_error *err);

#endif
