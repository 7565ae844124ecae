/* cmd_display.c: the commands that show things without changing them:
 * `disp` (the list, one plugin, a range, or one parameter P.param, at a
 * verbosity and level) and `list` (the available plugins, filtered). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd_common.h"
#include "command_table.h"
#include "display.h"
#include "registry.h"

static shell_verbosity verbosity_of(const shell_args *a, int quiet, int verbose, int vverbose)
{
    if (shell_args_has(a, vverbose))
        return SHOW_VVERBOSE;
    if (shell_args_has(a, verbose))
        return SHOW_VERBOSE;
    if (shell_args_has(a, quiet))
        return SHOW_QUIET;
    return SHOW_DEFAULT;
}

/* disp P.param */
static int disp_parameter(shell_session *s, const shell_args *a, display_options *o,
                          savu_error *err)
{
    const char *start = a->pos[0], *dot = strchr(start, '.');
    if (a->n_pos > 1)
        return savu_error_set(err, "disp: a parameter (%s) cannot start a range. Please type "
                                   "'disp -h' for help.", start);
    char pos[SAVU_POS_MAX + 1];
    if ((size_t)(dot - start) > SAVU_POS_MAX)
        return savu_error_set(err, "Incorrect plugin position '%.*s'.", (int)(dot - start), start);
    snprintf(pos, sizeof pos, "%.*s", (int)(dot - start), start);
    int index = shell_entry_index(s, pos, err);
    if (index < 0)
        return -1;
    const char *name = shell_param_name(s->list->entries[index], dot + 1, err);
    if (!name)
        return -1;
    o->param = name;
    display_entries(stdout, s, (size_t)index, (size_t)index, o);
    return 0;
}

int cmd_disp(shell_session *s, const shell_args *a, savu_error *err)
{
    if (shell_args_has(a, DISP_LEVEL)) {
        printf("Level is set at '%s'\n", shell_level_name(s->level));
        return 0;
    }
    display_options o = {
        verbosity_of(a, DISP_QUIET, DISP_VERBOSE, DISP_VVERBOSE),
        shell_args_has(a, DISP_ALL) ? SAVU_VIS_ADVANCED : s->level,
        shell_args_has(a, DISP_DATASETS), NULL, s->expand_dim,
    };
    if (a->n_pos == 0) {
        display_entries(stdout, s, 0, s->list->n ? s->list->n - 1 : 0, &o);
        return 0;
    }
    if (strchr(a->pos[0], '.'))
        return disp_parameter(s, a, &o, err);
    int first = shell_entry_index(s, a->pos[0], err);
    if (first < 0)
        return -1;
    int last = a->n_pos > 1 ? shell_entry_index(s, a->pos[1], err) : first;
    if (last < 0)
        return -1;
    if (last < first)
        return savu_error_set(err, "disp: the range %s to %s is empty: stop comes before start.",
                              a->pos[0], a->pos[1]);
    display_entries(stdout, s, (size_t)first, (size_t)last, &o);
    return 0;
}

/* ---- list ---- */

static bool starts_with_nocase(const char *text, const char *prefix, size_t len)
{
    return text && strncasecmp(text, prefix, len) == 0;
}

static bool contains_nocase(const char *text, const char *part)
{
    if (!text)
        return false;
    size_t n = strlen(part);
    for (; *text; text++)
        if (strncasecmp(text, part, n) == 0)
            return true;
    return false;
}

/* "str*": a case-insensitive prefix of the name, the module path or any of
 * its components ("loaders*"); otherwise a case-insensitive part of the
 * name or module path, or a category name. */
static bool plugin_matches(const struct savu_plugin *p, const char *filter)
{
    if (!filter || !*filter)
        return true;
    size_t len = strlen(filter);
    if (filter[len - 1] == '*') {
        len--;
        if (starts_with_nocase(p->name, filter, len) || starts_with_nocase(p->id, filter, len))
            return true;
        for (const char *c = p->id; c && (c = strchr(c, '.')); )
            if (starts_with_nocase(++c, filter, len))
                return true;
        return false;
    }
    return contains_nocase(p->name, filter) || contains_nocase(p->id, filter) ||
           strcasecmp(savu_category_name(p->category), filter) == 0;
}

int cmd_list(shell_session *s, const shell_args *a, savu_error *err)
{
    shell_verbosity v = verbosity_of(a, LIST_QUIET, LIST_VERBOSE, LIST_VVERBOSE);
    const char *filter = a->n_pos ? a->pos[0] : NULL;
    size_t shown = 0;
    for (size_t i = 0; i < savu_registry_count(); i++) {
        const struct savu_plugin *p = savu_registry_at(i);
        if (!plugin_matches(p, filter))
            continue;
        if (shown++ == 0) {
            fputc('\n', stdout);
            display_rule(stdout, '*');
        } else if (v > SHOW_QUIET) {
            fputc('\n', stdout);
        }
        display_plugin(stdout, p, v);
    }
    if (shown == 0) {
        printf("No result found.\n");
        return 0;
    }
    display_rule(stdout, '*');
    fputc('\n', stdout);
    return 0;
}
