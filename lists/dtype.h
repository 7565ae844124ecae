/* dtype.h: Savu parameter types. Parses the dtype grammar (int, float, str,
 * bool, filepath, dir, h5path, preview, list, dict, None, list[t],
 * list[t1,t2], dict{k:v}, unions [t1, t2]) into a tree and checks JSON
 * values against it. */
#ifndef SAVU_DTYPE_H
#define SAVU_DTYPE_H

#include <jansson.h>
#include "error.h"

typedef struct savu_dtype savu_dtype;

savu_dtype *savu_dtype_parse(const char *text, savu_error *err);
void savu_dtype_free(savu_dtype *t);

/* 0 when value has type t; else -1 with err holding the reason, e.g.
 * "expected an integer", "the file /x does not exist". */
int savu_dtype_check(const savu_dtype *t, const json_t *value, savu_error *err);

#endif
