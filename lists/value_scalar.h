/* value_scalar.h: the words of the value grammar that are not strings:
 * numbers (85, -5, +2, 1e3, .5, 2.) and the keywords true/false/True/False
 * and None/null. Shared by the value parser and the tuning ranges. */
#ifndef SAVU_VALUE_SCALAR_H
#define SAVU_VALUE_SCALAR_H

#include <stddef.h>
#include <jansson.h>
#include "error.h"

/* Reads the len bytes at text (no surrounding spaces). Returns 0 with *out a
 * new reference when they are a number or keyword, 0 with *out NULL when they
 * are not (a bare word), and -1 with err set for a number out of range. An
 * integer (no '.' and no exponent) becomes a JSON integer, others reals. */
int savu_scalar_parse(const char *text, size_t len, json_t **out, savu_error *err);

#endif
