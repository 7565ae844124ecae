/* completion.h: tab completion for the savu_config shell. shell_complete
 * works out, from a line and a cursor position alone (no readline state),
 * what the word under the cursor can become: command names, plugin names,
 * positions of the current list, parameter names of the plugin at a
 * position, allowed values of a parameter, levels, file names. The
 * readline glue in completion.c (shell_completion_install, declared in
 * repl.h) hands these matches to GNU Readline. */
#ifndef SHELL_COMPLETION_H
#define SHELL_COMPLETION_H

#include <stdbool.h>
#include <stddef.h>
#include "session.h"

typedef struct shell_completion {
    char **matches;  /* NULL-terminated array of malloc'd strings, in the
                        order they were found, without duplicates */
    size_t n;        /* number of matches */
    int word_start;  /* offset in the line of the text the matches replace */
    char append;     /* what follows a unique match: ' ', or '\0' (e.g. "3.") */
    bool filenames;  /* some matches are file names (readline then adds '/'
                        after a directory and quotes special characters) */
} shell_completion;

/* The matches for the word that ends at `point` in `line` (point is clamped
 * to the line's length). Savu names are matched ignoring case; file names
 * as they are. Returns 0, or -1 when out of memory (out is then empty).
 * Free out with shell_completion_free. */
int shell_complete(const shell_session *s, const char *line, int point, shell_completion *out);
void shell_completion_free(shell_completion *c);

/* Where the word being completed starts (what shell_complete would put in
 * word_start), without looking for matches. */
int shell_completion_word_start(const char *line, int point);

#endif
