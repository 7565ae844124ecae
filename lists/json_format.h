/* json_format.h: JSON text exactly as Python's json.dumps writes it (what
 * Savu stores): separators ", " and ": ", non-ASCII as \uXXXX, floats in
 * their shortest round-trip form with ".0" kept (1.0, 0.95, 1e-05). */
#ifndef SAVU_JSON_FORMAT_H
#define SAVU_JSON_FORMAT_H

#include <jansson.h>

/* Returns a malloc'd string (free with free()), or NULL on allocation failure
 * (or for a value nested more than 2048 levels deep). */
char *savu_json_dumps(const json_t *value);

/* Formats a double as Python's repr does. out must hold 32 bytes. */
void savu_format_double(double v, char out[32]);

#endif
