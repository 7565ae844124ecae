/* value.h: the grammar of values typed by users (never eval): numbers,
 * true/false/None, quoted or bare strings, lists [..] and tuples (..) which
 * become JSON arrays, dicts {k: v} with keys turned into strings, preview
 * entries such as `mid-5:mid+6`; and tuning values: sequences `a;b;c` and
 * ranges `start:stop[:step];` (stop excluded, as numpy arange). */
#ifndef SAVU_VALUE_H
#define SAVU_VALUE_H

#include <stdbool.h>
#include <jansson.h>
#include "error.h"

/* Parses one value. Returns a new reference, or NULL with err saying what
 * was wrong and at which column (1-based), e.g.
 * "unexpected ']' at column 7 of '[1, 2]]'". */
json_t *savu_value_parse(const char *text, savu_error *err);

/* True when the raw text is a tuning value: it has a ';' outside quotes and
 * brackets. */
bool savu_value_is_tuned(const char *raw);

/* Expands a tuning value into the array of its values. Sequences keep item
 * types; ranges give floats unless start, stop and step are all integers.
 * Errors: "Ensure start:stop:step; values are valid." for an empty or
 * malformed range, and the parse error of a bad item. */
json_t *savu_tuning_expand(const char *raw, savu_error *err);

/* Savu's rule: a value that is not for a preview, has two or more ':' and no
 * ';' gets ';' appended (the shell then prints "Parameter tuning syntax
 * applied"). Returns a new malloc'd string; *applied says whether it did. */
char *savu_tuning_normalise(const char *raw, bool is_preview, bool *applied);

/* A user value as it is stored for a parameter: a tuning value is kept as its
 * raw string ("85;86;87"); anything else is parsed. New reference or NULL. */
json_t *savu_value_for_parameter(const char *raw, bool is_preview, savu_error *err);

#endif
