/* utf8.h: decoding and checking UTF-8 text (lists/util/, shared by every
 * floor), used by the value parser (which accepts only valid UTF-8) and the
 * JSON writer (which escapes code points). */
#ifndef SAVU_UTF8_H
#define SAVU_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes the sequence at s (n > 0 bytes available). Returns its length with
 * *code set, or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF included). */
size_t savu_utf8_decode(const unsigned char *s, size_t n, unsigned *code);

/* Writes code (at most U+10FFFF) as UTF-8 into out; returns the length (1-4). */
size_t savu_utf8_encode(unsigned code, char out[4]);

/* True when all n bytes are valid UTF-8; otherwise *bad_offset (may be NULL)
 * is the offset of the first bad byte. */
bool savu_utf8_valid(const char *s, size_t n, size_t *bad_offset);

#endif
