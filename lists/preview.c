/* preview.c: Savu's preview entries (preview.h). An entry is ":" (the whole
 * dimension), one index expression n (n:n+1), or start:stop[:step[:chunk]]
 * with empty fields meaning 0, len, 1 and 1. Each field is an integer
 * expression over start (0), mid (len // 2) and end (len):
 *   expr   := term (('+' | '-') term)*
 *   term   := unary (('*' | '/' | '//') unary)*       '/' floors like '//'
 *   unary  := ('+' | '-') unary | primary
 *   primary:= integer | start | mid | end | '(' expr ')'
 * Without a length (savu_preview_check) the names are unknown values, so
 * only the syntax and the constant parts are checked. */
#include "preview.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Deepest nesting of parentheses and unary signs in one field. */
#define PREVIEW_MAX_DEPTH 64
#define PREVIEW_FIELDS_MAX 4

/* A value that may be unknown (a name, when no length is given). */
typedef struct maybe_long {
    long v;
    bool known;
} maybe_long;

typedef struct expr_parser {
    const char *entry; /* the whole entry, for columns and messages */
    const char *p;
    const char *end;   /* the end of this field */
    long dim_len;      /* < 0: unknown */
    savu_error *err;
} expr_parser;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_digit(c);
}

static int fail(expr_parser *ep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "<problem> in preview entry '<entry>'" */
static int fail(expr_parser *ep, const char *fmt, ...)
{
    char problem[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return savu_error_set(ep->err, "%s in preview entry '%.200s'", problem, ep->entry);
}

static int column(const expr_parser *ep)
{
    return (int)(ep->p - ep->entry) + 1;
}

static void skip_spaces(expr_parser *ep)
{
    while (ep->p < ep->end && is_space(*ep->p))
        ep->p++;
}

static bool at_end(expr_parser *ep)
{
    skip_spaces(ep);
    return ep->p >= ep->end;
}

static int fail_unexpected(expr_parser *ep)
{
    if (at_end(ep))
        return fail(ep, "expected a number, start, mid or end at column %d", column(ep));
    if ((unsigned char)*ep->p < 0x20 || *ep->p == 0x7F)
        return fail(ep, "unexpected '\\x%02x' at column %d", (unsigned char)*ep->p, column(ep));
    int len = 1; /* the whole UTF-8 character */
    while (len < 4 && ep->p + len < ep->end && (ep->p[len] & 0xC0) == 0x80)
        len++;
    return fail(ep, "unexpected '%.*s' at column %d", len, ep->p, column(ep));
}

/* ---- arithmetic on possibly unknown values, with overflow checks ---- */

static int combine(expr_parser *ep, char op, maybe_long a, maybe_long b, maybe_long *out)
{
    out->known = false;
    out->v = 0;
    if (op == '/' && b.known && b.v == 0)
        return fail(ep, "division by zero");
    if (!a.known || !b.known)
        return 0;
    bool overflow = false;
    switch (op) {
    case '+': overflow = __builtin_add_overflow(a.v, b.v, &out->v); break;
    case '-': overflow = __builtin_sub_overflow(a.v, b.v, &out->v); break;
    case '*': overflow = __builtin_mul_overflow(a.v, b.v, &out->v); break;
    case '/': /* floor division, as Python's // */
        if (b.v == -1 && a.v == (-__LONG_MAX__ - 1)) {
            overflow = true;
            break;
        }
        out->v = a.v / b.v;
        if ((a.v % b.v != 0) && ((a.v < 0) != (b.v < 0)))
            out->v--;
        break;
    }
    if (overflow)
        return fail(ep, "number too large");
    out->known = true;
    return 0;
}

/* ---- the expression parser ---- */

static int parse_expr(expr_parser *ep, int depth, maybe_long *out);

static int parse_primary(expr_parser *ep, int depth, maybe_long *out)
{
    skip_spaces(ep);
    const char *start = ep->p;
    if (ep->p < ep->end && *ep->p == '(') {
        ep->p++;
        if (parse_expr(ep, depth + 1, out) < 0)
            return -1;
        skip_spaces(ep);
        if (ep->p >= ep->end || *ep->p != ')')
            return ep->p >= ep->end
                       ? fail(ep, "missing ')' for '(' at column %d", (int)(start - ep->entry) + 1)
                       : fail_unexpected(ep);
        ep->p++;
        return 0;
    }
    if (ep->p < ep->end && is_digit(*ep->p)) {
        long v = 0;
        for (; ep->p < ep->end && is_digit(*ep->p); ep->p++)
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *ep->p - '0', &v))
                return fail(ep, "number too large");
        if (ep->p < ep->end && is_name_char(*ep->p))
            return fail_unexpected(ep);
        *out = (maybe_long){v, true};
        return 0;
    }
    while (ep->p < ep->end && is_name_char(*ep->p))
        ep->p++;
    size_t len = (size_t)(ep->p - start);
    bool known = ep->dim_len >= 0;
    if (len == 5 && !memcmp(start, "start", 5))
        *out = (maybe_long){0, true};
    else if (len == 3 && !memcmp(start, "mid", 3))
        *out = (maybe_long){known ? ep->dim_len / 2 : 0, known};
    else if (len == 3 && !memcmp(start, "end", 3))
        *out = (maybe_long){known ? ep->dim_len : 0, known};
    else if (len > 0)
        return fail(ep, "unknown name '%.*s' at column %d (use start, mid or end)", (int)len,
                    start, (int)(start - ep->entry) + 1);
    else
        return fail_unexpected(ep);
    return 0;
}

static int parse_unary(expr_parser *ep, int depth, maybe_long *out)
{
    if (depth > PREVIEW_MAX_DEPTH)
        return fail(ep, "expression nested more than %d deep", PREVIEW_MAX_DEPTH);
    skip_spaces(ep);
    if (ep->p < ep->end && (*ep->p == '-' || *ep->p == '+')) {
        char sign = *ep->p++;
        maybe_long v;
        if (parse_unary(ep, depth + 1, &v) < 0)
            return -1;
        return sign == '-' ? combine(ep, '-', (maybe_long){0, true}, v, out) : (*out = v, 0);
    }
    return parse_primary(ep, depth, out);
}

static int parse_term(expr_parser *ep, int depth, maybe_long *out)
{
    if (parse_unary(ep, depth, out) < 0)
        return -1;
    for (;;) {
        skip_spaces(ep);
        if (ep->p >= ep->end || (*ep->p != '*' && *ep->p != '/'))
            return 0;
        char op = *ep->p++;
        if (op == '/' && ep->p < ep->end && *ep->p == '/')
            ep->p++;
        maybe_long rhs;
        if (parse_unary(ep, depth, &rhs) < 0 || combine(ep, op, *out, rhs, out) < 0)
            return -1;
    }
}

static int parse_expr(expr_parser *ep, int depth, maybe_long *out)
{
    if (depth > PREVIEW_MAX_DEPTH)
        return fail(ep, "expression nested more than %d deep", PREVIEW_MAX_DEPTH);
    if (parse_term(ep, depth, out) < 0)
        return -1;
    for (;;) {
        skip_spaces(ep);
        if (ep->p >= ep->end || (*ep->p != '+' && *ep->p != '-'))
            return 0;
        char op = *ep->p++;
        maybe_long rhs;
        if (parse_term(ep, depth, &rhs) < 0 || combine(ep, op, *out, rhs, out) < 0)
            return -1;
    }
}

/* ---- entries ---- */

typedef struct parsed_entry {
    int nfields;
    bool present[PREVIEW_FIELDS_MAX]; /* false for an empty field */
    maybe_long field[PREVIEW_FIELDS_MAX];
} parsed_entry;

/* Splits entry at ':' and evaluates each non-empty field. */
static int parse_entry(const char *entry, long dim_len, parsed_entry *pe, savu_error *err)
{
    expr_parser ep = {.entry = entry, .p = entry, .dim_len = dim_len, .err = err};
    memset(pe, 0, sizeof *pe);
    const char *first = entry;
    while (is_space(*first))
        first++;
    if (*first == '\0')
        return savu_error_set(err, "empty preview entry");
    for (const char *field = entry;; field = ep.end + 1) {
        const char *colon = strchr(field, ':');
        if (pe->nfields == PREVIEW_FIELDS_MAX)
            return fail(&ep, "more than %d fields (start:stop:step:chunk)", PREVIEW_FIELDS_MAX);
        ep.p = field;
        ep.end = colon ? colon : field + strlen(field);
        int i = pe->nfields++;
        if (!at_end(&ep)) {
            pe->present[i] = true;
            if (parse_expr(&ep, 0, &pe->field[i]) < 0)
                return -1;
            if (!at_end(&ep))
                return fail_unexpected(&ep);
        }
        if (!colon)
            break;
    }
    return 0;
}

/* A field's value, or its default when it is empty. */
static maybe_long field_or(const parsed_entry *pe, int i, maybe_long fallback)
{
    return i < pe->nfields && pe->present[i] ? pe->field[i] : fallback;
}

static int check_step_and_chunk(const char *entry, const parsed_entry *pe, savu_slice *s,
                                savu_error *err)
{
    maybe_long step = field_or(pe, 2, (maybe_long){1, true});
    maybe_long chunk = field_or(pe, 3, (maybe_long){1, true});
    if (step.known && step.v < 1)
        return savu_error_set(err, "step %ld must be at least 1 in preview entry '%.200s'",
                              step.v, entry);
    if (chunk.known && chunk.v < 1)
        return savu_error_set(err, "chunk %ld must be at least 1 in preview entry '%.200s'",
                              chunk.v, entry);
    s->step = step.v;
    s->chunk = chunk.v;
    return 0;
}

static long clamp(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int savu_preview_eval(const char *entry, long dim_len, savu_slice *out, savu_error *err)
{
    parsed_entry pe;
    savu_slice s;
    if (!entry)
        return savu_error_set(err, "empty preview entry");
    if (dim_len < 0)
        return savu_error_set(err, "dimension length %ld is negative", dim_len);
    if (parse_entry(entry, dim_len, &pe, err) < 0 || check_step_and_chunk(entry, &pe, &s, err) < 0)
        return -1;
    long start = field_or(&pe, 0, (maybe_long){0, true}).v;
    long stop;
    if (pe.nfields == 1) {
        if (start == __LONG_MAX__)
            return savu_error_set(err, "number too large in preview entry '%.200s'", entry);
        stop = start + 1;
    } else {
        stop = field_or(&pe, 1, (maybe_long){dim_len, true}).v;
    }
    if (stop < start)
        return savu_error_set(err, "stop %ld is before start %ld in preview entry '%.200s'",
                              stop, start, entry);
    s.start = clamp(start, 0, dim_len);
    s.stop = clamp(stop, 0, dim_len);
    if (s.stop <= s.start)
        return savu_error_set(err, "preview entry '%.200s' selects nothing of a dimension of "
                              "length %ld", entry, dim_len);
    *out = s;
    return 0;
}

int savu_preview_check(const char *entry, savu_error *err)
{
    parsed_entry pe;
    savu_slice s;
    if (!entry)
        return savu_error_set(err, "empty preview entry");
    if (parse_entry(entry, -1, &pe, err) < 0 || check_step_and_chunk(entry, &pe, &s, err) < 0)
        return -1;
    if (pe.nfields >= 2) {
        maybe_long start = field_or(&pe, 0, (maybe_long){0, true});
        maybe_long stop = pe.present[1] ? pe.field[1] : (maybe_long){0, false};
        if (start.known && stop.known && stop.v < start.v)
            return savu_error_set(err, "stop %ld is before start %ld in preview entry '%.200s'",
                                  stop.v, start.v, entry);
    }
    return 0;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "a dict";
    case JSON_ARRAY: return "a list";
    case JSON_REAL: return "a float";
    case JSON_TRUE:
    case JSON_FALSE: return "a bool";
    case JSON_NULL: return "None";
    default: return "a value";
    }
}

int savu_preview_check_value(const json_t *value, savu_error *err)
{
    if (!json_is_array(value))
        return savu_error_set(err, "the preview must be a list with one entry per dimension, "
                                   "e.g. [\":\", \"mid\", \":\"]");
    size_t i;
    const json_t *entry;
    json_array_foreach(value, i, entry) {
        char number[32];
        const char *text;
        if (json_is_string(entry)) {
            text = json_string_value(entry);
        } else if (json_is_integer(entry)) {
            snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(entry));
            text = number;
        } else {
            return savu_error_set(err, "preview dimension %zu: expected a string or an integer, "
                                       "not %s", i + 1, type_name(entry));
        }
        if (savu_preview_check(text, err) < 0)
            return savu_error_prefix(err, "preview dimension %zu: ", i + 1);
    }
    return 0;
}
