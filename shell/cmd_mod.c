/* cmd_mod.c: changing parameter values: `mod` (by name or number, preview
 * sub-addressing pos.preview.dimN[.start|stop|step|chunk], -d for the
 * default, -g for every plugin that has the parameter, Savu's tuning
 * syntax) and `expand` (the preview shown per dimension, and changing its
 * number of dimensions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_common.h"
#include "command_table.h"
#include "display.h"
#include "parameters.h"

#define MAX_PREVIEW_DIMS 32

static bool is_default_word(const char *text)
{
    return strcmp(text, "-d") == 0 || strcmp(text, "--default") == 0;
}

static int mod_global(shell_session *s, const shell_args *a, savu_error *err)
{
    if (a->n_pos < 2)
        return savu_error_set(err, "Please enter a value");
    char *value = shell_join_words(a->pos + 1, a->n_pos - 1);
    if (!value)
        return savu_error_set(err, "out of memory");
    int count = 0;
    int rc = savu_plist_set_global(s->list, a->pos[0], value, &count, err);
    if (rc == 0) {
        shell_session_changed(s);
        printf("%s set to %s in %d plugin%s.\n", a->pos[0], value, count, count == 1 ? "" : "s");
    }
    free(value);
    return rc;
}

int cmd_mod(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_args_has(a, MOD_GLOBAL))
        return mod_global(s, a, err);
    char pos[SAVU_POS_MAX + 1];
    const char *param = a->pos[0], *dot = strchr(param, '.');
    if (!dot || dot == param || !dot[1] || (size_t)(dot - param) > SAVU_POS_MAX)
        return savu_error_set(err, "mod: '%s' is not a parameter address such as 1.2 or "
                                   "1.preview. Please type 'mod -h' for help.", param);
    snprintf(pos, sizeof pos, "%.*s", (int)(dot - param), param);
    const char *key = dot + 1;
    int index = shell_entry_index(s, pos, err);
    if (index < 0)
        return -1;
    savu_entry *e = s->list->entries[index];
    const char *name = shell_param_name(e, key, err);
    if (!name)
        return -1;
    bool to_default = shell_args_has(a, MOD_DEFAULT) || (a->n_pos == 2 && is_default_word(a->pos[1]));
    bool tuning_applied = false;
    if (to_default) {
        if (savu_entry_restore_default(e, key, err) < 0)
            return -1;
    } else {
        if (a->n_pos < 2)
            return savu_error_set(err, "Please enter a value");
        char *value = shell_join_words(a->pos + 1, a->n_pos - 1);
        if (!value)
            return savu_error_set(err, "out of memory");
        int rc = savu_entry_modify(e, key, value, &tuning_applied, err);
        free(value);
        if (rc < 0)
            return -1;
    }
    shell_session_changed(s);
    if (tuning_applied)
        printf("Parameter tuning syntax applied\n");
    shell_show_parameter(s, (size_t)index, name);
    return 0;
}

/* Pads with ":" or cuts the preview list to dims entries. */
static int set_preview_dims(savu_entry *e, long dims, savu_error *err)
{
    json_t *preview = json_object_get(e->params, "preview");
    json_t *copy = json_deep_copy(preview);
    if (!copy)
        return savu_error_set(err, "out of memory");
    while ((long)json_array_size(copy) > dims)
        json_array_remove(copy, json_array_size(copy) - 1);
    while ((long)json_array_size(copy) < dims)
        json_array_append_new(copy, json_string(":"));
    json_object_set_new(e->params, "preview", copy);
    return 0;
}

int cmd_expand(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_args_has(a, EXPAND_OFF)) {
        if (a->n_pos)
            return savu_error_set(err, "expand: --off takes no arguments. Please type 'expand -h' "
                                       "for help.");
        s->expand_dim = -1;
        printf("Expand display has been turned off\n");
        return 0;
    }
    if (a->n_pos == 0)
        return savu_error_set(err, "expand: please give the position of a plugin with a preview "
                                   "parameter. Please type 'expand -h' for help.");
    int index = shell_entry_index(s, a->pos[0], err);
    if (index < 0)
        return -1;
    savu_entry *e = s->list->entries[index];
    json_t *preview = json_object_get(e->params, "preview");
    if (!preview)
        return savu_error_set(err, "You can only use this command with plugins containing the "
                                   "preview parameter");
    if (!json_is_array(preview))
        return savu_error_set(err, "This command is only possible for preview values of the type "
                                   "list");
    s->expand_dim = 0;
    if (a->n_pos == 2) {
        char *end;
        long dims = strtol(a->pos[1], &end, 10);
        if (*end || end == a->pos[1] || dims < 1 || dims > MAX_PREVIEW_DIMS)
            return savu_error_set(err, "expand: the number of dimensions must be a whole number "
                                       "from 1 to %d, not '%s'", MAX_PREVIEW_DIMS, a->pos[1]);
        if (dims != (long)json_array_size(preview)) {
            char question[128];
            snprintf(question, sizeof question, "Are you sure you want to alter the number of "
                                                "dimensions to %ld? [y/N] ", dims);
            int yes = shell_confirm(s, question, err);
            if (yes < 0)
                return -1;
            if (yes) {
                if (set_preview_dims(e, dims, err) < 0)
                    return -1;
                shell_session_changed(s);
            }
        }
    }
    shell_show_parameter(s, (size_t)index, "preview");
    return 0;
}
