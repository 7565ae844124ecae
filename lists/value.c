/* value.c: the recursive-descent parser for values typed by users
 * (value.h). Grammar, never eval:
 *   value  := list | tuple | dict | quoted | scalar | bare
 *   list   := '[' [item (',' item)* [',']] ']'          -> JSON array
 *   tuple  := '(' ... ')'  as list; '(x)' without a comma is just x
 *   dict   := '{' [key ':' item (',' key ':' item)* [',']] '}'
 *   quoted := '...' or "..." with Python's backslash escapes
 *   scalar := number | True | False | true | false | None | null
 *   bare   := any other text: at top level the whole trimmed text; inside
 *             brackets it runs to the next ',' or closing bracket (or ':'
 *             for a dict key) outside nested brackets, trimmed.
 * Dict keys become strings as json.dumps writes them ({1: 2.0} -> {"1": 2.0}).
 * Errors say what was wrong and at which 1-based column. */
#include "value.h"
#include "json_format.h"
#include "utf8.h"
#include "value_scalar.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest nesting of lists, tuples and dicts. */
#define VALUE_MAX_DEPTH 64
/* The input quoted in messages is cut after this many bytes. */
#define QUOTED_INPUT_MAX 200

typedef struct parser {
    const char *text; /* the whole input, for columns and messages */
    const char *p;    /* the next unread byte */
    savu_error *err;
} parser;

typedef enum bare_end {
    BARE_ENDS_AT_ITEM_END, /* ',' or a closing bracket */
    BARE_ENDS_AT_KEY_END,  /* also ':' */
} bare_end;

static json_t *parse_item(parser *ps, int depth, bare_end end);

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_closer(char c)
{
    return c == ']' || c == ')' || c == '}';
}

static void skip_spaces(parser *ps)
{
    while (is_space(*ps->p))
        ps->p++;
}

static int column_of(const parser *ps, const char *at)
{
    return (int)(at - ps->text) + 1;
}

/* Sets "<problem> at column N of '<input>'" (the input cut when long). */
static json_t *fail_at(parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static json_t *fail_at(parser *ps, const char *at, const char *fmt, ...)
{
    char problem[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    size_t shown = strlen(ps->text);
    const char *ellipsis = "";
    if (shown > QUOTED_INPUT_MAX) {
        shown = QUOTED_INPUT_MAX;
        while (shown > 0 && (ps->text[shown] & 0xC0) == 0x80) /* whole characters only */
            shown--;
        ellipsis = "...";
    }
    savu_error_set(ps->err, "%s at column %d of '%.*s%s'", problem, column_of(ps, at),
                   (int)shown, ps->text, ellipsis);
    return NULL;
}

/* The character at `at` as it appears in a message: itself, or \xHH for a
 * control character. */
static const char *shown_char(const char *at, char out[8])
{
    unsigned char c = (unsigned char)*at;
    unsigned code;
    size_t len = 1;
    if (c < 0x20 || c == 0x7F)
        snprintf(out, 8, "\\x%02x", c);
    else {
        if (c >= 0x80)
            len = savu_utf8_decode((const unsigned char *)at, strlen(at), &code);
        memcpy(out, at, len ? len : 1);
        out[len ? len : 1] = '\0';
    }
    return out;
}

static json_t *fail_unexpected(parser *ps)
{
    char c[8];
    if (*ps->p == '\0')
        return fail_at(ps, ps->p, "unexpected end of text");
    return fail_at(ps, ps->p, "unexpected '%s'", shown_char(ps->p, c));
}

/* ---- quoted strings ---- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads exactly `digits` hex digits at s into *code; false when fewer. */
static bool read_hex(const char *s, int digits, unsigned *code)
{
    *code = 0;
    for (int i = 0; i < digits; i++) {
        int h = hex_value(s[i]);
        if (h < 0)
            return false;
        *code = *code * 16 + (unsigned)h;
    }
    return true;
}

/* Decodes the escape at ps->p (just after the backslash) into out; returns
 * the number of bytes written, or -1 with the error set. */
static int decode_escape(parser *ps, const char *backslash, char out[4])
{
    static const char simple_from[] = "\\'\"abfnrtv";
    static const char simple_to[] = "\\'\"\a\b\f\n\r\t\v";
    char e = *ps->p;
    const char *simple = e ? strchr(simple_from, e) : NULL;
    if (simple) {
        ps->p++;
        out[0] = simple_to[simple - simple_from];
        return 1;
    }
    if (e == '\n') { /* a backslash before a new line joins the lines */
        ps->p++;
        return 0;
    }
    unsigned code;
    if (e >= '0' && e <= '7') {
        code = 0;
        for (int i = 0; i < 3 && *ps->p >= '0' && *ps->p <= '7'; i++)
            code = code * 8 + (unsigned)(*ps->p++ - '0');
    } else if (e == 'x' || e == 'u' || e == 'U') {
        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (!read_hex(ps->p + 1, digits, &code)) {
            fail_at(ps, backslash, "truncated \\%c escape (it needs %d hex digits)", e, digits);
            return -1;
        }
        ps->p += 1 + digits;
    } else { /* unknown escapes keep their backslash, as in Python */
        out[0] = '\\';
        return 1;
    }
    if (code == 0) {
        fail_at(ps, backslash, "a string may not contain the NUL character");
        return -1;
    }
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        fail_at(ps, backslash, "escape \\%c%.*s is not a valid character", e,
                (int)(ps->p - backslash - 2), backslash + 2);
        return -1;
    }
    return (int)savu_utf8_encode(code, out);
}

static json_t *parse_quoted(parser *ps)
{
    const char *open = ps->p;
    char quote = *ps->p++;
    /* Escapes never decode to more bytes than they take. */
    char *decoded = malloc(strlen(ps->p) + 1);
    size_t n = 0;
    if (!decoded)
        return fail_at(ps, open, "out of memory reading the string");
    for (;;) {
        char c = *ps->p;
        if (c == '\0') {
            free(decoded);
            return fail_at(ps, open, "unterminated string starting");
        }
        if (c == quote) {
            ps->p++;
            break;
        }
        if (c != '\\') {
            decoded[n++] = c;
            ps->p++;
            continue;
        }
        const char *backslash = ps->p++;
        if (*ps->p == '\0')
            continue; /* reported as unterminated */
        int written = decode_escape(ps, backslash, decoded + n);
        if (written < 0) {
            free(decoded);
            return NULL;
        }
        n += (size_t)written;
    }
    json_t *s = json_stringn(decoded, n);
    free(decoded);
    return s ? s : fail_at(ps, open, "out of memory reading the string");
}

/* ---- bare words and scalars ---- */

/* A number or keyword when the text is one, otherwise the text as a string. */
static json_t *scalar_or_string(parser *ps, const char *start, size_t len)
{
    json_t *v;
    savu_error scalar_err;
    if (savu_scalar_parse(start, len, &v, &scalar_err) < 0)
        return fail_at(ps, start, "%s", scalar_err.msg);
    if (!v)
        v = json_stringn(start, len);
    return v ? v : fail_at(ps, start, "out of memory");
}

static json_t *parse_bare(parser *ps, bare_end end)
{
    const char *start = ps->p;
    int nesting = 0;
    for (char c; (c = *ps->p) != '\0'; ps->p++) {
        if (nesting == 0 && (c == ',' || is_closer(c) || (c == ':' && end == BARE_ENDS_AT_KEY_END)))
            break;
        if (c == '[' || c == '(' || c == '{')
            nesting++;
        else if (is_closer(c))
            nesting--;
    }
    const char *stop = ps->p;
    while (stop > start && is_space(stop[-1]))
        stop--;
    if (stop == start)
        return fail_unexpected(ps);
    return scalar_or_string(ps, start, (size_t)(stop - start));
}

/* ---- lists, tuples and dicts ---- */

static json_t *fail_missing_closer(parser *ps, const char *open, char closer)
{
    return fail_at(ps, open, "missing '%c' for '%c'", closer, *open);
}

static bool too_deep(parser *ps, int depth)
{
    if (depth <= VALUE_MAX_DEPTH)
        return false;
    fail_at(ps, ps->p, "values nested more than %d deep", VALUE_MAX_DEPTH);
    return true;
}

/* After an item: consumes ',' (returns 1) or the closer (returns 0); -1 on
 * anything else, with the error set. */
static int item_separator(parser *ps, const char *open, char closer)
{
    skip_spaces(ps);
    if (*ps->p == ',') {
        ps->p++;
        return 1;
    }
    if (*ps->p == closer) {
        ps->p++;
        return 0;
    }
    if (*ps->p == '\0')
        fail_missing_closer(ps, open, closer);
    else
        fail_unexpected(ps);
    return -1;
}

/* '[...]' or '(...)'; a parenthesised single item without a comma is the
 * item itself, as in Python. */
static json_t *parse_sequence(parser *ps, int depth)
{
    const char *open = ps->p;
    char closer = *open == '[' ? ']' : ')';
    if (too_deep(ps, depth))
        return NULL;
    ps->p++;
    json_t *array = json_array();
    bool had_comma = false;
    for (;;) {
        skip_spaces(ps);
        if (*ps->p == closer) {
            ps->p++;
            break;
        }
        if (*ps->p == '\0') {
            json_decref(array);
            return fail_missing_closer(ps, open, closer);
        }
        json_t *item = parse_item(ps, depth, BARE_ENDS_AT_ITEM_END);
        if (!item || json_array_append_new(array, item) < 0) {
            json_decref(array);
            return NULL;
        }
        int more = item_separator(ps, open, closer);
        if (more < 0) {
            json_decref(array);
            return NULL;
        }
        if (!more)
            break;
        had_comma = true;
    }
    if (closer == ')' && !had_comma && json_array_size(array) == 1) {
        json_t *item = json_incref(json_array_get(array, 0));
        json_decref(array);
        return item;
    }
    return array;
}

/* A parsed dict key as the string json.dumps would write for it. */
static char *key_text(parser *ps, const json_t *key, const char *at)
{
    if (json_is_string(key))
        return strdup(json_string_value(key));
    if (json_is_array(key) || json_is_object(key)) {
        fail_at(ps, at, "a dict key must be a string, a number, true/false or None, not a %s",
                json_is_array(key) ? "list" : "dict");
        return NULL;
    }
    return savu_json_dumps(key);
}

static json_t *parse_dict(parser *ps, int depth)
{
    const char *open = ps->p;
    if (too_deep(ps, depth))
        return NULL;
    ps->p++;
    json_t *dict = json_object();
    for (;;) {
        skip_spaces(ps);
        if (*ps->p == '}') {
            ps->p++;
            break;
        }
        if (*ps->p == '\0')
            goto missing_closer;
        const char *key_at = ps->p;
        json_t *key = parse_item(ps, depth, BARE_ENDS_AT_KEY_END);
        char *name = key ? key_text(ps, key, key_at) : NULL;
        json_decref(key);
        if (!name)
            goto failed;
        skip_spaces(ps);
        if (*ps->p != ':') {
            free(name);
            if (*ps->p == '\0')
                goto missing_closer;
            fail_at(ps, ps->p, "expected ':' after the dict key");
            goto failed;
        }
        ps->p++;
        skip_spaces(ps);
        if (*ps->p == '\0') {
            free(name);
            goto missing_closer;
        }
        json_t *value = parse_item(ps, depth, BARE_ENDS_AT_ITEM_END);
        int set = value ? json_object_set_new(dict, name, value) : -1;
        free(name);
        if (set < 0)
            goto failed;
        int more = item_separator(ps, open, '}');
        if (more < 0)
            goto failed;
        if (!more)
            break;
    }
    return dict;
missing_closer:
    fail_missing_closer(ps, open, '}');
failed:
    json_decref(dict);
    return NULL;
}

static json_t *parse_item(parser *ps, int depth, bare_end end)
{
    skip_spaces(ps);
    switch (*ps->p) {
    case '[':
    case '(':
        return parse_sequence(ps, depth + 1);
    case '{':
        return parse_dict(ps, depth + 1);
    case '\'':
    case '"':
        return parse_quoted(ps);
    default:
        return parse_bare(ps, end);
    }
}

/* ---- entry points ---- */

json_t *savu_value_parse(const char *text, savu_error *err)
{
    parser ps = {.text = text, .p = text, .err = err};
    size_t bad;
    if (!text) {
        savu_error_set(err, "Please enter a value");
        return NULL;
    }
    if (!savu_utf8_valid(text, strlen(text), &bad)) {
        savu_error_set(err, "the value is not valid UTF-8 (byte %zu)", bad + 1);
        return NULL;
    }
    skip_spaces(&ps);
    const char *start = ps.p;
    if (*start == '\0') {
        savu_error_set(err, "Please enter a value");
        return NULL;
    }
    if (is_closer(*start))
        return fail_unexpected(&ps);
    if (!strchr("[({'\"", *start)) { /* a scalar or the whole text as a string */
        const char *stop = start + strlen(start);
        while (is_space(stop[-1]))
            stop--;
        return scalar_or_string(&ps, start, (size_t)(stop - start));
    }
    json_t *value = parse_item(&ps, 0, BARE_ENDS_AT_ITEM_END);
    if (!value)
        return NULL;
    skip_spaces(&ps);
    if (*ps.p != '\0') {
        json_decref(value);
        return fail_unexpected(&ps);
    }
    return value;
}

/* Preview entries are stored as strings, even numeric ones ("5"). */
static int preview_integers_to_strings(json_t *preview)
{
    size_t i;
    json_t *entry;
    json_array_foreach(preview, i, entry) {
        if (!json_is_integer(entry))
            continue;
        char text[32];
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(entry));
        if (json_array_set_new(preview, i, json_string(text)) < 0)
            return -1;
    }
    return 0;
}

json_t *savu_value_for_parameter(const char *raw, bool is_preview, savu_error *err)
{
    if (raw && !is_preview && savu_value_is_tuned(raw)) {
        json_t *values = savu_tuning_expand(raw, err);
        if (!values)
            return NULL;
        json_decref(values);
        const char *start = raw, *stop = raw + strlen(raw);
        while (is_space(*start))
            start++;
        while (stop > start && is_space(stop[-1]))
            stop--;
        json_t *stored = json_stringn(start, (size_t)(stop - start));
        if (!stored)
            savu_error_set(err, "out of memory");
        return stored;
    }
    json_t *value = savu_value_parse(raw, err);
    if (value && is_preview && json_is_array(value) && preview_integers_to_strings(value) < 0) {
        json_decref(value);
        savu_error_set(err, "out of memory");
        return NULL;
    }
    return value;
}
