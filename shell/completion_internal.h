/* completion_internal.h: what the completion files share: the list of
 * matches being gathered (a candidate is kept when it starts with the word
 * being completed, ignoring case, and is not there already) and the
 * sources of candidates (completion_matches.c for names and positions,
 * completion_values.c for parameter names and values). */
#ifndef SHELL_COMPLETION_INTERNAL_H
#define SHELL_COMPLETION_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "process_list.h"
#include "session.h"

typedef struct shell_match_list {
    char **items;        /* NULL-terminated once anything was added */
    size_t n, cap;
    const char *prefix;  /* the word being completed */
    bool filenames;      /* file names were added */
    bool out_of_memory;
} shell_match_list;

/* Adds candidate when it starts with m->prefix (ignoring case) and is new. */
void shell_match_add(shell_match_list *m, const char *candidate);
/* Adds the file names that start with m->prefix (as typed, ~ expanded). */
void shell_match_add_files(shell_match_list *m);
void shell_match_list_free(shell_match_list *m);

/* Sources of names. */
void shell_match_commands(shell_match_list *m);
void shell_match_plugins(shell_match_list *m);
void shell_match_levels(shell_match_list *m);
/* The words option (e.g. "--balance") of command may take: run's choice
 * options (cmd_run_options.h). */
void shell_match_option_choices(shell_match_list *m, const char *command, const char *option);
/* Positions of the list, each followed by suffix ("" or "."), leaving out
 * those in exclude[0..n_exclude) and, with only_preview, entries without a
 * preview parameter. */
void shell_match_positions(shell_match_list *m, const savu_process_list *list, const char *suffix,
                           char *const *exclude, int n_exclude, bool only_preview);

/* The entry at exactly position pos (text up to the first '.' of a word
 * such as "3.ratio"; pos_len characters), or NULL. */
const savu_entry *shell_completion_entry(const savu_process_list *list, const char *pos,
                                         size_t pos_len);

/* Sources of parameter names and values (completion_values.c). */

/* The part after "P." of `mod P.` or `disp P.`: `key` is everything typed
 * after the first '.', and m->prefix its part after the last '.'. Offers
 * the parameter names visible at level and preview.dim1...; after
 * "preview." the dimensions, after "preview.dimN." start, stop, step and
 * chunk. */
void shell_match_param_part(shell_match_list *m, const savu_entry *e, enum savu_visibility level,
                            const char *key);

/* Values for parameter key (a name or a number) of e: its options, true and
 * false for a bool, None when None is allowed, its default, and file names
 * for a filepath or dir. */
void shell_match_param_values(shell_match_list *m, const savu_entry *e, const char *key);

/* `mod -g`: every parameter name visible at level in some entry; values:
 * those of the first entry that has the name. */
void shell_match_global_names(shell_match_list *m, const savu_process_list *list,
                              enum savu_visibility level);
void shell_match_global_values(shell_match_list *m, const savu_process_list *list,
                               const char *name);

#endif
