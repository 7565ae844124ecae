/* cmd_ref.c: `ref`: refreshing plugins with the current definitions:
 * values kept where still valid (each change reported), or all reset to
 * the defaults with -d; '*' refreshes the whole list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_common.h"
#include "command_table.h"
#include "display.h"
#include "parameters.h"

static int refresh_one(shell_session *s, size_t index, bool reset, bool show)
{
    savu_entry *e = s->list->entries[index];
    int notices = 0;
    savu_entry_refresh(e, reset, shell_print_notice, &notices);
    shell_session_changed(s);
    if (show) {
        display_options o = {SHOW_DEFAULT, s->level, false, NULL, s->expand_dim};
        display_entries(stdout, s, index, index, &o);
    }
    return 0;
}

int cmd_ref(shell_session *s, const shell_args *a, savu_error *err)
{
    bool reset = shell_args_has(a, REF_DEFAULTS), show = !shell_args_has(a, REF_NODISP);
    bool all = a->n_pos == 1 && strcmp(a->pos[0], "*") == 0;
    if (all) {
        if (s->list->n == 0)
            return savu_error_set(err, "There are no items to access in your list.");
        for (size_t i = 0; i < s->list->n; i++) {
            const savu_entry *e = s->list->entries[i];
            if (e->plugin)
                refresh_one(s, i, reset, show);
            else {
                char line[512];
                snprintf(line, sizeof line, "Plugin %s: %s is not available in this savu and is "
                         "left as it is.", e->pos, e->name);
                display_notice(stdout, line);
            }
        }
        return 0;
    }
    for (int i = 0; i < a->n_pos; i++) {
        int index = shell_entry_index(s, a->pos[i], err);
        if (index < 0)
            return -1;
        const savu_entry *e = s->list->entries[index];
        if (!e->plugin)
            return savu_error_set(err, "Plugin %s: %s is not available in this savu: it cannot "
                                       "be refreshed.", e->pos, e->name);
    }
    for (int i = 0; i < a->n_pos; i++)
        refresh_one(s, (size_t)shell_entry_index(s, a->pos[i], err), reset, show);
    return 0;
}
