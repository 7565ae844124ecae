/* display.h: how savu_config shows things. Text is wrapped to the terminal
 * width (ioctl TIOCGWINSZ on stdout, else $COLUMNS, else 80), coloured only
 * when stdout is a terminal and NO_COLOR is not set. display.c has the
 * primitives (width, colour, wrapping, rules); display_entry.c shows
 * process-list entries (disp) and available plugins (list). */
#ifndef SHELL_DISPLAY_H
#define SHELL_DISPLAY_H

#include <stdbool.h>
#include <stdio.h>
#include "savu_plugin.h"
#include "session.h"

/* SGR colour codes used for each kind of text. */
#define STYLE_TITLE "100;97"    /* plugin title bar */
#define STYLE_OFF "41;97"       /* title of a disabled plugin */
#define STYLE_UNKNOWN "43;30"   /* title of a plugin not available here */
#define STYLE_LOOP "44;97"      /* title of a plugin inside an iterative loop */
#define STYLE_SYNOPSIS "36"
#define STYLE_DESCRIPTION "36"
#define STYLE_VERBOSE "36;3"
#define STYLE_RANGE "35"
#define STYLE_OPTION "34;1"
#define STYLE_CURRENT "44;97"
#define STYLE_WARNING "31"
#define STYLE_TUNING "32"
#define STYLE_HEADING "1"

/* Columns to format for; at least 40. */
int display_width(void);
/* Whether stdout gets colour. */
bool display_colour(void);

/* Starts / ends a style (nothing without colour). */
void display_style_on(FILE *out, const char *sgr);
void display_style_off(FILE *out, const char *sgr);

/* A full-width line of c. */
void display_rule(FILE *out, char c);
/* "--text-----" to the full width. */
void display_separator(FILE *out, const char *text);
/* One line of text on a coloured bar filling the width (plain without
 * colour). */
void display_bar(FILE *out, const char *sgr, const char *text);

/* Text wrapped at spaces to the width, every line indented by `indent`;
 * words longer than a line are cut. Embedded newlines start new lines. */
void display_wrapped(FILE *out, const char *sgr, int indent, const char *text);
/* prefix, then text wrapped so that its lines start below its first
 * character (or at `indent` when the prefix leaves too little room). */
void display_hanging(FILE *out, const char *prefix, const char *sgr, int indent,
                     const char *text);

/* A message on its own: wrapped, continuation lines indented by 2. */
void display_notice(FILE *out, const char *text);

/* How much to show. */
typedef enum shell_verbosity {
    SHOW_QUIET,    /* -q: titles */
    SHOW_DEFAULT,  /* titles and parameter values */
    SHOW_VERBOSE,  /* -v: id, synopsis, parameter descriptions and options */
    SHOW_VVERBOSE  /* -vv: info, warnings, verbose descriptions, ranges */
} shell_verbosity;

typedef struct display_options {
    shell_verbosity verbosity;
    enum savu_visibility level; /* parameters up to this level */
    bool datasets_only;         /* -d: in_datasets and out_datasets only */
    const char *param;          /* only this parameter (a name), or NULL */
    int expand_dim;             /* preview expanded: -1 no, 0 every dimension, N one */
} display_options;

/* Entries first..last (0-based, inclusive) of the session's list between
 * two rules, with iterative loops marked. */
void display_entries(FILE *out, const shell_session *s, size_t first, size_t last,
                     const display_options *o);
/* `disp -q` of the whole list. */
void display_list_quiet(FILE *out, const shell_session *s);

/* One available plugin, as `list` shows it. */
void display_plugin(FILE *out, const struct savu_plugin *p, shell_verbosity v);

/* The number of values of each tuned parameter of an entry, in parameter
 * order (the first varies fastest). Returns how many are tuned; writes at
 * most max counts. */
size_t display_tuned_counts(const savu_entry *e, size_t *counts, const char **names, size_t max);

#endif
