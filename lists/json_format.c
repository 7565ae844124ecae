/* json_format.c: writes JSON text exactly as Python's json.dumps does with
 * its defaults, because that is what Savu stores in process lists: ", " and
 * ": " separators, keys in insertion order, every character outside printable
 * ASCII written as \uXXXX (surrogate pairs above U+FFFF), and floats in
 * Python's repr form (shortest text that reads back to the same double, with
 * ".0" on integral values and an exponent below 1e-4 or from 1e16 on). */
#include "json_format.h"
#include "utf8.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper values than this are refused (jansson's own parser stops at 2048). */
#define DUMP_MAX_DEPTH 2048

typedef struct text_buffer {
    char *data;
    size_t len, cap;
    bool failed;
} text_buffer;

static void buffer_append(text_buffer *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buffer_puts(text_buffer *b, const char *s)
{
    buffer_append(b, s, strlen(s));
}

/* ---- floats ---- */

/* The shortest %e text (1 to 17 significant digits) that strtod reads back
 * as v, split into its digits ("15") and decimal exponent (1.5e3 -> 3). */
static void shortest_digits(double v, char digits[20], int *exponent)
{
    char text[40];
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(text, sizeof text, "%.*e", precision - 1, v);
        if (strtod(text, NULL) == v)
            break;
    }
    size_t n = 0;
    const char *p = text;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    *exponent = *p == 'e' ? atoi(p + 1) : 0;
}

void savu_format_double(double v, char out[32])
{
    if (isnan(v)) {
        strcpy(out, "NaN");
        return;
    }
    if (isinf(v)) {
        strcpy(out, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    char digits[20];
    int exponent;
    shortest_digits(fabs(v), digits, &exponent);
    int ndigits = (int)strlen(digits);
    char *o = out;
    if (signbit(v))
        *o++ = '-';
    if (exponent < -4 || exponent >= 16) {
        *o++ = digits[0];
        if (ndigits > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)ndigits - 1);
            o += ndigits - 1;
        }
        sprintf(o, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
        return;
    }
    if (exponent < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > exponent; i--)
            *o++ = '0';
        memcpy(o, digits, (size_t)ndigits);
        o += ndigits;
    } else {
        for (int i = 0; i <= exponent; i++)
            *o++ = i < ndigits ? digits[i] : '0';
        *o++ = '.';
        if (ndigits > exponent + 1) {
            memcpy(o, digits + exponent + 1, (size_t)(ndigits - exponent - 1));
            o += ndigits - exponent - 1;
        } else {
            *o++ = '0';
        }
    }
    *o = '\0';
}

/* ---- strings ---- */

static void append_unicode_escape(text_buffer *b, unsigned code)
{
    char escape[16];
    if (code > 0xFFFF) {
        code -= 0x10000;
        snprintf(escape, sizeof escape, "\\u%04x\\u%04x", 0xD800 + (code >> 10),
                 0xDC00 + (code & 0x3FF));
    } else {
        snprintf(escape, sizeof escape, "\\u%04x", code);
    }
    buffer_puts(b, escape);
}

static void append_string(text_buffer *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    buffer_append(b, "\"", 1);
    for (size_t i = 0; i < n;) {
        unsigned code;
        size_t used = savu_utf8_decode(p + i, n - i, &code);
        if (used == 0) { /* not from jansson's checked constructors: write U+FFFD */
            code = 0xFFFD;
            used = 1;
        }
        i += used;
        switch (code) {
        case '"': buffer_puts(b, "\\\""); break;
        case '\\': buffer_puts(b, "\\\\"); break;
        case '\n': buffer_puts(b, "\\n"); break;
        case '\r': buffer_puts(b, "\\r"); break;
        case '\t': buffer_puts(b, "\\t"); break;
        case '\b': buffer_puts(b, "\\b"); break;
        case '\f': buffer_puts(b, "\\f"); break;
        default:
            if (code >= 0x20 && code <= 0x7E) {
                char c = (char)code;
                buffer_append(b, &c, 1);
            } else {
                append_unicode_escape(b, code);
            }
        }
    }
    buffer_append(b, "\"", 1);
}

/* ---- values ---- */

static void append_value(text_buffer *b, const json_t *v, int depth)
{
    if (depth > DUMP_MAX_DEPTH) {
        b->failed = true;
        return;
    }
    char number[32];
    switch (json_typeof(v)) {
    case JSON_NULL: buffer_puts(b, "null"); break;
    case JSON_TRUE: buffer_puts(b, "true"); break;
    case JSON_FALSE: buffer_puts(b, "false"); break;
    case JSON_INTEGER:
        snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        buffer_puts(b, number);
        break;
    case JSON_REAL:
        savu_format_double(json_real_value(v), number);
        buffer_puts(b, number);
        break;
    case JSON_STRING:
        append_string(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_ARRAY:
        buffer_puts(b, "[");
        for (size_t i = 0; i < json_array_size(v) && !b->failed; i++) {
            if (i)
                buffer_puts(b, ", ");
            append_value(b, json_array_get(v, i), depth + 1);
        }
        buffer_puts(b, "]");
        break;
    case JSON_OBJECT: {
        buffer_puts(b, "{");
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it && !b->failed;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                buffer_puts(b, ", ");
            first = false;
            append_string(b, json_object_iter_key(it), json_object_iter_key_len(it));
            buffer_puts(b, ": ");
            append_value(b, json_object_iter_value(it), depth + 1);
        }
        buffer_puts(b, "}");
        break;
    }
    }
}

char *savu_json_dumps(const json_t *value)
{
    text_buffer b = {0};
    if (!value)
        return NULL;
    append_value(&b, value, 0);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}
