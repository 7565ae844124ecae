/* cmd_run_options.c: run's options made from the engine's option table (see
 * cmd_run_options.h). run takes every engine option but two:
 *   --version  run starts a run (`savu --version` prints the version);
 *   --help     -h, --help is run's own help.
 * It passes every option it takes on as given, but -f NAME: run checks the
 * name and passes -f itself, with the name it chose when none was given
 * (cmd_run.c), so that it knows the output folder before the engine says. */
#include "cmd_run_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command_table.h"

_Static_assert(SHELL_RUN_OPTIONS_SIZE - 1 <= SHELL_MAX_OPTIONS,
               "run has more options than SHELL_MAX_OPTIONS");

static const shell_option nprocs_option = {
    "-n", "--nprocs", 1, "N",
    "Run N engine processes (default 1), started by the launcher (SAVU_LAUNCHER, default '"
    RUN_DEFAULT_LAUNCHER "')."};

static bool run_takes(savu_run_option_id id)
{
    return id != SAVU_OPT_VERSION && id != SAVU_OPT_HELP;
}

int shell_run_option_index(savu_run_option_id id)
{
    if (!savu_run_option_at(id) || !run_takes(id))
        return -1;
    int index = RUN_NPROCS + 1;
    for (int before = 0; before < (int)id; before++)
        index += run_takes(before);
    return index;
}

/* " [-t N]", " [--keep-intermediate]" */
static void usage_item(char *usage, size_t size, const char *name, const char *arg)
{
    size_t used = strlen(usage);
    if (used < size)
        snprintf(usage + used, size - used, " [%s%s%s]", name, arg ? " " : "", arg ? arg : "");
}

void shell_run_syntax_make(shell_option options[SHELL_RUN_OPTIONS_SIZE], char *usage,
                           size_t usage_size)
{
    snprintf(usage, usage_size, "run [-h]");
    int n = RUN_NPROCS;
    options[n++] = nprocs_option;
    usage_item(usage, usage_size, nprocs_option.short_name, nprocs_option.metavar);
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        if (!run_takes(id))
            continue;
        const savu_run_option *o = savu_run_option_at(id);
        options[n++] = (shell_option){o->short_name, o->long_name, o->arg_name ? 1 : 0,
                                      o->arg_name, o->help};
        usage_item(usage, usage_size, o->short_name ? o->short_name : o->long_name, o->arg_name);
    }
    options[n] = (shell_option){NULL, NULL, 0, NULL, NULL};
    size_t used = strlen(usage);
    if (used < usage_size)
        snprintf(usage + used, usage_size - used, " data out_folder");
}

/* The index among run's options of engine option id when it was given,
 * else -1. */
static int given_index(const shell_args *a, savu_run_option_id id)
{
    int index = shell_run_option_index(id);
    return index >= 0 && shell_args_has(a, index) ? index : -1;
}

int shell_run_check_choices(const shell_args *a, savu_error *err)
{
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        int index = given_index(a, id);
        if (!o->choices || index < 0)
            continue;
        char *value = shell_unquote(a->values[index][0]);
        if (!value)
            return savu_error_set(err, "out of memory");
        char message[sizeof err->msg];
        bool refused = savu_run_option_choice(o, value, message, sizeof message) < 0;
        free(value);
        if (refused)
            return savu_error_set(err, "run: %s", message);
    }
    return 0;
}

int shell_run_add_engine_options(const shell_args *a, run_strv *out)
{
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        int index = given_index(a, id);
        if (id == SAVU_OPT_FOLDER || index < 0)
            continue;
        if (run_strv_add(out, o->short_name ? o->short_name : o->long_name) < 0)
            return -1;
        if (!o->arg_name)
            continue;
        char *value = shell_unquote(a->values[index][0]);
        int rc = value ? run_strv_add(out, value) : -1;
        free(value);
        if (rc < 0)
            return -1;
    }
    return 0;
}

const char *const *shell_run_option_choices(const char *word)
{
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        if (run_takes(id) &&
            (strcmp(word, o->long_name) == 0 || (o->short_name && strcmp(word, o->short_name) == 0)))
            return o->choices;
    }
    return NULL;
}
