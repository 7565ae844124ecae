/* undo.h: undo and redo of list edits. Before a command that may edit the
 * list runs, the session is snapshotted (a savu_plist_clone with the file
 * name and content generation); a command that changed the list pushes the
 * snapshot on the undo stack and empties the redo stack. `undo` swaps the
 * current state with the top of the undo stack, `redo` the other way. */
#ifndef SHELL_UNDO_H
#define SHELL_UNDO_H

#include <stdbool.h>
#include <stddef.h>
#include "process_list.h"

/* How many edits can be undone; older ones are forgotten. */
#define SHELL_UNDO_DEPTH 100

typedef struct shell_snapshot {
    savu_process_list *list;
    char *filename;
    unsigned long generation;
    char *label;               /* the command line that made the change */
} shell_snapshot;

typedef struct shell_undo_stack {
    shell_snapshot *items;
    size_t n, cap;
} shell_undo_stack;

struct shell_session;

/* A copy of the session's state, labelled; 0 or -1 (out of memory). */
int shell_snapshot_take(const struct shell_session *s, const char *label, shell_snapshot *out);
/* Puts a snapshot back as the session's state (ownership taken). */
void shell_snapshot_restore(struct shell_session *s, shell_snapshot *snap);
void shell_snapshot_free(shell_snapshot *snap);

/* Whether the session's state is the snapshot's (same entries, values,
 * switches, iterate groups and file name). */
bool shell_snapshot_matches(const shell_snapshot *snap, const struct shell_session *s);

/* Pushes (ownership taken), dropping the oldest beyond SHELL_UNDO_DEPTH. */
int shell_undo_push(shell_undo_stack *st, shell_snapshot *snap);
void shell_undo_clear(shell_undo_stack *st);

/* The undo and redo commands. */
struct shell_args;
int cmd_undo(struct shell_session *s, const struct shell_args *a, savu_error *err);
int cmd_redo(struct shell_session *s, const struct shell_args *a, savu_error *err);

#endif
