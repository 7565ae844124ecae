/* command_table.h: the commands of savu_config: Savu's 21 commands plus
 * undo, redo and run, each with its one-line description (what `help` prints),
 * its syntax (options.h) and the function that runs it; and the dispatcher
 * that runs one input line. */
#ifndef SHELL_COMMAND_TABLE_H
#define SHELL_COMMAND_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"
#include "options.h"
#include "session.h"

typedef int (*shell_command_fn)(shell_session *s, const shell_args *a, savu_error *err);

typedef struct shell_command {
    const char *name;
    const char *doc;       /* one line */
    shell_syntax syntax;
    shell_command_fn run;
    bool edits;            /* may change the list: undoable, and undone on error */
} shell_command;

/* Commands in alphabetical order (help, completion). */
size_t shell_command_count(void);
const shell_command *shell_command_at(size_t i);
const shell_command *shell_command_find(const char *name);

/* Runs one line: the first word is the command, the rest its arguments.
 * An empty line runs help. Returns 0, or -1 with err holding one line. A
 * command that fails leaves the list as it was. */
int shell_execute_line(shell_session *s, const char *line, savu_error *err);

/* Indices of each command's options in its syntax (command_table.c). */
enum { OPEN_SKIP };
enum { DISP_QUIET, DISP_VERBOSE, DISP_VVERBOSE, DISP_ALL, DISP_LEVEL, DISP_DATASETS };
enum { LIST_QUIET, LIST_VERBOSE, LIST_VVERBOSE };
enum { SAVE_INPUT, SAVE_TEMPLATE };
enum { MOD_DEFAULT, MOD_GLOBAL };
enum { REF_DEFAULTS, REF_NODISP };
enum { EXPAND_OFF };
enum { ITERATE_SET, ITERATE_REMOVE };
enum { RUN_NPROCS }; /* then the engine's options (cmd_run_options.h) */

/* The commands, by group (cmd_*.c, undo.c). */
int cmd_open(shell_session *s, const shell_args *a, savu_error *err);
int cmd_save(shell_session *s, const shell_args *a, savu_error *err);
int cmd_add(shell_session *s, const shell_args *a, savu_error *err);
int cmd_dupl(shell_session *s, const shell_args *a, savu_error *err);
int cmd_rem(shell_session *s, const shell_args *a, savu_error *err);
int cmd_move(shell_session *s, const shell_args *a, savu_error *err);
int cmd_replace(shell_session *s, const shell_args *a, savu_error *err);
int cmd_set(shell_session *s, const shell_args *a, savu_error *err);
int cmd_mod(shell_session *s, const shell_args *a, savu_error *err);
int cmd_disp(shell_session *s, const shell_args *a, savu_error *err);
int cmd_list(shell_session *s, const shell_args *a, savu_error *err);
int cmd_help(shell_session *s, const shell_args *a, savu_error *err);
int cmd_level(shell_session *s, const shell_args *a, savu_error *err);
int cmd_history(shell_session *s, const shell_args *a, savu_error *err);
int cmd_clear(shell_session *s, const shell_args *a, savu_error *err);
int cmd_exit(shell_session *s, const shell_args *a, savu_error *err);
int cmd_iterate(shell_session *s, const shell_args *a, savu_error *err);
int cmd_cite(shell_session *s, const shell_args *a, savu_error *err);
int cmd_coll(shell_session *s, const shell_args *a, savu_error *err);
int cmd_ref(shell_session *s, const shell_args *a, savu_error *err);
int cmd_expand(shell_session *s, const shell_args *a, savu_error *err);
int cmd_run(shell_session *s, const shell_args *a, savu_error *err);

#endif
