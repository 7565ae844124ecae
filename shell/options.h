/* options.h: the per-command option parser. A command line is split into
 * words at whitespace outside quotes (quotes are kept, for the value
 * grammar); words starting with '-' and a letter are options of the command
 * (a negative number is a value; "--" ends the options); the rest are
 * positional arguments. Errors name what was wrong and end with
 * "Please type '<cmd> -h' for help." */
#ifndef SHELL_OPTIONS_H
#define SHELL_OPTIONS_H

#include <stdbool.h>
#include "error.h"

#define SHELL_MAX_OPTIONS 24
#define SHELL_NARGS_ANY (-1) /* an option followed by zero or more values */

typedef struct shell_option {
    const char *short_name; /* "-d", "-vv"; NULL when none */
    const char *long_name;  /* "--default"; NULL when none */
    int nargs;              /* 0: a flag; N: exactly N values; SHELL_NARGS_ANY */
    const char *metavar;    /* values as the help shows them, e.g. "START END ITERATIONS" */
    const char *help;
} shell_option;

typedef struct shell_positional {
    const char *name;
    const char *help;
} shell_positional;

/* What a command accepts. Arrays end with an entry whose name is NULL. */
typedef struct shell_syntax {
    const char *usage;                 /* "add [-h] name [pos]" */
    const shell_option *options;       /* may be NULL */
    const shell_positional *positionals; /* may be NULL */
    int min_pos, max_pos;              /* max_pos -1: no limit */
    bool values_after_first;           /* every word after the first positional
                                          is a positional (mod's values) */
} shell_syntax;

typedef struct shell_args {
    bool help;                               /* -h or --help was given */
    bool given[SHELL_MAX_OPTIONS];           /* by index into syntax.options */
    char **values[SHELL_MAX_OPTIONS];        /* an option's values */
    int n_values[SHELL_MAX_OPTIONS];
    char **pos;                              /* positional arguments */
    int n_pos;
    char **words;                            /* storage: every word */
    int n_words;
} shell_args;

/* Splits text into words. Returns the count, or -1 (unbalanced quote). The
 * words array and each word are malloc'd (shell_words_free). */
int shell_split_words(const char *text, char ***words, savu_error *err);
void shell_words_free(char **words, int n);

/* Parses text for command `name`. On error the message ends with the help
 * hint. Free with shell_args_free, also after an error. */
int shell_args_parse(const char *name, const shell_syntax *syn, const char *text,
                     shell_args *out, savu_error *err);
void shell_args_free(shell_args *a);

/* Whether option i (index into syntax.options) was given. */
bool shell_args_has(const shell_args *a, int i);

/* A word with its surrounding quotes removed (for file names); malloc'd. */
char *shell_unquote(const char *word);

/* Prints the help of a command: usage, description, arguments, options. */
void shell_syntax_print_help(const char *doc, const shell_syntax *syn);

#endif
