/* run_command.c: run_log/run_command.txt, the command line that made an
 * output folder and the directory it ran in, quoted for a POSIX shell so
 * that the run can be repeated by hand (output_folder.h). */
#define _GNU_SOURCE /* getcwd(NULL, 0) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "atomic_file.h"
#include "output_folder.h"

/* Characters a POSIX shell takes literally anywhere in a word; but in the
 * first word of a command an '=' would make it an assignment (A=b). */
static bool needs_no_quotes(const char *arg, bool command_word)
{
    if (!*arg || (command_word && strchr(arg, '=')))
        return false;
    for (const char *c = arg; *c; c++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                    "_-+=@%:,./", *c))
            return false;
    return true;
}

/* Appends arg to out, in single quotes when needed ("it's" -> 'it'\''s'). */
static void write_quoted(FILE *out, const char *arg, bool command_word)
{
    if (needs_no_quotes(arg, command_word)) {
        fputs(arg, out);
        return;
    }
    fputc('\'', out);
    for (const char *c = arg; *c; c++) {
        if (*c == '\'')
            fputs("'\\''", out);
        else
            fputc(*c, out);
    }
    fputc('\'', out);
}

/* The file's text in a malloc'd buffer (NULL when out of memory). */
static char *command_text(int argc, char *const argv[], size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream(&text, size);
    if (!out)
        return NULL;
    char *cwd = getcwd(NULL, 0);
    fputs("# The command that made this folder, run from the directory below.\n", out);
    fputs("cd ", out);
    write_quoted(out, cwd ? cwd : ".", false);
    fputc('\n', out);
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            fputc(' ', out);
        write_quoted(out, argv[i], i == 0);
    }
    fputc('\n', out);
    free(cwd);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int run_command_write(const char *folder, int argc, char *const argv[], savu_error *err)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s/run_command.txt", folder, RUN_LOG_DIR) < 0)
        return savu_error_set(err, "cannot write %s/%s/run_command.txt: out of memory", folder,
                              RUN_LOG_DIR);
    size_t size = 0;
    char *text = command_text(argc, argv, &size);
    int rc = text ? savu_atomic_write_file(path, text, size, err)
                  : savu_error_set(err, "cannot write %s: out of memory", path);
    free(text);
    free(path);
    return rc;
}
