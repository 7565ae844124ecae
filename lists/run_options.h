/* run_options.h: the one table of the `savu` engine's command-line options:
 * each option's names, its argument, the words it allows when it is a
 * choice, and its one-line help. The engine's parser and usage text
 * (engine/options.c, engine/options_usage.c) and savu_config's `run` (its
 * options, the check of their values, their Tab completion:
 * shell/cmd_run_options.c) are all built from it, so that they cannot drift
 * apart. It depends on the C library only. */
#ifndef SAVU_RUN_OPTIONS_H
#define SAVU_RUN_OPTIONS_H

#include <stddef.h>

/* The options, in the order the usage lists them. */
typedef enum savu_run_option_id {
    SAVU_OPT_FOLDER,
    SAVU_OPT_TMP,
    SAVU_OPT_MAX_MEMORY,
    SAVU_OPT_THREADS,
    SAVU_OPT_CPU_BIND,
    SAVU_OPT_BALANCE,
    SAVU_OPT_IO,
    SAVU_OPT_IO_THREADS,
    SAVU_OPT_OUTPUT_DTYPE,
    SAVU_OPT_OUTPUT_RANGE,
    SAVU_OPT_RESLICE,
    SAVU_OPT_KEEP_INTERMEDIATE,
    SAVU_OPT_GPU,
    SAVU_OPT_GPU_PRECISION,
    SAVU_OPT_VERBOSE,
    SAVU_OPT_QUIET,
    SAVU_OPT_VERSION,
    SAVU_OPT_HELP,
    SAVU_RUN_OPTION_COUNT
} savu_run_option_id;

typedef struct savu_run_option {
    const char *long_name;      /* as written: "--max-memory" */
    const char *short_name;     /* as written: "-t"; NULL when there is none */
    const char *arg_name;       /* the argument in the help: "SIZE"; NULL: a flag */
    const char *const *choices; /* the words the argument may be (NULL-terminated),
                                 * or NULL: any text. The engine maps a word by its
                                 * place here, and error messages list them in
                                 * this order. */
    const char *help;           /* one sentence (the usage text wraps it) */
} savu_run_option;

/* The option id, or NULL when id is not one. */
const savu_run_option *savu_run_option_at(savu_run_option_id id);

/* The place of text among o's choices, or -1 with message set to
 * "--balance: expected auto or off, not 'TEXT'" (cut to size). */
int savu_run_option_choice(const savu_run_option *o, const char *text, char *message,
                           size_t size);

#endif
