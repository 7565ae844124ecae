/* bibtex.c: a lenient reader of BibTeX keys and fields and of EndNote tags
 * (bibtex.h). */
#define _GNU_SOURCE /* strndup, strncasecmp */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bibtex.h"

static const char *skip_space(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* A copy of [start, end) with whitespace runs made one space and the ends
 * trimmed. */
static char *collapse_space(const char *start, const char *end)
{
    char *out = malloc((size_t)(end - start) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    bool space = false;
    for (const char *c = start; c < end; c++) {
        if (isspace((unsigned char)*c)) {
            space = n > 0;
            continue;
        }
        if (space)
            out[n++] = ' ';
        space = false;
        out[n++] = *c;
    }
    out[n] = '\0';
    return out;
}

/* The body of the entry: just after "@type{" (or "@type("). */
static const char *entry_body(const char *bibtex)
{
    const char *at = strchr(bibtex, '@');
    if (!at)
        return NULL;
    const char *open = strpbrk(at, "{(");
    return open ? open + 1 : NULL;
}

char *bibtex_key(const char *bibtex)
{
    const char *body = bibtex ? entry_body(bibtex) : NULL;
    if (!body)
        return NULL;
    const char *end = strpbrk(body, ",})");
    if (!end || end == body || *end != ',')
        return NULL;
    char *key = collapse_space(body, end);
    if (key && !*key) {
        free(key);
        return NULL;
    }
    return key;
}

/* Scans one value starting at s: {...} (nested), "..." or a bare word up to
 * a comma or the entry's end, braces kept balanced. Sets [*start, *end) to
 * the value without its outer delimiters; returns where scanning stopped. */
static const char *scan_value(const char *s, const char **start, const char **end)
{
    int depth = 0;
    if (*s == '{' || *s == '"') {
        const char *c = s + 1;
        depth = *s == '{';
        for (; *c; c++) {
            if (*c == '{')
                depth++;
            else if (*c == '}' && depth > 0)
                depth--;
            if (depth == 0 && (*s == '{' ? *c == '}' : *c == '"'))
                break;
        }
        *start = s + 1;
        *end = c;
        return *c ? c + 1 : c;
    }
    const char *c = s;
    for (; *c; c++) {
        if (*c == '{')
            depth++;
        else if (*c == '}' && depth > 0)
            depth--;
        else if (depth == 0 && (*c == ',' || *c == '}' || *c == ')'))
            break;
    }
    *start = s;
    *end = c;
    return c;
}

char *bibtex_field(const char *bibtex, const char *name)
{
    const char *s = bibtex ? entry_body(bibtex) : NULL;
    if (!s || !(s = strchr(s, ','))) /* past the key */
        return NULL;
    size_t name_len = strlen(name);
    while (*s) {
        s = skip_space(s);
        if (*s == ',') {
            s++;
            continue;
        }
        const char *field = s;
        while (*s && (isalnum((unsigned char)*s) || strchr("_-:.", *s)))
            s++;
        size_t field_len = (size_t)(s - field);
        s = skip_space(s);
        if (field_len == 0 || *s != '=')
            return NULL; /* the end of the entry, or not BibTeX */
        s = skip_space(s + 1);
        const char *start, *end;
        s = scan_value(s, &start, &end);
        if (field_len == name_len && strncasecmp(field, name, name_len) == 0)
            return collapse_space(start, end);
    }
    return NULL;
}

/* Splits off the first name of a list at a top-level " and ". */
static const char *first_name_end(const char *authors)
{
    int depth = 0;
    for (const char *c = authors; *c; c++) {
        if (*c == '{')
            depth++;
        else if (*c == '}' && depth > 0)
            depth--;
        else if (depth == 0 && isspace((unsigned char)*c) && strncasecmp(c + 1, "and", 3) == 0
                 && (isspace((unsigned char)c[4])))
            return c;
    }
    return authors + strlen(authors);
}

/* The first top-level occurrence in [s, end) of a character that satisfies
 * pred, or end. */
static const char *find_top_level(const char *s, const char *end, int (*pred)(int))
{
    int depth = 0;
    for (const char *c = s; c < end; c++) {
        if (*c == '{')
            depth++;
        else if (*c == '}' && depth > 0)
            depth--;
        else if (depth == 0 && pred((unsigned char)*c))
            return c;
    }
    return end;
}

static int is_comma(int c)
{
    return c == ',';
}

static char *without_braces(char *text)
{
    if (!text)
        return NULL;
    char *w = text;
    for (char *r = text; *r; r++)
        if (*r != '{' && *r != '}')
            *w++ = *r;
    *w = '\0';
    return text;
}

/* "First von Last": the surname starts at the first lower-case word after
 * the first word ("von"), else it is the last word. */
static const char *first_last_surname(const char *name, const char *end)
{
    const char *last_word = name, *c = name;
    bool first_word = true;
    while (c < end) {
        const char *word = c;
        c = find_top_level(c, end, isspace);
        if (!first_word && c < end && islower((unsigned char)*word))
            return word;
        last_word = word;
        first_word = false;
        while (c < end && isspace((unsigned char)*c))
            c++;
    }
    return last_word;
}

char *bibtex_first_surname(const char *authors)
{
    if (!authors)
        return NULL;
    char *name = collapse_space(authors, first_name_end(authors));
    if (!name || !*name) {
        free(name);
        return NULL;
    }
    const char *end = name + strlen(name);
    const char *comma = find_top_level(name, end, is_comma);
    char *surname = comma < end ? collapse_space(name, comma)
                                : collapse_space(first_last_surname(name, end), end);
    free(name);
    return without_braces(surname);
}

char *endnote_tag(const char *endnote, const char *tag)
{
    size_t tag_len = strlen(tag);
    for (const char *line = endnote; line && *line;) {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        while (line < end && (*line == ' ' || *line == '\t')) /* indented records */
            line++;
        if ((size_t)(end - line) > tag_len && strncmp(line, tag, tag_len) == 0
            && isspace((unsigned char)line[tag_len]))
            return collapse_space(line + tag_len, end);
        line = nl ? nl + 1 : NULL;
    }
    return NULL;
}
