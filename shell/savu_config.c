/* savu_config.c: entry point of the `savu_config` shell: command-line
 * flags, start-up (plugins, -i FILE), the read-run loop, and the data-file
 * helpers --tree, --find and --check. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "command_table.h"
#include "hdf5_inspect.h"
#include "registry.h"
#include "repl.h"
#include "session.h"

typedef struct flags {
    bool advanced, full_errors, assume_yes, keep_going;
    const char *input_file, *script;
    const char *tree, *find_file, *find_pattern, *check;
} flags;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: savu_config [-a] [-e] [-y] [-k] [-i FILE] [-s SCRIPT]\n"
            "       savu_config --tree FILE | --find FILE PATTERN | --check FILE\n"
            "Builds and edits savu process lists (NeXus files in Savu's layout).\n"
            "\n"
            "  -a, --all            show every parameter (advanced level) from the start\n"
            "  -i, --input FILE     open the process list FILE at start\n"
            "  -e, --error          show errors in full detail\n"
            "  -s, --script SCRIPT  run the commands in SCRIPT (as if piped in), then leave\n"
            "  -y, --yes            answer yes to every confirmation\n"
            "  -k, --keep-going     in a script, go on after a failing command\n"
            "      --tree FILE      print the groups, datasets and links of an HDF5 file\n"
            "      --find FILE PATTERN\n"
            "                       print the datasets whose path matches PATTERN (a part of\n"
            "                       the path, or a glob such as '*image_key')\n"
            "      --check FILE     report the NXtomo data, angles and image key of FILE\n"
            "      --version        print the version and leave\n"
            "  -h, --help           print this help and leave\n"
            "\n"
            "Without a terminal (or with -s) commands are read one per line, without prompts;\n"
            "a confirmation reads the next line; the first failing command stops the script\n"
            "with exit status 1. See savu_config(1).\n");
}

static int need_value(int argc, char **argv, int i, int count)
{
    if (i + count < argc)
        return 0;
    fprintf(stderr, "savu_config: option %s needs %s (try --help)\n", argv[i],
            count == 1 ? "a value" : "two values");
    return -1;
}

/* Returns 0 to run, 1 when the program is done (exit status in *status). */
static int parse_flags(int argc, char **argv, flags *f, int *status)
{
    memset(f, 0, sizeof *f);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        *status = 2;
        if (strcmp(a, "--version") == 0) {
            savu_registry_init();
            printf("savu_config %s (%zu plugins available)\n", PACKAGE_VERSION,
                   savu_registry_count());
            *status = 0;
            return 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            *status = 0;
            return 1;
        } else if (strcmp(a, "-a") == 0 || strcmp(a, "--all") == 0) {
            f->advanced = true;
        } else if (strcmp(a, "-e") == 0 || strcmp(a, "--error") == 0) {
            f->full_errors = true;
        } else if (strcmp(a, "-y") == 0 || strcmp(a, "--yes") == 0) {
            f->assume_yes = true;
        } else if (strcmp(a, "-k") == 0 || strcmp(a, "--keep-going") == 0) {
            f->keep_going = true;
        } else if (strcmp(a, "-i") == 0 || strcmp(a, "--input") == 0) {
            if (need_value(argc, argv, i, 1) < 0)
                return 1;
            f->input_file = argv[++i];
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "--script") == 0) {
            if (need_value(argc, argv, i, 1) < 0)
                return 1;
            f->script = argv[++i];
        } else if (strcmp(a, "--tree") == 0 || strcmp(a, "--check") == 0) {
            if (need_value(argc, argv, i, 1) < 0)
                return 1;
            *(a[2] == 't' ? &f->tree : &f->check) = argv[++i];
        } else if (strcmp(a, "--find") == 0) {
            if (need_value(argc, argv, i, 2) < 0)
                return 1;
            f->find_file = argv[++i];
            f->find_pattern = argv[++i];
        } else {
            fprintf(stderr, "savu_config: unknown option '%s' (try --help)\n", a);
            return 1;
        }
    }
    *status = 0;
    return 0;
}

static void report_plugin_failures(bool full)
{
    size_t n = savu_registry_failure_count();
    if (n == 0)
        return;
    if (!full) {
        fprintf(stderr, "savu_config: %zu plugin librar%s could not be loaded (run with -e for "
                        "details)\n", n, n == 1 ? "y" : "ies");
        return;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "savu_config: plugin library not loaded: %s\n", savu_registry_failure(i));
}

/* -i FILE: opens it as the `open` command would. */
static int open_at_start(shell_session *s, const char *file)
{
    if (strchr(file, '"') && strchr(file, '\'')) {
        fprintf(stderr, "savu_config: -i %s: a file name with both kinds of quote cannot be "
                        "opened\n", file);
        return -1;
    }
    char quote = strchr(file, '"') ? '\'' : '"';
    size_t len = strlen(file) + 16;
    char *line = malloc(len);
    if (!line)
        return -1;
    snprintf(line, len, "open %c%s%c", quote, file, quote);
    savu_error err = {{0}};
    int rc = shell_execute_line(s, line, &err);
    if (rc < 0) {
        fflush(stdout);
        fprintf(stderr, "savu_config: -i %s: %s\n", file, err.msg);
    }
    shell_undo_clear(&s->undo);
    free(line);
    return rc;
}

static int run_shell(const flags *f)
{
    shell_session s;
    shell_session_init(&s);
    s.level = f->advanced ? SAVU_VIS_ADVANCED : SAVU_VIS_BASIC;
    s.full_errors = f->full_errors;
    s.assume_yes = f->assume_yes;
    s.keep_going = f->keep_going;
    if (f->script) {
        FILE *script = fopen(f->script, "r");
        if (!script) {
            fprintf(stderr, "savu_config: cannot read the script %s\n", f->script);
            shell_session_free(&s);
            return 2;
        }
        s.input = shell_input_stream(script, f->script);
    } else if (isatty(STDIN_FILENO)) {
        s.interactive = true;
        s.input = shell_input_terminal();
    } else {
        s.input = shell_input_stream(stdin, NULL);
    }
    if (s.interactive) {
        printf("Running the configurator\n");
        printf("Starting Savu Config tool (please wait for prompt)\n");
    }
    savu_registry_init();
    report_plugin_failures(f->full_errors);
    int status = 0;
    if (f->input_file && open_at_start(&s, f->input_file) < 0 && !s.interactive)
        status = 1;
    if (status == 0) {
        if (s.interactive)
            printf("\n*** Press Enter for a list of available commands. ***\n\n");
        status = shell_repl_run(&s);
    }
    if (s.interactive)
        printf("Thanks for using the application\n");
    shell_input_free(s.input);
    shell_session_free(&s);
    return status;
}

int main(int argc, char **argv)
{
    flags f;
    int status;
    if (parse_flags(argc, argv, &f, &status))
        return status;
    if (f.tree)
        return shell_h5_tree(f.tree);
    if (f.find_file)
        return shell_h5_find(f.find_file, f.find_pattern);
    if (f.check)
        return shell_h5_check(f.check);
    return run_shell(&f);
}
