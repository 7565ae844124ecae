/* completion_matches.c: gathering completion matches (kept when they start
 * with the word being completed, ignoring case; no duplicates) and the
 * simple sources of them: command names, plugin names, levels, the words
 * of run's choice options, positions of the list, file names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <readline/readline.h>
#include "cmd_run_options.h"
#include "command_table.h"
#include "completion_internal.h"
#include "registry.h"

static bool already_there(const shell_match_list *m, const char *candidate)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i], candidate) == 0)
            return true;
    return false;
}

/* Appends a malloc'd string (taken, also on failure). */
static void add_owned(shell_match_list *m, char *item)
{
    if (!item) {
        m->out_of_memory = true;
        return;
    }
    if (m->out_of_memory || already_there(m, item)) {
        free(item);
        return;
    }
    if (m->n + 1 >= m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        char **items = realloc(m->items, cap * sizeof *items);
        if (!items) {
            free(item);
            m->out_of_memory = true;
            return;
        }
        m->items = items;
        m->cap = cap;
    }
    m->items[m->n++] = item;
    m->items[m->n] = NULL;
}

void shell_match_add(shell_match_list *m, const char *candidate)
{
    const char *prefix = m->prefix ? m->prefix : "";
    if (candidate && strncasecmp(candidate, prefix, strlen(prefix)) == 0)
        add_owned(m, strdup(candidate));
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Readline's file-name generator lists a directory in no set order: the
 * names are sorted before they are added. */
void shell_match_add_files(shell_match_list *m)
{
    const char *prefix = m->prefix ? m->prefix : "";
    shell_match_list found = {0};
    char *name;
    for (int state = 0; (name = rl_filename_completion_function(prefix, state)) != NULL; state++)
        add_owned(&found, name);
    if (found.n)
        qsort(found.items, found.n, sizeof *found.items, compare_names);
    for (size_t i = 0; i < found.n; i++) {
        add_owned(m, found.items[i]);
        found.items[i] = NULL;
    }
    m->filenames |= found.n > 0;
    m->out_of_memory |= found.out_of_memory;
    free(found.items);
}

void shell_match_list_free(shell_match_list *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->items[i]);
    free(m->items);
    m->items = NULL;
    m->n = m->cap = 0;
}

void shell_match_commands(shell_match_list *m)
{
    for (size_t i = 0; i < shell_command_count(); i++)
        shell_match_add(m, shell_command_at(i)->name);
}

void shell_match_plugins(shell_match_list *m)
{
    for (size_t i = 0; i < savu_registry_count(); i++)
        shell_match_add(m, savu_registry_at(i)->name);
}

void shell_match_levels(shell_match_list *m)
{
    const enum savu_visibility levels[] = {SAVU_VIS_BASIC, SAVU_VIS_INTERMEDIATE, SAVU_VIS_ADVANCED};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        shell_match_add(m, shell_level_name(levels[i]));
}

void shell_match_option_choices(shell_match_list *m, const char *command, const char *option)
{
    const char *const *choices =
        strcmp(command, "run") == 0 ? shell_run_option_choices(option) : NULL;
    for (; choices && *choices; choices++)
        shell_match_add(m, *choices);
}

static bool is_excluded(const char *pos, char *const *exclude, int n_exclude)
{
    for (int i = 0; i < n_exclude; i++)
        if (strcmp(exclude[i], pos) == 0)
            return true;
    return false;
}

void shell_match_positions(shell_match_list *m, const savu_process_list *list, const char *suffix,
                           char *const *exclude, int n_exclude, bool only_preview)
{
    for (size_t i = 0; i < list->n; i++) {
        const savu_entry *e = list->entries[i];
        if (is_excluded(e->pos, exclude, n_exclude))
            continue;
        if (only_preview && !json_object_get(e->params, "preview"))
            continue;
        char text[SAVU_POS_MAX + 8];
        snprintf(text, sizeof text, "%s%s", e->pos, suffix);
        shell_match_add(m, text);
    }
}

const savu_entry *shell_completion_entry(const savu_process_list *list, const char *pos,
                                         size_t pos_len)
{
    for (size_t i = 0; i < list->n; i++) {
        const char *p = list->entries[i]->pos;
        if (strlen(p) == pos_len && strncmp(p, pos, pos_len) == 0)
            return list->entries[i];
    }
    return NULL;
}
