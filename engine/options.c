/* options.c: parsing the command line of `savu` and its defaults: the
 * memory budget (half the machine's memory shared by the ranks of the node,
 * at most 16 GiB) and compute threads (the cores shared by the ranks). The
 * options, their choices and the messages naming them come from the one
 * table of them (lists/run_options.h); the usage text is options_usage.c. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "options.h"
#include "run_options.h"

#define DEFAULT_MEMORY_CAP (16.0 * 1024 * 1024 * 1024)

double parse_memory_size(const char *text)
{
    /* Only plain decimals: strtod alone would also take " 5", "+5", "0x10",
     * "1e3", "inf" and "nan" (which would pass the v <= 0 test). */
    const char *c = text;
    size_t digits = strspn(c, "0123456789");
    c += digits;
    if (*c == '.') {
        size_t fraction = strspn(c + 1, "0123456789");
        digits += fraction;
        c += 1 + fraction;
    }
    if (digits == 0)
        return -1;
    char *end;
    double v = strtod(text, &end);
    if (end != c || !(v > 0) || !isfinite(v))
        return -1;
    double scale = 1;
    switch (*end) {
    case 'k': case 'K': scale = 1024.0; end++; break;
    case 'm': case 'M': scale = 1024.0 * 1024; end++; break;
    case 'g': case 'G': scale = 1024.0 * 1024 * 1024; end++; break;
    case 't': case 'T': scale = 1024.0 * 1024 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'i' && scale > 1)
        end++;
    if (*end == 'B' || *end == 'b')
        end++;
    return *end || !isfinite(v * scale) ? -1 : v * scale;
}

static double default_memory(int local_ranks)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    double total = (pages > 0 && page > 0) ? (double)pages * page : 4.0 * 1024 * 1024 * 1024;
    double m = total / 2 / (local_ranks > 0 ? local_ranks : 1);
    return m < DEFAULT_MEMORY_CAP ? m : DEFAULT_MEMORY_CAP;
}

static int default_threads(int local_ranks)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long t = cores / (local_ranks > 0 ? local_ranks : 1);
    return t > 0 ? (int)t : 1;
}

#define DEFAULT_IO_THREADS_CAP 8

/* The word given to choice option id: its place among the table's choices,
 * or -1 with err ("--io: expected posix or hdf5, not 'TEXT'"). */
static int parse_choice(savu_run_option_id id, const char *text, savu_error *err)
{
    char message[sizeof err->msg];
    int word = savu_run_option_choice(savu_run_option_at(id), text, message, sizeof message);
    if (word < 0)
        savu_error_set(err, "%s", message);
    return word;
}

/* "MIN:MAX", two finite numbers with MIN < MAX; 0, or -1. */
static int parse_range(const char *text, double *min, double *max)
{
    char *end;
    double lo = strtod(text, &end);
    if (end == text || *end != ':')
        return -1;
    const char *rest = end + 1;
    double hi = strtod(rest, &end);
    if (end == rest || *end || !isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return -1;
    *min = lo;
    *max = hi;
    return 0;
}

/* A whole number from 1 to most for option `name`; 0, or -1 with err. */
static int parse_count(const char *name, const char *text, int most, int *out, savu_error *err)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < 1 || v > most)
        return savu_error_set(err, "%s: expected a whole number from 1 to %d, not '%s'", name,
                              most, text);
    *out = (int)v;
    return 0;
}

/* getopt_long's tables from the option table: the long options (each
 * returning its short letter, or LONG_ONLY + its id) and the short ones
 * ("f:d:t:vqh"). */
#define LONG_ONLY 256
static void getopt_tables(struct option longs[SAVU_RUN_OPTION_COUNT + 1],
                          char shorts[2 * SAVU_RUN_OPTION_COUNT + 1])
{
    size_t n = 0;
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const savu_run_option *o = savu_run_option_at(id);
        int letter = o->short_name ? o->short_name[1] : 0;
        longs[id] = (struct option){o->long_name + 2, o->arg_name ? required_argument : no_argument,
                                    NULL, letter ? letter : LONG_ONLY + id};
        if (letter) {
            shorts[n++] = (char)letter;
            if (o->arg_name)
                shorts[n++] = ':';
        }
    }
    longs[SAVU_RUN_OPTION_COUNT] = (struct option){NULL, 0, NULL, 0};
    shorts[n] = '\0';
}

/* The option getopt_long returned c for, or -1 (c is '?'). */
static int option_id(int c)
{
    if (c >= LONG_ONLY && c < LONG_ONLY + SAVU_RUN_OPTION_COUNT)
        return c - LONG_ONLY;
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++) {
        const char *short_name = savu_run_option_at(id)->short_name;
        if (short_name && short_name[1] == c)
            return id;
    }
    return -1;
}

/* An option getopt_long did not take: an unknown short option is named by
 * its letter (it may sit inside a cluster such as -vx); anything else (an
 * unknown, ambiguous or misused long option, a missing argument) as it was
 * written. */
static int unknown_option(char **argv, savu_error *err)
{
    if (optopt > 0 && optopt < LONG_ONLY && option_id(optopt) < 0)
        return savu_error_set(err, "unknown or incomplete option '-%c' (see savu --help)",
                              optopt);
    return savu_error_set(err, "unknown or incomplete option '%s' (see savu --help)",
                          argv[optind - 1]);
}

/* Takes option id with its argument arg (NULL for a flag) into opt. 0, 1
 * when the parse stops there (--help, --version), or -1 with err. No
 * default: the compiler names a table option not handled here. */
static int take_option(savu_run_option_id id, const char *arg, struct engine_options *opt,
                       savu_error *err)
{
    static const enum output_dtype dtypes[] = {OUTPUT_FLOAT32, OUTPUT_FLOAT16, OUTPUT_UINT16};
    static const enum reslice_mode reslice_modes[] = {RESLICE_AUTO, RESLICE_MEMORY, RESLICE_FILE};
    static const enum gpu_mode gpu_modes[] = {GPU_AUTO, GPU_ON, GPU_OFF};
    int word = 0;
    if (savu_run_option_at(id)->choices && (word = parse_choice(id, arg, err)) < 0)
        return -1;
    switch (id) {
    case SAVU_OPT_FOLDER: opt->folder_name = arg; break;
    case SAVU_OPT_TMP: opt->tmp_dir = arg; break;
    case SAVU_OPT_THREADS: return parse_count("--threads", arg, 4096, &opt->threads, err);
    case SAVU_OPT_IO_THREADS: return parse_count("--io-threads", arg, 256, &opt->io_threads, err);
    case SAVU_OPT_IO: opt->io_hdf5 = word == 1; break;
    case SAVU_OPT_OUTPUT_DTYPE: opt->output_dtype = dtypes[word]; break;
    case SAVU_OPT_OUTPUT_RANGE:
        if (parse_range(arg, &opt->output_min, &opt->output_max) < 0)
            return savu_error_set(err, "--output-range: expected MIN:MAX, two numbers with "
                                       "MIN < MAX, not '%s'", arg);
        opt->have_output_range = true;
        break;
    case SAVU_OPT_MAX_MEMORY:
        opt->max_memory = parse_memory_size(arg);
        if (opt->max_memory < 0)
            return savu_error_set(err, "--max-memory: expected a size such as 512M or 4G, "
                                       "not '%s'", arg);
        break;
    case SAVU_OPT_RESLICE: opt->reslice = reslice_modes[word]; break;
    case SAVU_OPT_KEEP_INTERMEDIATE: opt->keep_intermediate = true; break;
    case SAVU_OPT_GPU: opt->gpu = gpu_modes[word]; break;
    case SAVU_OPT_GPU_PRECISION: opt->gpu_fp16 = word == 1; break;
    case SAVU_OPT_CPU_BIND: opt->cpu_bind_auto = word == 0; break;
    case SAVU_OPT_BALANCE: opt->balance_off = word == 1; break;
    case SAVU_OPT_VERBOSE: opt->verbosity = 2; break;
    case SAVU_OPT_QUIET: opt->verbosity = 0; break;
    case SAVU_OPT_VERSION: opt->show_version = true; return 1;
    case SAVU_OPT_HELP: opt->show_help = true; return 1;
    case SAVU_RUN_OPTION_COUNT: break;
    }
    return 0;
}

int engine_options_parse(int argc, char **argv, int local_ranks, struct engine_options *opt,
                         savu_error *err)
{
    struct option longs[SAVU_RUN_OPTION_COUNT + 1];
    char shorts[2 * SAVU_RUN_OPTION_COUNT + 1];
    getopt_tables(longs, shorts);
    memset(opt, 0, sizeof *opt);
    opt->verbosity = 1;
    opt->gpu_device = -1;
    opt->max_memory = default_memory(local_ranks);
    opt->threads = default_threads(local_ranks);
    opterr = 0;
    optind = 0; /* glibc: 0 starts afresh (1 would resume a cluster such as -hq
                 * that an earlier call left half-read) */
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        int id = option_id(c);
        if (id < 0)
            return unknown_option(argv, err);
        int taken = take_option((savu_run_option_id)id, optarg, opt, err);
        if (taken != 0)
            return taken < 0 ? -1 : 0;
    }
    if (!opt->io_threads)
        opt->io_threads = opt->threads < DEFAULT_IO_THREADS_CAP ? opt->threads
                                                                : DEFAULT_IO_THREADS_CAP;
    if (opt->output_dtype == OUTPUT_UINT16 && !opt->have_output_range)
        return savu_error_set(err, "--output-dtype uint16 needs --output-range MIN:MAX (the "
                                   "values stored as 0 and 65535)");
    if (opt->output_dtype != OUTPUT_UINT16 && opt->have_output_range)
        return savu_error_set(err, "--output-range applies to --output-dtype uint16 only");
    if (argc - optind != 3)
        return savu_error_set(err, "expected DATA PROCESS_LIST OUT_FOLDER, got %d argument%s "
                                   "(see savu --help)", argc - optind,
                              argc - optind == 1 ? "" : "s");
    opt->data_file = argv[optind];
    opt->process_list = argv[optind + 1];
    opt->out_dir = argv[optind + 2];
    return 0;
}
