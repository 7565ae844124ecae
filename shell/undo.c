/* undo.c: snapshots of the session's state, the undo and redo stacks, and
 * the undo and redo commands. See undo.h. */
#include "undo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command_table.h"
#include "display.h"
#include "session.h"

int shell_snapshot_take(const shell_session *s, const char *label, shell_snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->list = savu_plist_clone(s->list);
    out->filename = s->filename ? strdup(s->filename) : NULL;
    out->label = strdup(label ? label : "");
    out->generation = s->generation;
    if (!out->list || (s->filename && !out->filename) || !out->label) {
        shell_snapshot_free(out);
        return -1;
    }
    return 0;
}

void shell_snapshot_restore(shell_session *s, shell_snapshot *snap)
{
    shell_session_set_list(s, snap->list);
    shell_session_set_filename(s, snap->filename);
    s->generation = snap->generation;
    snap->list = NULL;
    snap->filename = NULL;
    shell_snapshot_free(snap);
}

void shell_snapshot_free(shell_snapshot *snap)
{
    savu_plist_free(snap->list);
    free(snap->filename);
    free(snap->label);
    memset(snap, 0, sizeof *snap);
}

static bool text_equal(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool entries_equal(const savu_entry *a, const savu_entry *b)
{
    return strcmp(a->pos, b->pos) == 0 && text_equal(a->name, b->name) &&
           text_equal(a->id, b->id) && a->active == b->active && a->plugin == b->plugin &&
           json_equal(a->params, b->params) &&
           ((!a->citations && !b->citations) ||
            (a->citations && b->citations && json_equal(a->citations, b->citations)));
}

bool shell_snapshot_matches(const shell_snapshot *snap, const shell_session *s)
{
    const savu_process_list *a = snap->list, *b = s->list;
    if (a->n != b->n || a->n_groups != b->n_groups || !text_equal(snap->filename, s->filename))
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!entries_equal(a->entries[i], b->entries[i]))
            return false;
    for (size_t g = 0; g < a->n_groups; g++)
        if (a->groups[g].start != b->groups[g].start || a->groups[g].end != b->groups[g].end ||
            a->groups[g].iterations != b->groups[g].iterations)
            return false;
    return true;
}

int shell_undo_push(shell_undo_stack *st, shell_snapshot *snap)
{
    if (st->n == SHELL_UNDO_DEPTH) {
        shell_snapshot_free(&st->items[0]);
        memmove(st->items, st->items + 1, (st->n - 1) * sizeof *st->items);
        st->n--;
    }
    if (st->n == st->cap) {
        size_t want = st->cap ? st->cap * 2 : 16;
        shell_snapshot *grown = realloc(st->items, want * sizeof *grown);
        if (!grown) {
            shell_snapshot_free(snap);
            return -1;
        }
        st->items = grown;
        st->cap = want;
    }
    st->items[st->n++] = *snap;
    memset(snap, 0, sizeof *snap);
    return 0;
}

void shell_undo_clear(shell_undo_stack *st)
{
    for (size_t i = 0; i < st->n; i++)
        shell_snapshot_free(&st->items[i]);
    st->n = 0;
}

/* Moves the state on top of `from` into the session, and the session's
 * state onto `to` under the same label. */
static int swap_state(shell_session *s, shell_undo_stack *from, shell_undo_stack *to,
                      const char *verb, savu_error *err)
{
    shell_snapshot *top = &from->items[from->n - 1];
    shell_snapshot current;
    if (shell_snapshot_take(s, top->label, &current) < 0 || shell_undo_push(to, &current) < 0)
        return savu_error_set(err, "out of memory");
    printf("%s: %s\n", verb, top->label);
    from->n--;
    shell_snapshot_restore(s, top);
    display_list_quiet(stdout, s);
    return 0;
}

int cmd_undo(shell_session *s, const shell_args *a, savu_error *err)
{
    if (s->undo.n == 0)
        return savu_error_set(err, "There is nothing to undo.");
    return swap_state(s, &s->undo, &s->redo, "Undone", err);
}

int cmd_redo(shell_session *s, const shell_args *a, savu_error *err)
{
    if (s->redo.n == 0)
        return savu_error_set(err, "There is nothing to redo.");
    return swap_state(s, &s->redo, &s->undo, "Redone", err);
}
