/* cmd_open_save.c: `open` (read a list, apply Savu's renames and our
 * replacements with notices, mark or skip plugins not available here,
 * re-validate values) and `save` (checks that the list starts with its
 * loaders, confirmation, atomic write). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd_common.h"
#include "command_table.h"
#include "compat.h"
#include "display.h"
#include "nexus.h"
#include "parameters.h"
#include "registry.h"

static void version_banner(const savu_process_list *pl)
{
    if (pl->version && strcmp(pl->version, SAVU_NEXUS_VERSION) == 0)
        return;
    char line[128];
    if (pl->version)
        snprintf(line, sizeof line, "*** This process list was created using Savu %.20s  ***",
                 pl->version);
    else
        snprintf(line, sizeof line, "*** This process list was created using Savu before 4.0  ***");
    size_t len = strlen(line);
    char stars[128];
    memset(stars, '*', len);
    stars[len] = '\0';
    printf("%s\n%s\n%s\n", stars, line, stars);
}

/* Plugins not available here: skipped (-s) or kept and reported. Returns
 * how many lines were printed. */
static int handle_unknown(savu_process_list *pl, bool skip, savu_error *err)
{
    int lines = 0;
    for (size_t i = 0; i < pl->n; i++) {
        const savu_entry *e = pl->entries[i];
        if (e->plugin)
            continue;
        char line[512];
        if (skip)
            snprintf(line, sizeof line, "Skipping plugin %s: %s", e->pos, e->name);
        else
            snprintf(line, sizeof line, "Plugin %s: %s is not available in this savu: it is kept "
                     "as it is, but cannot be run ('open -s' leaves it out).", e->pos, e->name);
        display_notice(stdout, line);
        lines++;
    }
    if (!skip)
        return 0;
    for (size_t i = pl->n; i-- > 0;) {
        if (pl->entries[i]->plugin)
            continue;
        char pos[SAVU_POS_MAX];
        snprintf(pos, sizeof pos, "%s", pl->entries[i]->pos);
        if (savu_plist_remove(pl, pos, err) < 0)
            return -1;
    }
    return lines;
}

int cmd_open(shell_session *s, const shell_args *a, savu_error *err)
{
    char *path = shell_unquote(a->pos[0]);
    if (!path)
        return savu_error_set(err, "out of memory");
    if (access(path, F_OK) != 0) {
        savu_error_set(err, "INPUT ERROR: The file '%s' does not exist.", path);
        free(path);
        return -1;
    }
    const savu_plugin_catalog *plugins = savu_registry_catalog();
    savu_process_list *pl = savu_nexus_read(path, plugins, err);
    if (!pl) {
        free(path);
        return -1;
    }
    version_banner(pl);
    int changes = 0;
    savu_compat_apply(pl, plugins, shell_print_notice, &changes);
    int skipped = handle_unknown(pl, shell_args_has(a, OPEN_SKIP), err);
    if (skipped < 0) {
        savu_plist_free(pl);
        free(path);
        return -1;
    }
    changes += skipped;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->entries[i]->plugin)
            savu_entry_refresh(pl->entries[i], false, shell_print_notice, &changes);
    shell_session_set_list(s, pl);
    shell_session_set_filename(s, path);
    shell_session_changed(s);
    if (changes == 0)
        shell_session_mark_saved(s);
    else
        display_notice(stdout, "The process list was updated as it was opened: save it to keep "
                               "the changes.");
    display_list_quiet(stdout, s);
    return 0;
}

/* ---- save ---- */

static int check_output_path(const char *path, savu_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return savu_error_set(err, "INPUT ERROR: Incorrect filepath: '%s' is a directory.", path);
    const char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    char *dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
    if (!dir)
        return savu_error_set(err, "out of memory");
    int rc = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = savu_error_set(err, "INPUT ERROR: Incorrect filepath: the directory '%s' does not "
                                 "exist.", dir);
    free(dir);
    return rc;
}

/* Each plugin's warning, once per plugin. */
static void plugin_notices(const savu_process_list *pl)
{
    bool any = false;
    for (size_t i = 0; i < pl->n; i++) {
        const struct savu_plugin *p = pl->entries[i]->plugin;
        if (!p || !p->warning)
            continue;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen = seen || pl->entries[k]->plugin == p;
        if (seen)
            continue;
        if (!any) {
            display_rule(stdout, '*');
            display_bar(stdout, STYLE_OFF, "IMPORTANT PLUGIN NOTICES");
        }
        any = true;
        char line[1024];
        snprintf(line, sizeof line, "%s: %s", p->name, p->warning);
        display_hanging(stdout, "* ", NULL, 2, line);
    }
    if (any)
        display_rule(stdout, '*');
}

int cmd_save(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_args_has(a, SAVE_TEMPLATE))
        return savu_error_set(err, "save: templates (-t) are not supported by this savu_config.");
    char *path = NULL;
    if (shell_args_has(a, SAVE_INPUT)) {
        if (a->n_pos)
            return savu_error_set(err, "save: give either -i or a file path, not both. Please "
                                       "type 'save -h' for help.");
        if (!s->filename)
            return savu_error_set(err, "INPUT ERROR: No process list file is open: please specify "
                                       "the output filepath.");
        path = strdup(s->filename);
    } else if (a->n_pos) {
        path = shell_unquote(a->pos[0]);
    } else {
        return savu_error_set(err, "INPUT ERROR: Please specify the output filepath.");
    }
    if (!path)
        return savu_error_set(err, "out of memory");
    int rc = -1;
    if (check_output_path(path, err) < 0 || shell_check_loaders(s->list, err) < 0)
        goto done;
    plugin_notices(s->list);
    char question[1200];
    snprintf(question, sizeof question, "Are you sure you want to save the current data to %.1000s "
                                        "[y/N] ", path);
    int yes = shell_confirm(s, question, err);
    if (yes < 0)
        goto done;
    if (!yes) {
        printf("The process list has NOT been saved.\n");
        rc = 0;
        goto done;
    }
    printf("Saving file %s\n", path);
    if (savu_nexus_write(s->list, path, err) < 0)
        goto done;
    shell_session_set_filename(s, path);
    path = NULL;
    shell_session_mark_saved(s);
    rc = 0;
done:
    free(path);
    return rc;
}
