/* nxtomo_angle_param.c: the NxtomoLoader's `angles` parameter as a list of
 * degrees (nxtomo_internal.h). Savu evaluates it as Python; the forms seen
 * in process lists are understood here without an interpreter:
 *   20                          linspace(0, 180, 20)
 *   "[0, 1.5, 3]"               the listed values
 *   "np.linspace(0, 180, 91)"   numpy's linspace (endpoint=False allowed)
 *   "np.arange(0, 180, 2)"      numpy's arange (1 to 3 arguments)
 *   "angles.txt"                a text file of numbers, '#' comments (np.loadtxt) */
#include "nxtomo_internal.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More values than any scan has: a guard against typing mistakes. */
#define NXTOMO_MAX_ANGLES 100000000L
#define NXTOMO_MAX_ARGS 4

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* A copy of s without leading and trailing white space. */
static char *trimmed(const char *s)
{
    s = skip_spaces(s);
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\n\r", s[n - 1]))
        n--;
    return strndup(s, n);
}

/* The whole of s (spaces around allowed) as a number. */
static bool parse_number(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    *out = strtod(skip_spaces(buf), &end);
    return end != skip_spaces(buf) && *skip_spaces(end) == '\0' && errno == 0 && isfinite(*out);
}

static double *alloc_angles(long n, savu_error *err)
{
    if (n < 1)
        return savu_error_set(err, "angles: no angles"), NULL;
    if (n > NXTOMO_MAX_ANGLES)
        return savu_error_set(err, "angles: %ld angles are too many", n), NULL;
    double *a = malloc((size_t)n * sizeof *a);
    if (!a)
        savu_error_set(err, "out of memory");
    return a;
}

/* numpy.linspace: start + i * step, the last value exactly stop. */
static int linspace(double start, double stop, long n, bool endpoint, double **out, long *count,
                    savu_error *err)
{
    double *a = alloc_angles(n, err);
    if (!a)
        return -1;
    double div = endpoint ? (double)(n - 1) : (double)n;
    double step = div > 0 ? (stop - start) / div : 0;
    for (long i = 0; i < n; i++)
        a[i] = start + (double)i * step;
    if (endpoint && n > 1)
        a[n - 1] = stop;
    *out = a;
    *count = n;
    return 0;
}

static int arange(double start, double stop, double step, double **out, long *count,
                  savu_error *err)
{
    if (step == 0)
        return savu_error_set(err, "angles: np.arange with a step of 0");
    double n = ceil((stop - start) / step);
    if (!(n >= 1))
        return savu_error_set(err, "angles: np.arange(%g, %g, %g) is empty", start, stop, step);
    double *a = alloc_angles(n > NXTOMO_MAX_ANGLES ? NXTOMO_MAX_ANGLES + 1 : (long)n, err);
    if (!a)
        return -1;
    for (long i = 0; i < (long)n; i++)
        a[i] = start + (double)i * step;
    *out = a;
    *count = (long)n;
    return 0;
}

/* "[a, b, ...]", a trailing comma allowed. */
static int parse_list(const char *text, double **out, long *n, savu_error *err)
{
    size_t len = strlen(text);
    if (len < 2 || text[len - 1] != ']')
        return savu_error_set(err, "angles '%.200s': a list must end with ']'", text);
    const char *p = text + 1, *end = text + len - 1;
    long pieces = 1;
    for (const char *c = p; c < end; c++)
        pieces += *c == ',';
    double *a = alloc_angles(pieces, err);
    if (!a)
        return -1;
    long k = 0;
    for (long i = 0; i < pieces; i++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *s = skip_spaces(p);
        if (s >= stop && (comma || k == 0)) {
            free(a);
            return savu_error_set(err, "angles '%.200s': %s", text,
                                  k == 0 && !comma ? "the list is empty" : "an empty entry");
        }
        if (s < stop && !parse_number(s, (size_t)(stop - s), &a[k++])) {
            free(a);
            return savu_error_set(err, "angles '%.200s': '%.*s' is not a number", text,
                                  (int)(stop - s), s);
        }
        p = stop + 1;
    }
    *out = a;
    *n = k;
    return 0;
}

/* The arguments of "name(a, b, ...)"; "endpoint=False" sets *endpoint. */
static int parse_args(const char *text, const char *open, double *args, int *nargs,
                      bool *endpoint, savu_error *err)
{
    const char *close = strrchr(open, ')');
    if (!close || *skip_spaces(close + 1) != '\0')
        return savu_error_set(err, "angles '%.200s': expected ')' at the end", text);
    *nargs = 0;
    for (const char *p = open + 1; p <= close;) {
        const char *comma = memchr(p, ',', (size_t)(close - p));
        const char *stop = comma ? comma : close;
        const char *arg = skip_spaces(p);
        size_t len = (size_t)(stop - arg);
        while (len > 0 && strchr(" \t", arg[len - 1]))
            len--;
        if (endpoint && len > 9 && strncmp(arg, "endpoint=", 9) == 0) {
            if (len == 14 && strncmp(arg + 9, "False", 5) == 0)
                *endpoint = false;
            else if (!(len == 13 && strncmp(arg + 9, "True", 4) == 0))
                return savu_error_set(err, "angles '%.200s': endpoint must be True or False",
                                      text);
        } else if (*nargs >= NXTOMO_MAX_ARGS || !parse_number(arg, len, &args[(*nargs)++])) {
            return savu_error_set(err, "angles '%.200s': '%.*s' is not a number", text,
                                  (int)len, arg);
        }
        p = stop + 1;
    }
    return 0;
}

/* "np.linspace(...)" or "np.arange(...)" (also numpy.); 1 when text is neither. */
static int parse_numpy(const char *text, double **out, long *n, savu_error *err)
{
    const char *call = text;
    if (strncmp(call, "np.", 3) == 0)
        call += 3;
    else if (strncmp(call, "numpy.", 6) == 0)
        call += 6;
    else
        return 1;
    bool is_linspace = strncmp(call, "linspace", 8) == 0;
    bool is_arange = strncmp(call, "arange", 6) == 0;
    const char *open = skip_spaces(call + (is_linspace ? 8 : 6));
    if ((!is_linspace && !is_arange) || *open != '(')
        return 1;
    double args[NXTOMO_MAX_ARGS];
    int nargs;
    bool endpoint = true;
    if (parse_args(text, open, args, &nargs, is_linspace ? &endpoint : NULL, err) < 0)
        return -1;
    if (is_linspace) {
        if (nargs != 3 || args[2] != floor(args[2]) || args[2] < 0)
            return savu_error_set(err, "angles '%.200s': expected np.linspace(start, stop, "
                                       "count) with a whole count", text);
        return linspace(args[0], args[1], (long)args[2], endpoint, out, n, err);
    }
    if (nargs < 1 || nargs > 3)
        return savu_error_set(err, "angles '%.200s': expected np.arange([start,] stop[, step])",
                              text);
    if (nargs == 1)
        return arange(0, args[0], 1, out, n, err);
    return arange(args[0], args[1], nargs == 3 ? args[2] : 1, out, n, err);
}

/* Appends the numbers of one line (after '#' removed) to a growing list. */
static int read_line_numbers(const char *name, int line_no, char *line, double **a, long *n,
                             long *cap, savu_error *err)
{
    line[strcspn(line, "#")] = '\0';
    for (char *tok = strtok(line, " \t\r\n,"); tok; tok = strtok(NULL, " \t\r\n,")) {
        double v;
        if (!parse_number(tok, strlen(tok), &v))
            return savu_error_set(err, "angles file '%.200s': line %d: '%.40s' is not a number",
                                  name, line_no, tok);
        if (*n == *cap) {
            long grown = *cap ? *cap * 2 : 256;
            if (grown > NXTOMO_MAX_ANGLES)
                return savu_error_set(err, "angles file '%.200s': too many values", name);
            double *bigger = realloc(*a, (size_t)grown * sizeof *bigger);
            if (!bigger)
                return savu_error_set(err, "out of memory");
            *a = bigger;
            *cap = grown;
        }
        (*a)[(*n)++] = v;
    }
    return 0;
}

static int read_angles_file(const char *name, double **out, long *n, savu_error *err)
{
    FILE *f = fopen(name, "r");
    if (!f)
        return savu_error_set(err, "angles '%.200s': not a number, a list, np.linspace(...), "
                                   "np.arange(...) or a readable file of angles (%s)", name,
                              strerror(errno));
    double *a = NULL;
    long count = 0, cap = 0;
    char line[4096];
    int rc = 0;
    for (int line_no = 1; rc == 0 && fgets(line, sizeof line, f); line_no++)
        rc = read_line_numbers(name, line_no, line, &a, &count, &cap, err);
    fclose(f);
    if (rc == 0 && count == 0)
        rc = savu_error_set(err, "angles file '%.200s' holds no numbers", name);
    if (rc < 0) {
        free(a);
        return -1;
    }
    *out = a;
    *n = count;
    return 0;
}

static int from_text(const char *text, double **out, long *n, savu_error *err)
{
    if (*text == '\0')
        return savu_error_set(err, "angles: empty text");
    char *end;
    errno = 0;
    long count = strtol(text, &end, 10);
    if (*end == '\0' && errno == 0)
        return linspace(0, 180, count, true, out, n, err);
    if (*text == '[')
        return parse_list(text, out, n, err);
    int rc = parse_numpy(text, out, n, err);
    if (rc <= 0)
        return rc;
    return read_angles_file(text, out, n, err);
}

static int from_array(const json_t *angles, double **out, long *n, savu_error *err)
{
    double *a = alloc_angles((long)json_array_size(angles), err);
    if (!a)
        return -1;
    size_t i;
    json_t *v;
    json_array_foreach(angles, i, v) {
        if (!json_is_number(v) || !isfinite(json_number_value(v))) {
            free(a);
            return savu_error_set(err, "angles: entry %zu of the list is not a number", i + 1);
        }
        a[i] = json_number_value(v);
    }
    *out = a;
    *n = (long)json_array_size(angles);
    return 0;
}

int nxtomo_angles_from_parameter(const json_t *angles, double **out, long *n, savu_error *err)
{
    *out = NULL;
    *n = 0;
    if (json_is_integer(angles)) {
        json_int_t count = json_integer_value(angles);
        if (count < 1 || count > NXTOMO_MAX_ANGLES)
            return savu_error_set(err, "angles: %lld is not a number of angles", (long long)count);
        return linspace(0, 180, (long)count, true, out, n, err);
    }
    if (json_is_array(angles))
        return from_array(angles, out, n, err);
    if (!json_is_string(angles))
        return savu_error_set(err, "angles must be a number of angles, a list, np.linspace(...), "
                                   "np.arange(...) or a file name");
    char *text = trimmed(json_string_value(angles));
    if (!text)
        return savu_error_set(err, "out of memory");
    int rc = from_text(text, out, n, err);
    free(text);
    return rc;
}
