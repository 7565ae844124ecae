/* session.h: the state of one savu_config session: the process list being
 * edited, the file it came from, whether it has unsaved changes, the
 * parameter visibility level, the preview expand view, the command-line
 * flags, and the undo/redo stacks. Commands receive the session and change
 * the list only between a snapshot and a commit (see shell_execute_line). */
#ifndef SHELL_SESSION_H
#define SHELL_SESSION_H

#include <stdbool.h>
#include "process_list.h"
#include "savu_plugin.h"
#include "undo.h"

struct shell_input; /* where lines come from (repl.c) */

typedef struct shell_session {
    savu_process_list *list;        /* never NULL */
    char *filename;                 /* the list's file; NULL when none */
    unsigned long generation;       /* identifies the list's current content */
    unsigned long saved_generation; /* the content last opened or saved */
    unsigned long last_generation;  /* counter handing out generations */
    bool touched;                   /* the running command changed the list */
    enum savu_visibility level;     /* basic, intermediate or advanced */
    int expand_dim;                 /* preview expand view: -1 off, 0 all, N one */
    bool interactive;               /* a person at a terminal: prompts, banners */
    bool assume_yes;                /* -y: every confirmation answered yes */
    bool full_errors;               /* -e */
    bool keep_going;                /* -k */
    bool finished;                  /* exit was confirmed */
    shell_undo_stack undo, redo;
    struct shell_input *input;      /* for confirmations */
} shell_session;

void shell_session_init(shell_session *s);
void shell_session_free(shell_session *s);

/* True when the list differs from the file last opened or saved. */
bool shell_session_modified(const shell_session *s);

/* Called by a command each time it changes the list. */
void shell_session_changed(shell_session *s);
/* The current content is what is on disk (after open or save). */
void shell_session_mark_saved(shell_session *s);

/* Takes ownership of filename (may be NULL). */
void shell_session_set_filename(shell_session *s, char *filename);

/* Replaces the list (ownership taken). */
void shell_session_set_list(shell_session *s, savu_process_list *list);

/* "basic", "intermediate", "advanced". */
const char *shell_level_name(enum savu_visibility level);
int shell_level_parse(const char *text, enum savu_visibility *out);

/* Asks a yes/no question: yes only for "y" or "Y". With -y no question is
 * asked. Returns 1 for yes, 0 for no, -1 when the input ended before an
 * answer in a script (err says so). */
int shell_confirm(shell_session *s, const char *question, savu_error *err);

#endif
