/* dtype.c: Savu parameter types (reference savu-config.md §4.2). A dtype
 * string such as "[list[float], None]" is parsed once into a small tree, and
 * JSON values are checked against the tree with a one-line reason on failure
 * ("item 2: expected an integer", "the file /x does not exist").
 *
 * Grammar (whitespace allowed between tokens):
 *   type  := name | 'list' | 'list' '[' type {',' type} ']'
 *          | 'dict' | 'dict' '{' type ':' type '}' | '[' type {',' type} ']'
 *   name  := int | float | str | bool | filepath | dir | h5path | preview | None
 * list[t] is a list of any length whose items are t; list[t1,t2] has exactly
 * one item per listed type; [t1, t2] is a union. */
#include "dtype.h"
#include "preview.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DTYPE_MAX_DEPTH 16

enum dtype_kind {
    DT_INT,
    DT_FLOAT,
    DT_STR,
    DT_BOOL,
    DT_FILEPATH,
    DT_DIR,
    DT_H5PATH,
    DT_PREVIEW,
    DT_LIST,       /* any list */
    DT_DICT,       /* any object */
    DT_NONE,
    DT_LIST_OF,    /* list[t]: items[0] */
    DT_LIST_EXACT, /* list[t1,t2,...]: one type per item */
    DT_DICT_OF,    /* dict{k:v}: items[0] keys, items[1] values */
    DT_UNION       /* [t1, t2, ...] */
};

struct savu_dtype {
    enum dtype_kind kind;
    savu_dtype **items;
    size_t n_items;
};

/* The simple names, with the noun used in reasons ("expected an integer")
 * and its plural for list[t] ("a list of integers"). */
static const struct {
    const char *name;
    enum dtype_kind kind;
    const char *noun;
    const char *plural;
} simple_types[] = {
    {"int", DT_INT, "an integer", "integers"},
    {"float", DT_FLOAT, "a number", "numbers"},
    {"str", DT_STR, "a string", "strings"},
    {"bool", DT_BOOL, "a boolean (true or false)", "booleans"},
    {"filepath", DT_FILEPATH, "a file path", "file paths"},
    {"dir", DT_DIR, "a directory path", "directory paths"},
    {"h5path", DT_H5PATH, "an HDF5 path such as /entry/data/data", "HDF5 paths"},
    {"preview", DT_PREVIEW, "a preview list", "preview lists"},
    {"list", DT_LIST, "a list", "lists"},
    {"dict", DT_DICT, "a dictionary", "dictionaries"},
    {"None", DT_NONE, "None", "None values"},
};

#define N_SIMPLE_TYPES (sizeof simple_types / sizeof simple_types[0])

/* ---- tree ---- */

static savu_dtype *dtype_new(enum dtype_kind kind)
{
    savu_dtype *t = calloc(1, sizeof *t);
    if (t)
        t->kind = kind;
    return t;
}

void savu_dtype_free(savu_dtype *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_items; i++)
        savu_dtype_free(t->items[i]);
    free(t->items);
    free(t);
}

static int dtype_add_item(savu_dtype *t, savu_dtype *item)
{
    savu_dtype **grown = realloc(t->items, (t->n_items + 1) * sizeof *grown);
    if (!grown)
        return -1;
    t->items = grown;
    t->items[t->n_items++] = item;
    return 0;
}

/* ---- parser ---- */

typedef struct {
    const char *text;
    const char *p;
    savu_error *err;
} dtype_parser;

static void skip_space(dtype_parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

static int parse_fail(dtype_parser *ps, const char *what)
{
    int column = (int)(ps->p - ps->text) + 1;
    if (*ps->p)
        return savu_error_set(ps->err, "bad dtype '%s': %s at column %d ('%c')", ps->text, what,
                              column, *ps->p);
    return savu_error_set(ps->err, "bad dtype '%s': %s at the end", ps->text, what);
}

static bool accept(dtype_parser *ps, char c)
{
    skip_space(ps);
    if (*ps->p != c)
        return false;
    ps->p++;
    return true;
}

static savu_dtype *parse_type(dtype_parser *ps, int depth);

/* Parses "t {, t}" up to `close` (the opening bracket already consumed) into
 * t's items. */
static int parse_type_list(dtype_parser *ps, savu_dtype *t, char close, int depth)
{
    do {
        savu_dtype *item = parse_type(ps, depth + 1);
        if (!item)
            return -1;
        if (dtype_add_item(t, item) < 0) {
            savu_dtype_free(item);
            return savu_error_set(ps->err, "out of memory");
        }
    } while (accept(ps, ','));
    if (!accept(ps, close)) {
        char what[32];
        snprintf(what, sizeof what, "expected ',' or '%c'", close);
        return parse_fail(ps, what);
    }
    return 0;
}

static savu_dtype *parse_union(dtype_parser *ps, int depth)
{
    savu_dtype *t = dtype_new(DT_UNION);
    if (!t) {
        savu_error_set(ps->err, "out of memory");
        return NULL;
    }
    if (parse_type_list(ps, t, ']', depth) < 0) {
        savu_dtype_free(t);
        return NULL;
    }
    if (t->n_items == 1) { /* "[int]" is just int */
        savu_dtype *only = t->items[0];
        t->n_items = 0;
        savu_dtype_free(t);
        return only;
    }
    return t;
}

static savu_dtype *parse_list_of(dtype_parser *ps, int depth)
{
    savu_dtype *t = dtype_new(DT_LIST_OF);
    if (!t) {
        savu_error_set(ps->err, "out of memory");
        return NULL;
    }
    if (accept(ps, ']')) { /* Savu's "list[]": an empty list */
        t->kind = DT_LIST_EXACT;
        return t;
    }
    if (parse_type_list(ps, t, ']', depth) < 0) {
        savu_dtype_free(t);
        return NULL;
    }
    if (t->n_items > 1)
        t->kind = DT_LIST_EXACT;
    return t;
}

static savu_dtype *parse_dict_of(dtype_parser *ps, int depth)
{
    savu_dtype *t = dtype_new(DT_DICT_OF);
    if (!t) {
        savu_error_set(ps->err, "out of memory");
        return NULL;
    }
    savu_dtype *key = parse_type(ps, depth + 1);
    if (!key || dtype_add_item(t, key) < 0) {
        savu_dtype_free(key);
        savu_dtype_free(t);
        return NULL;
    }
    if (!accept(ps, ':')) {
        parse_fail(ps, "expected ':'");
        savu_dtype_free(t);
        return NULL;
    }
    savu_dtype *value = parse_type(ps, depth + 1);
    if (!value || dtype_add_item(t, value) < 0) {
        savu_dtype_free(value);
        savu_dtype_free(t);
        return NULL;
    }
    if (!accept(ps, '}')) {
        parse_fail(ps, "expected '}'");
        savu_dtype_free(t);
        return NULL;
    }
    return t;
}

static savu_dtype *parse_named(dtype_parser *ps, int depth)
{
    const char *start = ps->p;
    while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
        ps->p++;
    size_t len = (size_t)(ps->p - start);
    if (len == 4 && strncmp(start, "list", 4) == 0 && accept(ps, '['))
        return parse_list_of(ps, depth);
    if (len == 4 && strncmp(start, "dict", 4) == 0 && accept(ps, '{'))
        return parse_dict_of(ps, depth);
    for (size_t i = 0; i < N_SIMPLE_TYPES; i++) {
        if (strlen(simple_types[i].name) == len && strncmp(start, simple_types[i].name, len) == 0) {
            savu_dtype *t = dtype_new(simple_types[i].kind);
            if (!t)
                savu_error_set(ps->err, "out of memory");
            return t;
        }
    }
    savu_error_set(ps->err, "bad dtype '%s': unknown type '%.*s'", ps->text, (int)len, start);
    return NULL;
}

static savu_dtype *parse_type(dtype_parser *ps, int depth)
{
    if (depth > DTYPE_MAX_DEPTH) {
        savu_error_set(ps->err, "bad dtype '%s': nested more than %d deep", ps->text,
                       DTYPE_MAX_DEPTH);
        return NULL;
    }
    skip_space(ps);
    if (accept(ps, '['))
        return parse_union(ps, depth);
    if (isalpha((unsigned char)*ps->p) || *ps->p == '_')
        return parse_named(ps, depth);
    parse_fail(ps, "expected a type name or '['");
    return NULL;
}

savu_dtype *savu_dtype_parse(const char *text, savu_error *err)
{
    if (!text) {
        savu_error_set(err, "bad dtype: none given");
        return NULL;
    }
    dtype_parser ps = {text, text, err};
    savu_dtype *t = parse_type(&ps, 0);
    if (!t)
        return NULL;
    skip_space(&ps);
    if (*ps.p) {
        parse_fail(&ps, "unexpected text");
        savu_dtype_free(t);
        return NULL;
    }
    return t;
}

/* ---- descriptions used in reasons ---- */

typedef struct {
    char text[512];
    size_t len;
} text_buf;

static void buf_add(text_buf *b, const char *s)
{
    size_t room = sizeof b->text - b->len;
    int n = snprintf(b->text + b->len, room, "%s", s);
    if (n > 0)
        b->len += (size_t)n < room ? (size_t)n : room - 1;
}

static void describe(const savu_dtype *t, bool plural, text_buf *b);

static void describe_items_count(size_t n, bool plural, text_buf *b)
{
    char s[64];
    if (n == 0)
        snprintf(s, sizeof s, "%s", plural ? "empty lists" : "an empty list");
    else
        snprintf(s, sizeof s, "%s of %zu item%s", plural ? "lists" : "a list", n, n == 1 ? "" : "s");
    buf_add(b, s);
}

/* "an integer" / "integers", "a list of numbers", "an integer or None". */
static void describe(const savu_dtype *t, bool plural, text_buf *b)
{
    switch (t->kind) {
    case DT_LIST_OF:
        buf_add(b, plural ? "lists of " : "a list of ");
        describe(t->items[0], true, b);
        return;
    case DT_LIST_EXACT:
        describe_items_count(t->n_items, plural, b);
        return;
    case DT_DICT_OF:
        buf_add(b, plural ? "dictionaries" : "a dictionary");
        return;
    case DT_UNION:
        for (size_t i = 0; i < t->n_items; i++) {
            if (i)
                buf_add(b, " or ");
            describe(t->items[i], plural, b);
        }
        return;
    default:
        for (size_t i = 0; i < N_SIMPLE_TYPES; i++)
            if (simple_types[i].kind == t->kind)
                buf_add(b, plural ? simple_types[i].plural : simple_types[i].noun);
        return;
    }
}

static int fail_expected(const savu_dtype *t, savu_error *err)
{
    text_buf b = {.len = 0};
    b.text[0] = '\0';
    describe(t, false, &b);
    return savu_error_set(err, "expected %s", b.text);
}

/* ---- checks of simple types ---- */

static int check_filepath(const savu_dtype *t, const json_t *v, savu_error *err)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail_expected(t, err);
    const char *path = json_string_value(v);
    struct stat st;
    if (stat(path, &st) != 0)
        return savu_error_set(err, "the file %s does not exist", path);
    if (S_ISDIR(st.st_mode))
        return savu_error_set(err, "%s is a directory, not a file", path);
    return 0;
}

static int check_dir(const savu_dtype *t, const json_t *v, savu_error *err)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail_expected(t, err);
    const char *path = json_string_value(v);
    struct stat st;
    if (stat(path, &st) != 0)
        return savu_error_set(err, "the directory %s does not exist", path);
    if (!S_ISDIR(st.st_mode))
        return savu_error_set(err, "%s is not a directory", path);
    return 0;
}

/* "entry1/tomo_entry/data/data" or "/entry/x": names separated by single
 * '/', an optional leading '/', no trailing '/', no spaces or control
 * characters. */
static bool looks_like_h5path(const char *s)
{
    if (*s == '/')
        s++;
    if (*s == '\0')
        return false;
    for (const char *c = s; *c; c++) {
        if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c))
            return false;
        if (*c == '/' && (c[1] == '/' || c[1] == '\0'))
            return false;
    }
    return true;
}

static int check_h5path(const savu_dtype *t, const json_t *v, savu_error *err)
{
    if (!json_is_string(v) || !looks_like_h5path(json_string_value(v)))
        return fail_expected(t, err);
    return 0;
}

/* ---- checks of compound types ---- */

static int check_value(const savu_dtype *t, const json_t *v, savu_error *err);

static int check_list_items(const savu_dtype *t, const json_t *v, savu_error *err)
{
    for (size_t i = 0; i < json_array_size(v); i++) {
        const savu_dtype *item_type = t->kind == DT_LIST_OF ? t->items[0] : t->items[i];
        if (check_value(item_type, json_array_get(v, i), err) < 0)
            return savu_error_prefix(err, "item %zu: ", i + 1);
    }
    return 0;
}

static int check_list_exact(const savu_dtype *t, const json_t *v, savu_error *err)
{
    if (!json_is_array(v))
        return fail_expected(t, err);
    size_t n = json_array_size(v);
    if (n != t->n_items && t->n_items == 0)
        return savu_error_set(err, "expected an empty list, got %zu item%s", n, n == 1 ? "" : "s");
    if (n != t->n_items)
        return savu_error_set(err, "expected a list of %zu items, got %zu item%s", t->n_items, n,
                              n == 1 ? "" : "s");
    return check_list_items(t, v, err);
}

/* JSON keys are strings; a key typed as a number ("1") may stand for an int
 * or float key. */
static int check_dict_key(const savu_dtype *key_type, const char *key, savu_error *err)
{
    json_t *as_string = json_string(key);
    int rc = check_value(key_type, as_string, err);
    json_decref(as_string);
    if (rc == 0)
        return 0;
    char *end;
    long long i = strtoll(key, &end, 10);
    json_t *as_number = NULL;
    if (*key && !isspace((unsigned char)*key) && *end == '\0')
        as_number = json_integer(i);
    else {
        double d = strtod(key, &end);
        if (*key && !isspace((unsigned char)*key) && *end == '\0')
            as_number = json_real(d);
    }
    if (!as_number)
        return -1;
    rc = check_value(key_type, as_number, err);
    json_decref(as_number);
    return rc;
}

static int check_dict_of(const savu_dtype *t, const json_t *v, savu_error *err)
{
    if (!json_is_object(v))
        return fail_expected(t, err);
    const char *key;
    const json_t *item;
    json_object_foreach((json_t *)v, key, item) {
        if (check_dict_key(t->items[0], key, err) < 0)
            return savu_error_prefix(err, "key '%s': ", key);
        if (check_value(t->items[1], item, err) < 0)
            return savu_error_prefix(err, "value of key '%s': ", key);
    }
    return 0;
}

/* Whether v has the JSON kind that t is about (so that a failure of t says
 * more than "expected one of ..."). */
static bool kind_matches(const savu_dtype *t, const json_t *v)
{
    switch (t->kind) {
    case DT_INT: return json_is_integer(v);
    case DT_FLOAT: return json_is_number(v);
    case DT_STR:
    case DT_FILEPATH:
    case DT_DIR:
    case DT_H5PATH: return json_is_string(v);
    case DT_BOOL: return json_is_boolean(v);
    case DT_PREVIEW:
    case DT_LIST:
    case DT_LIST_OF:
    case DT_LIST_EXACT: return json_is_array(v);
    case DT_DICT:
    case DT_DICT_OF: return json_is_object(v);
    case DT_NONE: return json_is_null(v);
    case DT_UNION:
        for (size_t i = 0; i < t->n_items; i++)
            if (kind_matches(t->items[i], v))
                return true;
        return false;
    }
    return false;
}

static int check_union(const savu_dtype *t, const json_t *v, savu_error *err)
{
    const savu_dtype *only_match = NULL;
    size_t matches = 0;
    for (size_t i = 0; i < t->n_items; i++) {
        savu_error scratch;
        if (check_value(t->items[i], v, &scratch) == 0)
            return 0;
        if (kind_matches(t->items[i], v)) {
            only_match = t->items[i];
            matches++;
        }
    }
    if (matches == 1)
        return check_value(only_match, v, err);
    return fail_expected(t, err);
}

static int check_value(const savu_dtype *t, const json_t *v, savu_error *err)
{
    switch (t->kind) {
    case DT_INT:
    case DT_FLOAT:
    case DT_STR:
    case DT_BOOL:
    case DT_LIST:
    case DT_DICT:
    case DT_NONE: return kind_matches(t, v) ? 0 : fail_expected(t, err);
    case DT_FILEPATH: return check_filepath(t, v, err);
    case DT_DIR: return check_dir(t, v, err);
    case DT_H5PATH: return check_h5path(t, v, err);
    case DT_PREVIEW:
        if (!json_is_array(v))
            return fail_expected(t, err);
        return savu_preview_check_value(v, err);
    case DT_LIST_OF: return json_is_array(v) ? check_list_items(t, v, err) : fail_expected(t, err);
    case DT_LIST_EXACT: return check_list_exact(t, v, err);
    case DT_DICT_OF: return check_dict_of(t, v, err);
    case DT_UNION: return check_union(t, v, err);
    }
    return fail_expected(t, err);
}

int savu_dtype_check(const savu_dtype *t, const json_t *value, savu_error *err)
{
    if (!t || !value)
        return savu_error_set(err, "no value");
    return check_value(t, value, err);
}
