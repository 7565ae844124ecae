/* run_engine.h: how the `run` command (cmd_run.c) starts the savu engine and
 * follows it. run_launch.c finds the engine (SAVU_ENGINE, next to this
 * program, PATH), builds the command line from the launcher (SAVU_LAUNCHER,
 * default "mpirun --oversubscribe --bind-to none -np {n}") and the child's environment;
 * run_stream.c starts it in its own process group with its standard output
 * and error on pipes, forwards its lines as they come (redrawing progress
 * lines on a terminal), and turns Ctrl-C into a `killsignal` file in the
 * output folder (a second Ctrl-C kills the engine). */
#ifndef SHELL_RUN_ENGINE_H
#define SHELL_RUN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

#define RUN_DEFAULT_LAUNCHER "mpirun --oversubscribe --bind-to none -np {n}"

/* A NULL-terminated array of malloc'd strings. */
typedef struct run_strv {
    char **v;
    size_t n, cap;
} run_strv;

int run_strv_add(run_strv *s, const char *text);   /* copies text; -1 when out of memory */
void run_strv_free(run_strv *s);

/* The engine's path (malloc'd, absolute when found through a file): the
 * file SAVU_ENGINE names (a path, or a name looked up on PATH) when it is
 * set, else `savu` next to this program (or next to the directory above
 * .libs/), else `savu` on PATH. NULL with err set when there is none. */
char *run_find_engine(savu_error *err);

/* The command: the launcher's words with every "{n}" replaced by nprocs,
 * then the engine and its arguments. The launcher is SAVU_LAUNCHER when set
 * (split at blanks; quotes group words), else RUN_DEFAULT_LAUNCHER; an
 * empty one runs the engine itself, which then allows only one process. */
int run_build_command(int nprocs, const char *engine, char *const *engine_args, size_t n_args,
                      run_strv *out, savu_error *err);

/* This process's environment, plus (as root, when unset)
 * OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1, which
 * Open MPI's mpirun wants before it runs as root. */
int run_child_environment(run_strv *out);

/* The command line as one string, words with blanks or quotes quoted (for
 * showing it); malloc'd. */
char *run_command_text(char *const *argv);

/* What happened to the engine. */
typedef struct run_outcome {
    bool exited;        /* status is its exit status */
    int status;         /* exit status, or the signal that killed it */
    char *folder;       /* output folder: from its "output folder: " line, else the expected one */
    char *preview;      /* from its "preview: " line, or NULL */
    int interrupts;     /* Ctrl-Cs pressed during the run */
    bool killsignal;    /* a killsignal file was written */
} run_outcome;

/* Starts argv (argv[0] looked up on PATH) with envp, stdin /dev/null, in
 * a process group of its own, and forwards its standard output to stdout
 * and its standard error to stderr line by line until it has exited.
 * `folder` is where the engine is expected to make its output folder (for
 * the killsignal file before it says where). Returns 0 when it ran (out
 * says how it ended; free with run_outcome_free), -1 with err when it could
 * not be started. */
int run_engine_stream(char *const *argv, char *const *envp, const char *folder, run_outcome *out,
                      savu_error *err);
void run_outcome_free(run_outcome *o);

#endif
