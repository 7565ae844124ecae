/* cmd_common.c: helpers shared by the command files. See cmd_common.h. */
#include "cmd_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "display.h"
#include "parameters.h"
#include "registry.h"

const struct savu_plugin *shell_plugin_lookup(const char *name, savu_error *err)
{
    const struct savu_plugin *p = savu_registry_find(name);
    if (p)
        return p;
    const struct savu_plugin *similar = savu_registry_find_nocase(name);
    if (similar)
        savu_error_set(err, "INPUT ERROR: Unknown plugin %s. Did you mean %s?", name, similar->name);
    else
        savu_error_set(err, "INPUT ERROR: Unknown plugin %s (type 'list' to see the plugins)",
                       name);
    return NULL;
}

int shell_entry_index(const shell_session *s, const char *pos, savu_error *err)
{
    return savu_plist_find(s->list, pos, err);
}

const char *shell_param_name(const savu_entry *e, const char *key, savu_error *err)
{
    char first[256];
    snprintf(first, sizeof first, "%s", key);
    first[strcspn(first, ".")] = '\0';
    if (e->plugin) {
        const struct savu_param_def *def = savu_param_resolve(e->plugin, e->params, first, err);
        return def ? def->name : NULL;
    }
    const char *name;
    json_t *value;
    json_object_foreach(e->params, name, value) {
        if (strcmp(name, first) == 0)
            return name;
    }
    savu_error_set(err, "This parameter is not present in this plug in.");
    return NULL;
}

void shell_show_parameter(const shell_session *s, size_t index, const char *name)
{
    display_options o = {SHOW_DEFAULT, SAVU_VIS_ADVANCED, false, name, s->expand_dim};
    display_entries(stdout, s, index, index, &o);
}

char *shell_join_words(char *const *words, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *out = malloc(len);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, words[i]);
    }
    return out;
}

bool shell_entry_is_loader(const savu_entry *e)
{
    if (e->plugin)
        return e->plugin->category == SAVU_CAT_LOADER;
    if (e->id && strstr(e->id, ".loaders."))
        return true;
    size_t len = e->name ? strlen(e->name) : 0;
    return len >= 6 && strcmp(e->name + len - 6, "Loader") == 0;
}

void shell_print_notice(void *counter, const char *line)
{
    display_notice(stdout, line);
    if (counter)
        ++*(int *)counter;
}

int shell_check_loaders(const savu_process_list *pl, savu_error *err)
{
    if (pl->n == 0)
        return savu_error_set(err, "There are no items to access in your list. Please add an "
                                   "item to the process list.");
    if (!shell_entry_is_loader(pl->entries[0]))
        return savu_error_set(err, "The first plugin in the process list must be a loader "
                                   "plugin.");
    bool loaders_done = false;
    for (size_t i = 1; i < pl->n; i++) {
        bool loader = shell_entry_is_loader(pl->entries[i]);
        if (loader && loaders_done)
            return savu_error_set(err, "All loader plugins must be at the beginning of the "
                                       "process list: plugin %s (%s) is a loader.",
                                  pl->entries[i]->pos, pl->entries[i]->name);
        loaders_done = loaders_done || !loader;
    }
    return 0;
}
