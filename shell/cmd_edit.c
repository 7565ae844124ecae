/* cmd_edit.c: the commands that change which plugins the list holds and in
 * what order: add, dupl, rem, move, replace, set. Positions follow Savu's
 * rules, lettered sub-positions ("3a") included; each command shows the
 * list (`disp -q`) after the change. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd_common.h"
#include "command_table.h"
#include "display.h"

static int check_position_text(const char *pos, savu_error *err)
{
    savu_pos parsed;
    return savu_pos_parse(pos, &parsed, err);
}

int cmd_add(shell_session *s, const shell_args *a, savu_error *err)
{
    const char *pos = a->n_pos > 1 ? a->pos[1] : NULL;
    if (pos && check_position_text(pos, err) < 0)
        return -1;
    const struct savu_plugin *p = shell_plugin_lookup(a->pos[0], err);
    if (!p)
        return -1;
    savu_entry *e = savu_entry_new_default(p, err);
    if (!e || savu_plist_insert(s->list, e, pos, err) < 0)
        return -1;
    shell_session_changed(s);
    display_list_quiet(stdout, s);
    return 0;
}

int cmd_dupl(shell_session *s, const shell_args *a, savu_error *err)
{
    const char *pos = a->n_pos > 1 ? a->pos[1] : NULL;
    if (pos && check_position_text(pos, err) < 0)
        return -1;
    if (savu_plist_duplicate(s->list, a->pos[0], pos, err) < 0)
        return -1;
    shell_session_changed(s);
    display_list_quiet(stdout, s);
    return 0;
}

static int compare_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

/* Finds every position first (nothing is removed when one is wrong), then
 * removes from the last so that earlier entries keep their indices. */
int cmd_rem(shell_session *s, const shell_args *a, savu_error *err)
{
    int *indices = malloc((size_t)a->n_pos * sizeof *indices);
    if (!indices)
        return savu_error_set(err, "out of memory");
    int n = 0;
    for (int i = 0; i < a->n_pos; i++) {
        int index = shell_entry_index(s, a->pos[i], err);
        if (index < 0) {
            free(indices);
            return -1;
        }
        bool seen = false;
        for (int k = 0; k < n; k++)
            seen = seen || indices[k] == index;
        if (!seen)
            indices[n++] = index;
    }
    qsort(indices, (size_t)n, sizeof *indices, compare_desc);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        char pos[SAVU_POS_MAX];
        snprintf(pos, sizeof pos, "%s", s->list->entries[indices[i]]->pos);
        rc = savu_plist_remove(s->list, pos, err);
        shell_session_changed(s);
    }
    free(indices);
    if (rc == 0)
        display_list_quiet(stdout, s);
    return rc;
}

int cmd_move(shell_session *s, const shell_args *a, savu_error *err)
{
    if (check_position_text(a->pos[1], err) < 0)
        return -1;
    if (savu_plist_move(s->list, a->pos[0], a->pos[1], err) < 0)
        return -1;
    shell_session_changed(s);
    display_list_quiet(stdout, s);
    return 0;
}

int cmd_replace(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_entry_index(s, a->pos[0], err) < 0)
        return -1;
    const struct savu_plugin *p = shell_plugin_lookup(a->pos[1], err);
    if (!p)
        return -1;
    savu_entry *e = savu_entry_new_default(p, err);
    if (!e || savu_plist_replace(s->list, a->pos[0], e, err) < 0)
        return -1;
    shell_session_changed(s);
    display_list_quiet(stdout, s);
    return 0;
}

static int parse_status(const char *text, bool *on)
{
    if (strcasecmp(text, "on") == 0)
        *on = true;
    else if (strcasecmp(text, "off") == 0)
        *on = false;
    else
        return -1;
    return 0;
}

int cmd_set(shell_session *s, const shell_args *a, savu_error *err)
{
    bool on;
    const char *status = a->pos[a->n_pos - 1];
    if (parse_status(status, &on) < 0)
        return savu_error_set(err, "set: argument status: invalid choice: '%s' (choose from 'on', "
                                   "'ON', 'off', 'OFF'). Please type 'set -h' for help.", status);
    for (int i = 0; i < a->n_pos - 1; i++)
        if (shell_entry_index(s, a->pos[i], err) < 0)
            return -1;
    for (int i = 0; i < a->n_pos - 1; i++) {
        printf("switching plugin %s %s\n", a->pos[i], on ? "ON" : "OFF");
        if (savu_plist_set_active(s->list, a->pos[i], on, err) < 0)
            return -1;
        shell_session_changed(s);
    }
    display_list_quiet(stdout, s);
    return 0;
}
