/* compat.c: opening lists written by Savu (compat.h). Per entry, in order:
 *  1. parameters of reconstruction plugins renamed in newer Savu versions
 *     (the legacy i18 list's AstraReconCpu has center_of_rotation,
 *     number_of_iterations and reconstruction_type);
 *  2. Savu's reconstructions that wrap other libraries become TomoRecon
 *     (compat_recon.c);
 *  3. a known plugin stored under an older id gets the current id.
 * Each changed entry gives one notice naming its position. */
#include "compat.h"
#include "compat_recon.h"
#include "savu_plugin.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECON_ID_PREFIX "savu.plugins.reconstructions."

static const struct {
    const char *old_name, *new_name;
} recon_renames[] = {
    {"center_of_rotation", "centre_of_rotation"},
    {"number_of_iterations", "n_iterations"},
    {"reconstruction_type", "algorithm"},
};

static bool is_reconstruction(const savu_entry *e)
{
    return strncmp(e->id, RECON_ID_PREFIX, strlen(RECON_ID_PREFIX)) == 0
           || savu_compat_is_wrapped_recon(e->name);
}

static const char *new_name_of(const char *old_name)
{
    for (size_t i = 0; i < sizeof recon_renames / sizeof recon_renames[0]; i++)
        if (strcmp(recon_renames[i].old_name, old_name) == 0)
            return recon_renames[i].new_name;
    return NULL;
}

/* Renames old parameters in place, keeping their order, unless the new
 * name is already there. Lists "old -> new, ..." in done. Returns how many
 * were renamed; the entry is unchanged when out of memory. */
static int rename_parameters(savu_entry *e, char *done, size_t size)
{
    json_t *renamed = json_object();
    if (!renamed)
        return 0;
    int count = 0;
    const char *name;
    json_t *value;
    json_object_foreach(e->params, name, value) {
        const char *new_name = new_name_of(name);
        if (new_name && !json_object_get(e->params, new_name)) {
            size_t len = strlen(done);
            snprintf(done + len, size - len, "%s%s -> %s", len ? ", " : "", name, new_name);
            count++;
        } else {
            new_name = name;
        }
        if (json_object_set(renamed, new_name, value) < 0) {
            json_decref(renamed);
            return 0;
        }
    }
    if (count == 0) {
        json_decref(renamed);
        return 0;
    }
    json_decref(e->params);
    e->params = renamed;
    return count;
}

static void say(savu_notice_fn notice, void *ctx, const char *line)
{
    if (notice)
        notice(ctx, line);
}

void savu_compat_apply(savu_process_list *pl, const savu_plugin_catalog *catalog,
                       savu_notice_fn notice, void *ctx)
{
    if (!pl)
        return;
    for (size_t i = 0; i < pl->n; i++) {
        savu_entry *e = pl->entries[i];
        if (!json_is_object(e->params))
            continue;
        char renamed[512] = "";
        if (is_reconstruction(e))
            rename_parameters(e, renamed, sizeof renamed);
        char line[1024];
        if (savu_compat_convert_recon(pl, i, catalog, line, sizeof line) != 0) {
            say(notice, ctx, line); /* pl->entries[i] may be a new entry now */
            continue;
        }
        char id_change[512] = "";
        if (e->plugin && e->plugin->id && strcmp(e->id, e->plugin->id) != 0) {
            char *current = strdup(e->plugin->id);
            if (current) {
                snprintf(id_change, sizeof id_change, "id %s is updated to %s", e->id, current);
                free(e->id);
                e->id = current;
            }
        }
        if (!*renamed && !*id_change)
            continue;
        snprintf(line, sizeof line, "Plugin %s: %s %s%s%s%s", e->pos, e->name,
                 *renamed ? "parameters renamed as in newer Savu: " : "", renamed,
                 *renamed && *id_change ? "; " : "", id_change);
        say(notice, ctx, line);
    }
}
