/* repl.h: where savu_config's input comes from and the read-run loop. On a
 * terminal lines are read with GNU Readline (prompt, history kept in
 * ~/.savuhist, Ctrl-C abandons the line); otherwise (a pipe, or a script
 * given with -s) lines are read as they are, with no prompt, confirmations
 * read the next line, and the first failing command stops the script with
 * a message naming its line (unless -k). */
#ifndef SHELL_REPL_H
#define SHELL_REPL_H

#include <stdio.h>
#include "session.h"

typedef struct shell_input shell_input;

/* Readline on the terminal. */
shell_input *shell_input_terminal(void);
/* Lines of a stream; name is the script's file name (NULL for stdin). The
 * stream is closed by shell_input_free unless it is stdin. */
shell_input *shell_input_stream(FILE *f, const char *name);
void shell_input_free(shell_input *in);

/* Reads one line, showing prompt on a terminal. Returns 0 with a malloc'd
 * line (newline removed), 1 with an empty line when Ctrl-C abandoned the
 * line on a terminal, or -1 at the end of the input. */
int shell_input_read(shell_input *in, const char *prompt, char **line);

/* The number of the last line read (1-based). */
long shell_input_line_number(const shell_input *in);

/* Runs commands until exit or the end of the input. Returns the exit status:
 * 0, or 1 when a command of a script failed. */
int shell_repl_run(shell_session *s);

/* Prints a command's error as the session wants it (see repl.c). */
void shell_report_error(shell_session *s, const char *line, long line_number, const savu_error *err);

/* Tab completion is provided by completion.c when it is linked in: it
 * defines shell_completion_install, which sets readline's completion
 * functions for the session. */
void shell_completion_install(shell_session *s) __attribute__((weak));

#endif
