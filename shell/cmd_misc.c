/* cmd_misc.c: the commands about the session itself: help, level, history,
 * clear, exit (which warns about unsaved changes) and coll (the plugin
 * collections). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/history.h>
#include "command_table.h"
#include "display.h"
#include "registry.h"

static void centred(const char *text, char fill)
{
    int width = display_width();
    int len = (int)strlen(text);
    int side = len < width ? (width - len) / 2 : 0;
    for (int i = 0; i < side; i++)
        putchar(fill);
    fputs(text, stdout);
    for (int i = 0; i < side && fill != ' '; i++)
        putchar(fill);
    putchar('\n');
}

int cmd_help(shell_session *s, const shell_args *a, savu_error *err)
{
    centred(" Savu configurator commands ", '*');
    for (size_t i = 0; i < shell_command_count(); i++) {
        const shell_command *cmd = shell_command_at(i);
        printf("%8s : %s\n", cmd->name, cmd->doc);
    }
    putchar('\n');
    display_rule(stdout, '*');
    centred("* For more information about individual commands type '<command> -h' *", ' ');
    display_rule(stdout, '*');
    return 0;
}

int cmd_level(shell_session *s, const shell_args *a, savu_error *err)
{
    if (a->n_pos == 0) {
        printf("Level is set at '%s'\n", shell_level_name(s->level));
        return 0;
    }
    if (shell_level_parse(a->pos[0], &s->level) < 0)
        return savu_error_set(err, "level: argument level: invalid choice: '%s' (choose from "
                                   "'basic', 'intermediate', 'advanced'). Please type 'level -h' "
                                   "for help.", a->pos[0]);
    printf("Level set to '%s'\n", shell_level_name(s->level));
    return 0;
}

int cmd_history(shell_session *s, const shell_args *a, savu_error *err)
{
    HIST_ENTRY **entries = history_list();
    for (int i = 0; entries && entries[i]; i++)
        printf("%5d : %s\n", i + history_base, entries[i]->line);
    return 0;
}

int cmd_clear(shell_session *s, const shell_args *a, savu_error *err)
{
    int yes = shell_confirm(s, "Are you sure you want to clear the current plugin list? [y/N] ",
                            err);
    if (yes < 0)
        return -1;
    if (!yes) {
        printf("The process list has NOT been cleared.\n");
        return 0;
    }
    savu_plist_clear(s->list);
    shell_session_set_filename(s, NULL);
    s->expand_dim = -1;
    shell_session_changed(s);
    printf("The process list has been cleared.\n");
    return 0;
}

int cmd_exit(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_session_modified(s))
        printf("The process list has unsaved changes: they will be lost.\n");
    int yes = shell_confirm(s, "Are you sure? [y/N] ", err);
    if (yes < 0)
        return -1;
    s->finished = yes == 1;
    return 0;
}

int cmd_coll(shell_session *s, const shell_args *a, savu_error *err)
{
    putchar('\n');
    for (int c = 0; c < SAVU_CAT_COUNT; c++) {
        size_t count = 0;
        for (size_t i = 0; i < savu_registry_count(); i++)
            count += savu_registry_at(i)->category == (enum savu_category)c;
        if (count == 0)
            continue;
        printf("%s\n %s (%zu plugin%s)\n", "----------------------------------------",
               savu_category_name((enum savu_category)c), count, count == 1 ? "" : "s");
        for (size_t i = 0; i < savu_registry_count(); i++) {
            const struct savu_plugin *p = savu_registry_at(i);
            if (p->category == (enum savu_category)c)
                printf("     %s\n", p->name);
        }
    }
    printf("----------------------------------------\n\n");
    return 0;
}
