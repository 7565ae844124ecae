/* options.c: parsing the command line of `savu` and its defaults: the
 * memory budget (half the machine's memory shared by the ranks of the node,
 * at most 16 GiB) and compute threads (the cores shared by the ranks). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "options.h"

#define DEFAULT_MEMORY_CAP (16.0 * 1024 * 1024 * 1024)

const char *engine_usage(void)
{
    return "usage: savu DATA PROCESS_LIST OUT_FOLDER [options]\n"
           "Runs a process list over an NXtomo file; run it under `mpirun -np N savu ...`\n"
           "for N processes.\n"
           "  -f, --folder NAME      name of the output folder (default YYYYmmddHHMMSS_<stem>)\n"
           "  -d, --tmp DIR          folder for the intermediate reslice file\n"
           "      --max-memory SIZE  memory budget per process, e.g. 512M, 4G\n"
           "  -t, --threads N        compute threads per process\n"
           "      --cpu-bind MODE    none (default) or auto (on the CPU, each process's\n"
           "                         compute threads on CPUs of their own when they fit)\n"
           "      --balance MODE     auto (default: the ranks of one node take the last\n"
           "                         section's blocks as they go) or off (each its own)\n"
           "      --io MODE          posix (default: data read and written straight from\n"
           "                         and to the files on several threads) or hdf5\n"
           "      --io-threads N     threads per process that read the input, and as many\n"
           "                         that write (default: the compute threads, at most 8)\n"
           "      --output-dtype T   float32 (default), float16 or uint16 results (half\n"
           "                         the bytes); uint16 needs --output-range MIN:MAX\n"
           "      --output-range MIN:MAX  the values stored as 0 and 65535 in uint16\n"
           "      --reslice MODE     auto (default), memory or file\n"
           "      --keep-intermediate  keep every plugin's output and the reslice file\n"
           "      --gpu MODE         auto (a GPU when there is one, default), on or off\n"
           "      --gpu-precision P  fp32 (default) or fp16x4 (4 slices per half4 texel)\n"
           "  -v, --verbose          more messages;  -q, --quiet  errors only\n"
           "      --version          print the version;  -h, --help  this help\n"
           "See savu(1).\n";
}

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

enum { OPT_MAX_MEMORY = 256, OPT_RESLICE, OPT_KEEP, OPT_VERSION, OPT_GPU, OPT_GPU_PRECISION,
       OPT_IO, OPT_IO_THREADS, OPT_OUTPUT_DTYPE, OPT_OUTPUT_RANGE, OPT_CPU_BIND, OPT_BALANCE };

#define DEFAULT_IO_THREADS_CAP 8

/* One of the words (NULL-terminated) for option `name`: its position, or
 * -1 with err ("NAME: expected A, B or C, not 'TEXT'"). */
static int parse_word(const char *name, const char *text, const char *const *words,
                      savu_error *err)
{
    char expected[128] = "";
    int n = 0;
    for (; words[n]; n++)
        if (strcmp(text, words[n]) == 0)
            return n;
    for (int i = 0; i < n; i++) {
        size_t used = strlen(expected);
        snprintf(expected + used, sizeof expected - used, "%s%s",
                 i == 0 ? "" : i + 1 == n ? " or " : ", ", words[i]);
    }
    return savu_error_set(err, "%s: expected %s, not '%s'", name, expected, text);
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

int engine_options_parse(int argc, char **argv, int local_ranks, struct engine_options *opt,
                         savu_error *err)
{
    static const struct option longs[] = {
        {"folder", required_argument, NULL, 'f'},
        {"tmp", required_argument, NULL, 'd'},
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
        {"threads", required_argument, NULL, 't'},
        {"io", required_argument, NULL, OPT_IO},
        {"io-threads", required_argument, NULL, OPT_IO_THREADS},
        {"output-dtype", required_argument, NULL, OPT_OUTPUT_DTYPE},
        {"output-range", required_argument, NULL, OPT_OUTPUT_RANGE},
        {"reslice", required_argument, NULL, OPT_RESLICE},
        {"keep-intermediate", no_argument, NULL, OPT_KEEP},
        {"gpu", required_argument, NULL, OPT_GPU},
        {"gpu-precision", required_argument, NULL, OPT_GPU_PRECISION},
        {"cpu-bind", required_argument, NULL, OPT_CPU_BIND},
        {"balance", required_argument, NULL, OPT_BALANCE},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(opt, 0, sizeof *opt);
    opt->verbosity = 1;
    opt->gpu_device = -1;
    opt->max_memory = default_memory(local_ranks);
    opt->threads = default_threads(local_ranks);
    opterr = 0;
    optind = 0; /* glibc: 0 starts afresh (1 would resume a cluster such as -hq
                 * that an earlier call left half-read) */
    int c, word;
    while ((c = getopt_long(argc, argv, "f:d:t:vqh", longs, NULL)) != -1) {
        switch (c) {
        case 'f': opt->folder_name = optarg; break;
        case 'd': opt->tmp_dir = optarg; break;
        case 't':
            if (parse_count("--threads", optarg, 4096, &opt->threads, err) < 0)
                return -1;
            break;
        case OPT_IO_THREADS:
            if (parse_count("--io-threads", optarg, 256, &opt->io_threads, err) < 0)
                return -1;
            break;
        case OPT_IO:
            if ((word = parse_word("--io", optarg, (const char *[]){"posix", "hdf5", NULL},
                                   err)) < 0)
                return -1;
            opt->io_hdf5 = word == 1;
            break;
        case OPT_OUTPUT_DTYPE: {
            static const enum output_dtype dtypes[] = {OUTPUT_FLOAT32, OUTPUT_FLOAT16,
                                                       OUTPUT_UINT16};
            if ((word = parse_word("--output-dtype", optarg,
                                   (const char *[]){"float32", "float16", "uint16", NULL},
                                   err)) < 0)
                return -1;
            opt->output_dtype = dtypes[word];
            break;
        }
        case OPT_OUTPUT_RANGE:
            if (parse_range(optarg, &opt->output_min, &opt->output_max) < 0)
                return savu_error_set(err, "--output-range: expected MIN:MAX, two numbers with "
                                           "MIN < MAX, not '%s'", optarg);
            opt->have_output_range = true;
            break;
        case OPT_MAX_MEMORY:
            opt->max_memory = parse_memory_size(optarg);
            if (opt->max_memory < 0)
                return savu_error_set(err, "--max-memory: expected a size such as 512M or 4G, "
                                           "not '%s'", optarg);
            break;
        case OPT_RESLICE: {
            static const enum reslice_mode modes[] = {RESLICE_AUTO, RESLICE_MEMORY, RESLICE_FILE};
            if ((word = parse_word("--reslice", optarg,
                                   (const char *[]){"auto", "memory", "file", NULL}, err)) < 0)
                return -1;
            opt->reslice = modes[word];
            break;
        }
        case OPT_KEEP: opt->keep_intermediate = true; break;
        case OPT_GPU: {
            static const enum gpu_mode modes[] = {GPU_AUTO, GPU_ON, GPU_OFF};
            if ((word = parse_word("--gpu", optarg, (const char *[]){"auto", "on", "off", NULL},
                                   err)) < 0)
                return -1;
            opt->gpu = modes[word];
            break;
        }
        case OPT_GPU_PRECISION:
            if ((word = parse_word("--gpu-precision", optarg,
                                   (const char *[]){"fp32", "fp16x4", NULL}, err)) < 0)
                return -1;
            opt->gpu_fp16 = word == 1;
            break;
        case OPT_CPU_BIND:
            if ((word = parse_word("--cpu-bind", optarg, (const char *[]){"auto", "none", NULL},
                                   err)) < 0)
                return -1;
            opt->cpu_bind_auto = word == 0;
            break;
        case OPT_BALANCE:
            if ((word = parse_word("--balance", optarg, (const char *[]){"auto", "off", NULL},
                                   err)) < 0)
                return -1;
            opt->balance_off = word == 1;
            break;
        case 'v': opt->verbosity = 2; break;
        case 'q': opt->verbosity = 0; break;
        case OPT_VERSION: opt->show_version = true; return 0;
        case 'h': opt->show_help = true; return 0;
        default:
            /* An unknown short option is named by its letter (it may sit inside
             * a cluster such as -vx); anything else (an unknown, ambiguous or
             * misused long option, a missing argument) as it was written. */
            if (optopt > 0 && optopt < 256 && !strchr("fdtvqh", optopt))
                return savu_error_set(err, "unknown or incomplete option '-%c' (see savu --help)",
                                      optopt);
            return savu_error_set(err, "unknown or incomplete option '%s' (see savu --help)",
                                  argv[optind - 1]);
        }
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
