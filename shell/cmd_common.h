/* cmd_common.h: small helpers shared by the command files: looking up an
 * available plugin by name (with a suggestion for a wrong case), finding an
 * entry by position, showing one parameter after a change, joining words,
 * telling loaders apart and checking them. */
#ifndef SHELL_CMD_COMMON_H
#define SHELL_CMD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include "process_list.h"
#include "savu_plugin.h"
#include "session.h"

/* The available plugin of this exact name, or NULL with "INPUT ERROR:
 * Unknown plugin X" (and "Did you mean Y?" when only the case differs). */
const struct savu_plugin *shell_plugin_lookup(const char *name, savu_error *err);

/* Index of the entry at position pos, or -1 with the library's message. */
int shell_entry_index(const shell_session *s, const char *pos, savu_error *err);

/* The name of parameter `key` (a name or number, or a preview address such
 * as "preview.dim2") of an entry, or NULL with "This parameter is not
 * present in this plug in." */
const char *shell_param_name(const savu_entry *e, const char *key, savu_error *err);

/* `disp P.name`: the entry's title and that one parameter. */
void shell_show_parameter(const shell_session *s, size_t index, const char *name);

/* Words joined with single spaces; malloc'd. */
char *shell_join_words(char *const *words, int n);

/* Whether an entry is a loader (a plugin not available here counts as one
 * when its id is in Savu's loaders package or its name ends in Loader). */
bool shell_entry_is_loader(const savu_entry *e);

/* Savu's checks before a list is saved (save, run): something in it, its
 * loaders first and only first. 0, or -1 with Savu's message. */
int shell_check_loaders(const savu_process_list *pl, savu_error *err);

/* A notice callback printing each line to stdout and counting them. */
void shell_print_notice(void *counter, const char *line);

#endif
