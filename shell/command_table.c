/* command_table.c: the table of savu_config's commands (name, description,
 * syntax, function) and the dispatcher that runs one input line, taking an
 * undo snapshot around commands that edit the list. The descriptions and
 * argument help are Savu's; run's options are the engine's (its table). */
#include "command_table.h"
#include "cmd_run_options.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define END_OPTIONS {NULL, NULL, 0, NULL, NULL}
#define END_POSITIONALS {NULL, NULL}
#define VERBOSITY_OPTIONS(q, v, vv)                                                                \
    {"-q", "--quiet", 0, NULL, "Quiet mode. " q}, {"-v", "--verbose", 0, NULL, "Verbose mode. " v}, \
        {"-vv", "--vverbose", 0, NULL, "Verbose verbose mode. " vv}

static const shell_option open_options[] = {
    {"-s", "--skip", 0, NULL, "Skip plugins that are not available here."},
    END_OPTIONS,
};
static const shell_positional open_positionals[] = {
    {"file", "The path to the process list to open."},
    END_POSITIONALS,
};

static const shell_option disp_options[] = {
    VERBOSITY_OPTIONS("Display plugin names only.",
                      "Display plugin names, synopsis and parameter details.",
                      "Display plugin names, full synopsis, parameter details and warnings."),
    {"-a", "--all", 0, NULL, "Display ALL parameters (user parameters only by default)."},
    {"-l", "--level", 0, NULL, "Display current parameter visibility level."},
    {"-d", "--datasets", 0, NULL, "Display in_datasets and out_datasets."},
    END_OPTIONS,
};
static const shell_positional disp_positionals[] = {
    {"start", "Display this list entry, or one parameter: 'pos.name' or 'pos.number'."},
    {"stop", "Display entries from start to stop."},
    END_POSITIONALS,
};

static const shell_option list_options[] = {
    VERBOSITY_OPTIONS("List plugin names only.", "List plugin names and full synopsis.",
                      "List all information."),
    END_OPTIONS,
};
static const shell_positional list_positionals[] = {
    {"string", "List plugins or collections containing this string ('str*': starting with it)."},
    END_POSITIONALS,
};

static const shell_option save_options[] = {
    {"-i", "--input", 0, NULL, "Save to the input file."},
    {"-t", "--template", 0, NULL, "Create a Savu template file (not supported)."},
    END_OPTIONS,
};
static const shell_positional save_positionals[] = {
    {"filepath", "The output file path."},
    END_POSITIONALS,
};

static const shell_option mod_options[] = {
    {"-d", "--default", 0, NULL, "Revert to default value."},
    {"-g", "--globalpar", 0, NULL,
     "Set the parameter 'param' (a name) in every plugin that has it."},
    END_OPTIONS,
};
static const shell_positional mod_positionals[] = {
    {"param", "The plugin parameter to modify. Either 'plugin_pos.param_name' or "
              "'plugin_pos.param_no'; for the preview, also 'pos.preview.dimN' and "
              "'pos.preview.dimN.start|stop|step|chunk'."},
    {"value", "The plugin parameter value."},
    END_POSITIONALS,
};

static const shell_positional set_positionals[] = {
    {"plugin_pos", "Plugin position(s)."},
    {"status", "Plugin status: on, ON, off or OFF."},
    END_POSITIONALS,
};

static const shell_positional add_positionals[] = {
    {"name", "The plugin name."},
    {"pos", "Plugin list position (defaults to end)."},
    END_POSITIONALS,
};

static const shell_positional dupl_positionals[] = {
    {"orig_pos", "The position of the plugin to be duplicated."},
    {"new_pos", "Position for the new plugin (defaults to end)."},
    END_POSITIONALS,
};

static const shell_positional rem_positionals[] = {
    {"pos", "Plugin position(s)."},
    END_POSITIONALS,
};

static const shell_positional move_positionals[] = {
    {"orig_pos", "Original position."},
    {"new_pos", "New position."},
    END_POSITIONALS,
};

static const shell_positional replace_positionals[] = {
    {"old", "Position of the plugin to replace."},
    {"new_plugin", "Name of the plugin to put there (with default parameters)."},
    END_POSITIONALS,
};

static const shell_option ref_options[] = {
    {"-d", "--defaults", 0, NULL, "Populate parameters with default values."},
    {"-n", "--nodisp", 0, NULL, "Do not display the refreshed plugins."},
    END_OPTIONS,
};
static const shell_positional ref_positionals[] = {
    {"pos", "Plugin position to refresh or '*' for the whole list."},
    END_POSITIONALS,
};

/* run's options and usage line come from the engine's option table
 * (cmd_run_options.c); make_run_syntax writes them here before any command
 * is looked at. */
static shell_option run_options[SHELL_RUN_OPTIONS_SIZE];
static char run_usage[1024];

static void make_run_syntax(void)
{
    if (!run_usage[0])
        shell_run_syntax_make(run_options, run_usage, sizeof run_usage);
}

static const shell_positional run_positionals[] = {
    {"data", "The NXtomo data file (HDF5) to process."},
    {"out_folder", "The existing folder in which the run's output folder is made."},
    END_POSITIONALS,
};

static const shell_positional level_positionals[] = {
    {"level", "The visibility level: basic, intermediate or advanced. Display the current "
              "visibility level by using 'level' without an argument."},
    END_POSITIONALS,
};

static const shell_option expand_options[] = {
    {NULL, "--off", 0, NULL, "Turn off the expand view."},
    END_OPTIONS,
};
static const shell_positional expand_positionals[] = {
    {"plugin_pos", "Expand this plugin preview parameter."},
    {"dim", "Data dimensions. If this value is the same as the current dimension value, then "
            "the dimension of the preview parameter will be unchanged. If it is greater or "
            "smaller than the current dimension value, then the dimension of the preview "
            "value will be altered."},
    END_POSITIONALS,
};

static const shell_positional cite_positionals[] = {
    {"start", "Display this plugin citation."},
    {"stop", "Display plugins from start to stop."},
    END_POSITIONALS,
};

static const shell_option iterate_options[] = {
    {NULL, "--set", 3, "START END ITERATIONS",
     "Run plugins START to END (1-based, inclusive) ITERATIONS times."},
    {NULL, "--remove", SHELL_NARGS_ANY, "[N ...]",
     "Remove the iterative loops numbered N (all of them when no number is given)."},
    END_OPTIONS,
};

#define NO_ARGS(usage) {usage, NULL, NULL, 0, 0, false}

/* Alphabetical: help prints them in this order. */
static const shell_command commands[] = {
    {"add", "Add a plugin to the list.",
     {"add [-h] name [pos]", NULL, add_positionals, 1, 2, false}, cmd_add, true},
    {"cite", "Display plugin citations.",
     {"cite [-h] [start] [stop]", NULL, cite_positionals, 0, 2, false}, cmd_cite, false},
    {"clear", "Clear the current plugin list.", NO_ARGS("clear [-h]"), cmd_clear, true},
    {"coll", "List all plugin collections.", NO_ARGS("coll [-h]"), cmd_coll, false},
    {"disp", "Display the plugins in the current list.",
     {"disp [-h] [-q] [-v] [-vv] [-a] [-l] [-d] [start] [stop]", disp_options, disp_positionals,
      0, 2, false},
     cmd_disp, false},
    {"dupl", "Duplicate a plugin in the list.",
     {"dupl [-h] orig_pos [new_pos]", NULL, dupl_positionals, 1, 2, false}, cmd_dupl, true},
    {"exit", "Close the program.", NO_ARGS("exit [-h]"), cmd_exit, false},
    {"expand", "Expand the plugin preview parameter.",
     {"expand [-h] [--off] [plugin_pos] [dim]", expand_options, expand_positionals, 0, 2, false},
     cmd_expand, true},
    {"help", "Display the help information.", NO_ARGS("help [-h]"), cmd_help, false},
    {"history", "View the history of previous commands.", NO_ARGS("history [-h]"), cmd_history,
     false},
    {"iterate", "Set a plugin (or group of plugins) to run iteratively.",
     {"iterate [-h] [--set START END ITERATIONS] [--remove [N ...]]", iterate_options, NULL, 0, 0,
      false},
     cmd_iterate, true},
    {"level", "Set a visibility level for the parameters.",
     {"level [-h] [{basic,intermediate,advanced}]", NULL, level_positionals, 0, 1, false},
     cmd_level, false},
    {"list", "List the available plugins.",
     {"list [-h] [-q] [-v] [-vv] [string]", list_options, list_positionals, 0, 1, false},
     cmd_list, false},
    {"mod", "Modify plugin parameters.",
     {"mod [-h] [-d] [-g] param [value ...]", mod_options, mod_positionals, 1, -1, true}, cmd_mod,
     true},
    {"move", "Move a plugin to a different position in the list.",
     {"move [-h] orig_pos new_pos", NULL, move_positionals, 2, 2, false}, cmd_move, true},
    {"open", "Open an existing process list.",
     {"open [-h] [-s] file", open_options, open_positionals, 1, 1, false}, cmd_open, true},
    {"redo", "Redo the last change that was undone.", NO_ARGS("redo [-h]"), cmd_redo, false},
    {"ref", "Refresh a plugin (update it).",
     {"ref [-h] [-d] [-n] pos [pos ...]", ref_options, ref_positionals, 1, -1, false}, cmd_ref,
     true},
    {"rem", "Remove plugin(s) from the list.",
     {"rem [-h] pos [pos ...]", NULL, rem_positionals, 1, -1, false}, cmd_rem, true},
    {"replace", "Replace a plugin in the list by another one.",
     {"replace [-h] old new_plugin", NULL, replace_positionals, 2, 2, false}, cmd_replace, true},
    {"run", "Run the current process list with the savu engine.",
     {run_usage, run_options, run_positionals, 2, 2, false},
     cmd_run, false},
    {"save", "Save the current process list to file.",
     {"save [-h] [-i] [-t] [filepath]", save_options, save_positionals, 0, 1, false}, cmd_save,
     false},
    {"set", "Set the status of the plugin to be on or off.",
     {"set [-h] plugin_pos [plugin_pos ...] {on,ON,off,OFF}", NULL, set_positionals, 2, -1,
      false},
     cmd_set, true},
    {"undo", "Undo the last change to the process list.", NO_ARGS("undo [-h]"), cmd_undo, false},
};

size_t shell_command_count(void)
{
    return sizeof commands / sizeof commands[0];
}

const shell_command *shell_command_at(size_t i)
{
    make_run_syntax();
    return i < shell_command_count() ? &commands[i] : NULL;
}

const shell_command *shell_command_find(const char *name)
{
    make_run_syntax();
    for (size_t i = 0; i < shell_command_count(); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* Runs a command that may edit the list: on success with a change, the
 * state before it goes on the undo stack; on failure it is put back. */
static int run_editing(const shell_command *cmd, shell_session *s, const shell_args *a,
                       const char *line, savu_error *err)
{
    shell_snapshot before;
    if (shell_snapshot_take(s, line, &before) < 0)
        return savu_error_set(err, "out of memory");
    s->touched = false;
    if (cmd->run(s, a, err) < 0) {
        shell_snapshot_restore(s, &before);
        return -1;
    }
    if (!s->touched || shell_snapshot_matches(&before, s)) {
        /* nothing changed after all: no undo step, the same content */
        if (s->saved_generation == s->generation)
            s->saved_generation = before.generation;
        s->generation = before.generation;
        shell_snapshot_free(&before);
        return 0;
    }
    shell_undo_clear(&s->redo);
    if (shell_undo_push(&s->undo, &before) < 0)
        return savu_error_set(err, "out of memory");
    return 0;
}

int shell_execute_line(shell_session *s, const char *line, savu_error *err)
{
    while (isspace((unsigned char)*line))
        line++;
    size_t len = strlen(line);
    while (len && isspace((unsigned char)line[len - 1]))
        len--;
    char *text = strndup(line, len);
    if (!text)
        return savu_error_set(err, "out of memory");
    char *rest = text + strcspn(text, " \t");
    if (*rest)
        *rest++ = '\0';
    const char *name = text[0] ? text : "help";
    const shell_command *cmd = shell_command_find(name);
    int rc = 0;
    if (!cmd) {
        rc = savu_error_set(err, "I'm sorry, that's not a command I recognise. Press Enter for a "
                                 "list of available commands.");
        free(text);
        return rc;
    }
    shell_args args;
    if (shell_args_parse(cmd->name, &cmd->syntax, rest, &args, err) < 0) {
        rc = -1;
    } else if (args.help) {
        shell_syntax_print_help(cmd->doc, &cmd->syntax);
    } else if (cmd->edits) {
        char *label = strndup(line, len);
        rc = label ? run_editing(cmd, s, &args, label, err) : savu_error_set(err, "out of memory");
        free(label);
    } else {
        rc = cmd->run(s, &args, err);
    }
    shell_args_free(&args);
    free(text);
    fflush(stdout);
    return rc;
}

/* Every table fits the parsed arguments (options.h). */
#define FITS_ARGS(table)                                                                 \
    _Static_assert(sizeof table / sizeof table[0] - 1 <= SHELL_MAX_OPTIONS,              \
                   #table " has more options than SHELL_MAX_OPTIONS")
FITS_ARGS(open_options);
FITS_ARGS(disp_options);
FITS_ARGS(list_options);
FITS_ARGS(save_options);
FITS_ARGS(mod_options);
FITS_ARGS(ref_options);
FITS_ARGS(expand_options);
FITS_ARGS(iterate_options);
