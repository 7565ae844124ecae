/* cmd_run_options.h: the options of savu_config's `run`: its own -n, then
 * the savu engine's, taken from the one table of them (lists/run_options.h)
 * with no copy kept here, so that every option the engine has can be given
 * to run. From them come run's syntax (its options and usage line, for the
 * parser, `run -h` and completion), the check of choice values before
 * anything starts, the engine options passed on, and the words Tab offers
 * after a choice option. */
#ifndef SHELL_CMD_RUN_OPTIONS_H
#define SHELL_CMD_RUN_OPTIONS_H

#include "error.h"
#include "options.h"
#include "run_engine.h"
#include "run_options.h"

/* -n, the engine's options and the end of the list. */
#define SHELL_RUN_OPTIONS_SIZE (1 + SAVU_RUN_OPTION_COUNT + 1)

/* Writes run's options (-n first, at index RUN_NPROCS of command_table.h)
 * into options and its usage line ("run [-h] [-n N] ... data out_folder")
 * into usage. */
void shell_run_syntax_make(shell_option options[SHELL_RUN_OPTIONS_SIZE], char *usage,
                           size_t usage_size);

/* The index of engine option id among run's options, or -1 when run does
 * not take it. */
int shell_run_option_index(savu_run_option_id id);

/* Checks the value of every choice option given; 0, or -1 with err
 * ("run: --balance: expected auto or off, not 'sideways'"). */
int shell_run_check_choices(const shell_args *a, savu_error *err);

/* Appends the engine options given, as the engine writes them (a short name
 * when there is one), each with its value unquoted; not -f, which run
 * passes itself (cmd_run.c). -1 when out of memory. */
int shell_run_add_engine_options(const shell_args *a, run_strv *out);

/* The words run's option `word` ("--balance", "-t") may take, NULL-terminated,
 * or NULL when it is not a choice option of run. */
const char *const *shell_run_option_choices(const char *word);

#endif
