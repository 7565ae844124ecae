/* options.c: splitting a command's argument text into words and parsing
 * them against the command's syntax (options, positional arguments), and
 * printing a command's help. See options.h. */
#include "options.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "display.h"

static int push_word(char ***words, int *n, int *cap, const char *start, size_t len)
{
    if (*n == *cap) {
        int want = *cap ? *cap * 2 : 8;
        char **grown = realloc(*words, (size_t)want * sizeof **words);
        if (!grown)
            return -1;
        *words = grown;
        *cap = want;
    }
    char *w = strndup(start, len);
    if (!w)
        return -1;
    (*words)[(*n)++] = w;
    return 0;
}

void shell_words_free(char **words, int n)
{
    for (int i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

/* Index just past the quoted section starting at text[i] (a quote), or -1. */
static long skip_quoted(const char *text, long i)
{
    char quote = text[i++];
    for (; text[i]; i++) {
        if (text[i] == '\\' && text[i + 1])
            i++;
        else if (text[i] == quote)
            return i + 1;
    }
    return -1;
}

int shell_split_words(const char *text, char ***words, savu_error *err)
{
    int n = 0, cap = 0;
    *words = NULL;
    long i = 0;
    while (text[i]) {
        while (text[i] && isspace((unsigned char)text[i]))
            i++;
        if (!text[i])
            break;
        long start = i;
        while (text[i] && !isspace((unsigned char)text[i])) {
            if (text[i] == '"' || text[i] == '\'') {
                long end = skip_quoted(text, i);
                if (end < 0) {
                    shell_words_free(*words, n);
                    *words = NULL;
                    return savu_error_set(err, "unbalanced quote (%c) in '%s'", text[i], text + start);
                }
                i = end;
            } else {
                i++;
            }
        }
        if (push_word(words, &n, &cap, text + start, (size_t)(i - start)) < 0) {
            shell_words_free(*words, n);
            *words = NULL;
            return savu_error_set(err, "out of memory");
        }
    }
    return n;
}

char *shell_unquote(const char *word)
{
    size_t len = strlen(word);
    if (len >= 2 && (word[0] == '"' || word[0] == '\'') && word[len - 1] == word[0])
        return strndup(word + 1, len - 2);
    return strdup(word);
}

/* "-x" or "--name": an option word. "-5", "-.5", "-" and "--" are not. */
static bool looks_like_option(const char *w)
{
    if (w[0] != '-')
        return false;
    if (isalpha((unsigned char)w[1]))
        return true;
    return w[1] == '-' && isalpha((unsigned char)w[2]);
}

static int find_option(const shell_syntax *syn, const char *w)
{
    if (!syn->options)
        return -1;
    for (int i = 0; syn->options[i].short_name || syn->options[i].long_name; i++) {
        const shell_option *o = &syn->options[i];
        if ((o->short_name && strcmp(o->short_name, w) == 0) ||
            (o->long_name && strcmp(o->long_name, w) == 0))
            return i;
    }
    return -1;
}

static int positional_count(const shell_syntax *syn)
{
    int n = 0;
    while (syn->positionals && syn->positionals[n].name)
        n++;
    return n;
}

static int usage_error(savu_error *err, const char *name, const char *what)
{
    return savu_error_set(err, "%s: %s. Please type '%s -h' for help.", name, what, name);
}

/* The names of the positional arguments from index `from` that are missing. */
static void missing_names(const shell_syntax *syn, int from, char *out, size_t size)
{
    out[0] = '\0';
    int total = positional_count(syn);
    int need = syn->min_pos;
    for (int i = from; i < need && i < total; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", used ? ", " : "", syn->positionals[i].name);
    }
    if (!out[0])
        snprintf(out, size, "%d more argument%s", need - from, need - from == 1 ? "" : "s");
}

static int take_option(const char *name, const shell_syntax *syn, shell_args *a, int opt,
                       int *i, savu_error *err)
{
    const shell_option *o = &syn->options[opt];
    char **w = a->words;
    int first = *i + 1, k = first;
    if (o->nargs == SHELL_NARGS_ANY) {
        while (k < a->n_words && !looks_like_option(w[k]) && strcmp(w[k], "--") != 0)
            k++;
    } else {
        while (k < a->n_words && k - first < o->nargs && !looks_like_option(w[k]))
            k++;
        if (k - first < o->nargs) {
            char what[256];
            snprintf(what, sizeof what, "option %s expects %d value%s (%s)", w[*i], o->nargs,
                     o->nargs == 1 ? "" : "s", o->metavar ? o->metavar : "");
            return usage_error(err, name, what);
        }
    }
    a->given[opt] = true;
    a->values[opt] = w + first;
    a->n_values[opt] = k - first;
    *i = k - 1;
    return 0;
}

int shell_args_parse(const char *name, const shell_syntax *syn, const char *text,
                     shell_args *out, savu_error *err)
{
    memset(out, 0, sizeof *out);
    int n = shell_split_words(text ? text : "", &out->words, err);
    if (n < 0)
        return savu_error_prefix(err, "%s: ", name);
    out->n_words = n;
    out->pos = calloc((size_t)n + 1, sizeof *out->pos);
    if (!out->pos)
        return savu_error_set(err, "out of memory");

    bool options_done = false;
    for (int i = 0; i < n; i++) {
        char *w = out->words[i];
        if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
            if (!options_done) {
                out->help = true;
                return 0;
            }
        }
        if (!options_done && strcmp(w, "--") == 0) {
            options_done = true;
            continue;
        }
        if (!options_done && looks_like_option(w)) {
            int opt = find_option(syn, w);
            if (opt < 0) {
                char what[300];
                snprintf(what, sizeof what, "unrecognised option '%.200s'", w);
                return usage_error(err, name, what);
            }
            if (take_option(name, syn, out, opt, &i, err) < 0)
                return -1;
            continue;
        }
        out->pos[out->n_pos++] = w;
        if (syn->values_after_first)
            options_done = true;
    }
    if (out->n_pos < syn->min_pos) {
        char names[256], what[300];
        missing_names(syn, out->n_pos, names, sizeof names);
        snprintf(what, sizeof what, "the following arguments are required: %s", names);
        return usage_error(err, name, what);
    }
    if (syn->max_pos >= 0 && out->n_pos > syn->max_pos) {
        char what[600];
        size_t used = (size_t)snprintf(what, sizeof what, "unrecognised argument%s:",
                                       out->n_pos - syn->max_pos == 1 ? "" : "s");
        for (int i = syn->max_pos; i < out->n_pos && used < sizeof what; i++)
            used += (size_t)snprintf(what + used, sizeof what - used, " %s", out->pos[i]);
        return usage_error(err, name, what);
    }
    return 0;
}

void shell_args_free(shell_args *a)
{
    shell_words_free(a->words, a->n_words);
    free(a->pos);
    memset(a, 0, sizeof *a);
}

bool shell_args_has(const shell_args *a, int i)
{
    return i >= 0 && i < SHELL_MAX_OPTIONS && a->given[i];
}

static void print_item(const char *left, const char *help)
{
    char prefix[64];
    if (strlen(left) > 20) {
        printf("  %s\n", left);
        left = "";
    }
    snprintf(prefix, sizeof prefix, "  %-20s  ", left);
    display_hanging(stdout, prefix, NULL, 24, help ? help : "");
}

void shell_syntax_print_help(const char *doc, const shell_syntax *syn)
{
    printf("usage: %s\n\n%s\n", syn->usage, doc);
    int npos = positional_count(syn);
    if (npos) {
        printf("\npositional arguments:\n");
        for (int i = 0; i < npos; i++)
            print_item(syn->positionals[i].name, syn->positionals[i].help);
    }
    printf("\noptions:\n");
    print_item("-h, --help", "Show this help message.");
    for (int i = 0; syn->options && (syn->options[i].short_name || syn->options[i].long_name); i++) {
        const shell_option *o = &syn->options[i];
        char left[128];
        snprintf(left, sizeof left, "%s%s%s%s%s", o->short_name ? o->short_name : "",
                 o->short_name && o->long_name ? ", " : "", o->long_name ? o->long_name : "",
                 o->metavar ? " " : "", o->metavar ? o->metavar : "");
        print_item(left, o->help);
    }
}
