/* savu_phantom.c: the savu_phantom command. Writes an NXtomo file of the 3D
 * modified Shepp–Logan phantom scanned in parallel beam (exact projections,
 * optional noise, rings and zingers), and scores a reconstruction of it:
 *     savu_phantom [options] OUT.nxs
 *     savu_phantom score RESULT.h5[:/dataset/path] --phantom DATA.nxs
 *     savu_phantom truth OUT.h5 --phantom DATA.nxs   (the ideal reconstruction)
 * Exit status 0 on success, 1 when the work fails, 2 for bad usage; every
 * error is one line on stderr. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "phantom_frames.h"
#include "phantom_nxtomo.h"
#include "phantom_result.h"
#include "phantom_score.h"
#include "phantom_truth.h"

#define PROGRAM "savu_phantom"
enum { EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: " PROGRAM " [options] OUT.nxs\n"
    "       " PROGRAM " score RESULT.h5[:/dataset/path] --phantom DATA.nxs [--threads N]\n"
    "       " PROGRAM " truth OUT.h5 --phantom DATA.nxs\n"
    "Writes an NXtomo file of the 3D modified Shepp-Logan phantom; scores a\n"
    "reconstruction of one (RMSE, PSNR, SSIM inside the field of view); writes\n"
    "the ideal reconstruction (the sampled phantom times its scale).\n"
    "\n"
    "  --width N            detector pixels across (160)\n"
    "  --rows N             detector rows (135)\n"
    "  --angles N           projections (180)\n"
    "  --range 180|360      degrees the projections cover (180)\n"
    "  --cor-offset PIXELS  rotation axis at (width-1)/2 + PIXELS (0)\n"
    "  --mu SCALE           attenuation per pixel of phantom value 1 (3.6/width)\n"
    "  --flat-level COUNTS  counts of a flat frame (40000)\n"
    "  --dark-level COUNTS  counts of a dark frame (100)\n"
    "  --darks N            dark frames at each end (5)\n"
    "  --flats N            flat frames at each end (5)\n"
    "  --noise              Poisson noise on every frame\n"
    "  --seed N             seed for noise, rings and zingers (0)\n"
    "  --rings AMPLITUDE    per-pixel gain errors in [1-A, 1+A] on projections (0)\n"
    "  --zingers FRACTION   fraction of projection pixels saturated (0)\n"
    "  --pixel-average      pixels integrate over their width (default: centre ray)\n"
    "  --threads N          threads (one per CPU)\n"
    "  --help, --version\n"
    "See savu_phantom(1).\n";

static int usage_error(const char *fmt, const char *what)
{
    fprintf(stderr, PROGRAM ": ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (see " PROGRAM " --help)\n");
    return EXIT_USAGE;
}

/* Whole numbers and reals: the whole text must be the number. */
static int parse_int(const char *option, const char *text, int *out)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end || value < INT_MIN || value > INT_MAX) {
        fprintf(stderr, PROGRAM ": %s expects a whole number, got '%s'\n", option, text);
        return -1;
    }
    *out = (int)value;
    return 0;
}

static int parse_double(const char *option, const char *text, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(value)) {
        fprintf(stderr, PROGRAM ": %s expects a number, got '%s'\n", option, text);
        return -1;
    }
    *out = value;
    return 0;
}

static int parse_seed(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || end == text || *end || strchr(text, '-')) {
        fprintf(stderr, PROGRAM ": --seed expects a whole number from 0 to %llu, got '%s'\n",
                (unsigned long long)UINT64_MAX, text);
        return -1;
    }
    *out = value;
    return 0;
}

enum {
    OPT_WIDTH = 256, OPT_ROWS, OPT_ANGLES, OPT_RANGE, OPT_COR_OFFSET, OPT_MU, OPT_FLAT_LEVEL,
    OPT_DARK_LEVEL, OPT_DARKS, OPT_FLATS, OPT_NOISE, OPT_SEED, OPT_RINGS, OPT_ZINGERS,
    OPT_PIXEL_AVERAGE, OPT_THREADS, OPT_PHANTOM, OPT_HELP, OPT_VERSION,
};

static const struct option generate_options[] = {
    {"width", required_argument, NULL, OPT_WIDTH},
    {"rows", required_argument, NULL, OPT_ROWS},
    {"angles", required_argument, NULL, OPT_ANGLES},
    {"range", required_argument, NULL, OPT_RANGE},
    {"cor-offset", required_argument, NULL, OPT_COR_OFFSET},
    {"mu", required_argument, NULL, OPT_MU},
    {"flat-level", required_argument, NULL, OPT_FLAT_LEVEL},
    {"dark-level", required_argument, NULL, OPT_DARK_LEVEL},
    {"darks", required_argument, NULL, OPT_DARKS},
    {"flats", required_argument, NULL, OPT_FLATS},
    {"noise", no_argument, NULL, OPT_NOISE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"rings", required_argument, NULL, OPT_RINGS},
    {"zingers", required_argument, NULL, OPT_ZINGERS},
    {"pixel-average", no_argument, NULL, OPT_PIXEL_AVERAGE},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static const struct option phantom_command_options[] = {
    {"phantom", required_argument, NULL, OPT_PHANTOM},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* The long name of option `val` in table, for messages. */
static const char *option_name(const struct option *table, int val)
{
    for (; table->name; table++)
        if (table->val == val)
            return table->name;
    return "?";
}

/* getopt_long's '?' and ':' returns as one line; returns EXIT_USAGE. */
static int bad_option(const struct option *table, int c, char *const argv[])
{
    char name[128];
    if (c == ':') {
        snprintf(name, sizeof name, "--%s", option_name(table, optopt));
        return usage_error("%s needs a value", name);
    }
    return usage_error("unknown option '%s'", argv[optind - 1]);
}

/* Sets one generator option; 0, or -1 after printing why. */
static int set_option(savu_phantom_params *p, int c, const char *arg)
{
    double mu;
    switch (c) {
    case OPT_WIDTH: return parse_int("--width", arg, &p->width);
    case OPT_ROWS: return parse_int("--rows", arg, &p->rows);
    case OPT_ANGLES: return parse_int("--angles", arg, &p->angles);
    case OPT_RANGE: return parse_int("--range", arg, &p->range);
    case OPT_COR_OFFSET: return parse_double("--cor-offset", arg, &p->cor_offset);
    case OPT_FLAT_LEVEL: return parse_double("--flat-level", arg, &p->flat_level);
    case OPT_DARK_LEVEL: return parse_double("--dark-level", arg, &p->dark_level);
    case OPT_DARKS: return parse_int("--darks", arg, &p->darks);
    case OPT_FLATS: return parse_int("--flats", arg, &p->flats);
    case OPT_SEED: return parse_seed(arg, &p->seed);
    case OPT_RINGS: return parse_double("--rings", arg, &p->rings);
    case OPT_ZINGERS: return parse_double("--zingers", arg, &p->zingers);
    case OPT_THREADS: return parse_int("--threads", arg, &p->threads);
    case OPT_NOISE: p->noise = true; return 0;
    case OPT_PIXEL_AVERAGE: p->response = SAVU_PIXEL_AREA; return 0;
    case OPT_MU:
        if (parse_double("--mu", arg, &mu) < 0)
            return -1;
        if (!(mu > 0)) {
            fprintf(stderr, PROGRAM ": --mu must be a positive number, got '%s'\n", arg);
            return -1;
        }
        p->scale = mu;
        return 0;
    default: return -1;
    }
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) * 1e-9;
}

static int generate(int argc, char *argv[])
{
    savu_phantom_params p;
    savu_phantom_params_default(&p);
    int c;
    while ((c = getopt_long(argc, argv, ":", generate_options, NULL)) != -1) {
        if (c == '?' || c == ':')
            return bad_option(generate_options, c, argv);
        if (c == OPT_HELP) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c == OPT_VERSION) {
            puts(PROGRAM " " PACKAGE_VERSION);
            return 0;
        }
        if (set_option(&p, c, optarg) < 0)
            return EXIT_USAGE;
    }
    if (optind != argc - 1)
        return usage_error("%s", optind >= argc ? "expected the output file OUT.nxs"
                                                : "expected one output file");
    savu_error err;
    if (savu_phantom_params_check(&p, &err) < 0)
        return usage_error("%s", err.msg);
    const char *out = argv[optind];
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (savu_phantom_write_nxtomo(&p, out, &err) < 0) {
        fprintf(stderr, PROGRAM ": %s\n", err.msg);
        return EXIT_FAILURE;
    }
    printf("wrote %s: %d frames of %d x %d (%d darks, %d flats, %d projections over %d degrees, "
           "%d flats, %d darks), centre of rotation %g, scale %g, %.2f s\n",
           out, savu_phantom_frame_count(&p), p.rows, p.width, p.darks, p.flats, p.angles,
           p.range, p.flats, p.darks, savu_phantom_params_cor(&p), savu_phantom_params_scale(&p),
           seconds_since(&start));
    return 0;
}

/* "name value": fixed-point or %g with `digits`, "inf" or "nan". */
static void print_metric(const char *name, double value, bool fixed, int digits)
{
    if (isnan(value))
        printf("%s nan\n", name);
    else if (isinf(value))
        printf("%s inf\n", name);
    else if (fixed)
        printf("%s %.*f\n", name, digits, value);
    else
        printf("%s %.*g\n", name, digits, value);
}

/* The arguments of `score` and `truth`: one file, --phantom DATA.nxs (whose
 * record is read into p) and --threads N (into p->threads). Returns -1 to
 * go on, else the exit status. */
static int phantom_command_args(int argc, char *argv[], const char *file_kind,
                                const char **file, savu_phantom_params *p)
{
    const char *phantom_file = NULL;
    int threads = 0, c;
    optind = 1; /* argv[0] is the subcommand */
    while ((c = getopt_long(argc, argv, ":", phantom_command_options, NULL)) != -1) {
        if (c == '?' || c == ':')
            return bad_option(phantom_command_options, c, argv);
        if (c == OPT_HELP) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c == OPT_THREADS) {
            if (parse_int("--threads", optarg, &threads) < 0)
                return EXIT_USAGE;
            if (threads < 1 || threads > 1024)
                return usage_error("--threads must be a whole number from 1 to 1024, got %s",
                                   optarg);
        } else {
            phantom_file = optarg;
        }
    }
    char expected[128];
    snprintf(expected, sizeof expected, "%s expects one file %s", argv[0], file_kind);
    if (optind != argc - 1)
        return usage_error("%s", expected);
    if (!phantom_file)
        return usage_error("%s needs --phantom DATA.nxs", argv[0]);
    *file = argv[optind];
    savu_error err;
    if (savu_phantom_read_record(phantom_file, p, &err) < 0) {
        fprintf(stderr, PROGRAM ": %s\n", err.msg);
        return EXIT_FAILURE;
    }
    p->threads = threads;
    return -1;
}

static int score(int argc, char *argv[])
{
    const char *result;
    savu_phantom_params p;
    int status = phantom_command_args(argc, argv, "RESULT.h5[:/dataset/path]", &result, &p);
    if (status >= 0)
        return status;
    savu_phantom model;
    savu_phantom_params_model(&p, &model);
    savu_error err;
    savu_result_volume volume;
    savu_scores scores;
    if (savu_result_open(&volume, result, p.width, p.rows, &err) < 0) {
        fprintf(stderr, PROGRAM ": %s\n", err.msg);
        return EXIT_FAILURE;
    }
    int threads = p.threads > 0 ? p.threads : savu_frames_default_threads();
    int rc = savu_score_volume(&model, savu_result_read_slice, &volume, threads, &scores, &err);
    savu_result_close(&volume);
    if (rc < 0) {
        fprintf(stderr, PROGRAM ": %s\n", err.msg);
        return EXIT_FAILURE;
    }
    print_metric("rmse", scores.rmse, false, 6);
    print_metric("psnr", scores.psnr, true, 4);
    print_metric("ssim", scores.ssim, true, 6);
    return 0;
}

static int truth(int argc, char *argv[])
{
    const char *out;
    savu_phantom_params p;
    int status = phantom_command_args(argc, argv, "OUT.h5", &out, &p);
    if (status >= 0)
        return status;
    savu_error err;
    if (savu_phantom_write_truth(&p, out, &err) < 0) {
        fprintf(stderr, PROGRAM ": %s\n", err.msg);
        return EXIT_FAILURE;
    }
    printf("wrote %s: %s float32 (%d, %d, %d), scale %g\n", out, SAVU_PHANTOM_TRUTH_PATH,
           p.width, p.rows, p.width, p.scale);
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc >= 2 && strcmp(argv[1], "score") == 0)
        return score(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "truth") == 0)
        return truth(argc - 1, argv + 1);
    return generate(argc, argv);
}
