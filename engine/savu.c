/* savu.c: the `savu` engine's main: DATA PROCESS_LIST OUT_FOLDER [options],
 * as one process or under mpirun. Plans the run on every rank before any
 * output exists (a plan error names the plugin and parameter and leaves
 * nothing behind), creates the output folder, runs the pipeline, and writes
 * the files that describe the run. Exit status: 0 done, 1 failed, 2 usage,
 * 3 stopped by a `killsignal` file (see savu(1)). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include "config.h"
#include "cpu_binding.h"
#include "cpu_placement.h"
#include "gpu_select.h"
#include "mpi_agree.h"
#include "mpi_transport.h"
#include "output_folder.h"
#include "plan.h"
#include "run.h"
#include "run_log.h"
#include "run_release.h"
#include "run_outputs.h"

enum { EXIT_DONE = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_KILLED = 3 };

static double monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Where rank 0's time went: start-up, the sections, and finishing (the
 * preview, the processed file, closing and renaming the results). */
static void log_phases(const struct run *run, double sections_end, double preview_end)
{
    const double *c = run->clock, end = monotonic_seconds();
    savu_log(LOG_INFO, "phases on rank 0: start-up %.2f s (MPI %.2f, data %.2f, waiting for "
             "the GPU %.2f, plugins %.2f, output files %.2f), sections %.2f s, finishing "
             "%.2f s (preview %.2f)", c[5] - c[0], c[1] - c[0], c[2] - c[1], c[3] - c[2],
             c[4] - c[3], c[5] - c[4], sections_end - c[5], end - sections_end,
             preview_end - sections_end);
}

/* This rank's index among the ranks of its node, and their number. */
static void node_ranks(int *local_rank, int *local_size)
{
    MPI_Comm node;
    *local_rank = 0;
    *local_size = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) ==
        MPI_SUCCESS) {
        MPI_Comm_rank(node, local_rank);
        MPI_Comm_size(node, local_size);
        MPI_Comm_free(&node);
    }
}

/* Rank 0 creates the folder; every rank gets its path (NULL: failed). */
static char *shared_folder(const struct run *run, savu_error *err)
{
    char *folder = NULL;
    int rc = 0;
    if (run->rank == 0) {
        folder = output_folder_create(run->opt->out_dir, run->opt->data_file,
                                      run->opt->folder_name, time(NULL), err);
        rc = folder ? 0 : -1;
    }
    if (mpi_agree(run->comm, rc, err) != 0) {
        free(folder);
        return NULL;
    }
    int len = run->rank == 0 ? (int)strlen(folder) + 1 : 0;
    MPI_Bcast(&len, 1, MPI_INT, 0, run->comm);
    if (run->rank != 0)
        folder = calloc(1, (size_t)len);
    MPI_Bcast(folder, len, MPI_CHAR, 0, run->comm);
    return folder;
}

/* The bytes of frame data all ranks read from the input (darks and flats
 * included), logged so that a preview can be seen to read only its part. */
static void log_bytes_read(const struct run *run)
{
    double mine = plan_bytes_read(run->plan), all = 0;
    MPI_Reduce(&mine, &all, 1, MPI_DOUBLE, MPI_SUM, 0, run->comm);
    savu_log(LOG_INFO, "input: %.0f bytes of frame data read", all);
}

/* The peak resident memory of every rank, for the budget (--max-memory). */
static void log_peak_memory(const struct run *run)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double mine = usage.ru_maxrss / 1024.0, most = 0, sum = 0;
    MPI_Reduce(&mine, &most, 1, MPI_DOUBLE, MPI_MAX, 0, run->comm);
    MPI_Reduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, run->comm);
    savu_log(LOG_INFO, "peak memory per rank: %.0f MiB at most, %.0f MiB on average (budget "
             "%.0f MiB)", most, sum / run->ranks, run->opt->max_memory / 1048576.0);
}

/* <folder>/<stem>_preview.png from the slices collected during the run
 * (collective). */
static int write_preview(const struct run *run, savu_error *err)
{
    if (!run->preview)
        return 0;
    size_t n = strlen(run->folder) + strlen(run->stem) + sizeof "/_preview.png";
    char *png = malloc(n);
    snprintf(png, n, "%s/%s_preview.png", run->folder, run->stem);
    int rc = preview_slices_write(run->preview, run->comm, png, run->opt->threads, err);
    rc = mpi_agree(run->comm, rc, err);
    if (rc == 0)
        savu_log(LOG_INFO, "preview: %s", png);
    free(png);
    return rc;
}

/* Everything after the plan; returns the exit status. */
static int run_in_folder(struct run *run, int argc, char **argv)
{
    time_t started = time(NULL);
    savu_error err = {""};
    char *folder = shared_folder(run, &err);
    if (!folder) {
        savu_log(LOG_ERROR, "%s", err.msg);
        return EXIT_FAILED;
    }
    run->folder = folder;
    run->kill_path = output_path(folder, "killsignal");
    char *log_dir = output_path(folder, RUN_LOG_DIR), *log_path = output_path(log_dir, "log.txt");
    int rc = run->rank == 0 ? run_log_open(log_path, &err) : 0;
    if (rc == 0)
        rc = run_outputs_begin(run, argc, argv, &err);
    rc = mpi_agree(run->comm, rc, &err);
    run->clock[5] = monotonic_seconds();
    double sections_end = run->clock[5];
    if (rc == 0) {
        savu_log(LOG_INFO, "output folder: %s", folder);
        char device[300];
        gpu_describe(run->opt, device, sizeof device);
        savu_log(LOG_INFO, "rank 0 computes on %s (%d rank%s)", device, run->ranks,
                 run->ranks == 1 ? "" : "s");
        plan_log(run->plan);
        const struct stage *last = &run->plan->stages[run->plan->n_stages - 1];
        /* The preview PNG shows central slices of a 3-D result. */
        bool previewed = dataset_simple_3d(last->out, last->out->pattern);
        if (previewed)
            run->preview = preview_slices_new(last->out->shape,
                                              dataset_slice_dim(last->out, last->out->pattern));
        savu_error ignored;
        if (previewed && mpi_agree(run->comm, run->preview ? 0 : -1, &ignored) != 0) {
            savu_log(LOG_WARNING, "no preview PNG: out of memory for the central slices");
            preview_slices_free(run->preview);
            run->preview = NULL;
        }
        rc = pipeline_run(run, &err);
        sections_end = monotonic_seconds();
    }
    log_peak_memory(run);
    double preview_end = sections_end;
    if (rc == 0) {
        log_bytes_read(run);
        rc = write_preview(run, &err);
        preview_end = monotonic_seconds();
    }
    if (rc == 0)
        rc = mpi_agree(run->comm, run_outputs_complete(run, argc, argv, started, &err), &err);
    int status = rc == 0 ? EXIT_DONE : rc > 0 ? EXIT_KILLED : EXIT_FAILED;
    if (status == EXIT_DONE) {
        log_phases(run, sections_end, preview_end);
        savu_log(LOG_INFO, "done in %.0f s: %s", difftime(time(NULL), started), folder);
    } else {
        const char *why = status == EXIT_KILLED ? "stopped by the kill signal" : err.msg;
        savu_log(status == EXIT_KILLED ? LOG_WARNING : LOG_ERROR, "%s", why);
        run_outputs_failed(run, why);
    }
    run_log_close();
    preview_slices_free(run->preview);
    run->preview = NULL;
    free(log_path);
    free(log_dir);
    free(run->kill_path);
    free(folder);
    return status;
}

static int parse(int argc, char **argv, int rank, int local_size, struct engine_options *opt)
{
    savu_error err;
    if (engine_options_parse(argc, argv, local_size, opt, &err) != 0) {
        if (rank == 0)
            fprintf(stderr, "savu: %s\n%s", err.msg, "Try 'savu --help'.\n");
        return EXIT_USAGE;
    }
    if (opt->show_help || opt->show_version) {
        if (rank == 0)
            fputs(opt->show_help ? engine_usage() : "savu " PACKAGE_VERSION "\n", stdout);
        return EXIT_DONE;
    }
    return -1;
}

int main(int argc, char **argv)
{
    /* Each section's I/O thread makes the MPI calls of its block loop while
     * the main thread computes: never two at once. */
    double started = monotonic_seconds();
    gpu_warm_up_begin(argc, argv);
    bool asked_ob1 = mpi_transport_choose();
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    struct run run = {.comm = MPI_COMM_WORLD, .clock = {started, monotonic_seconds()}};
    MPI_Comm_rank(run.comm, &run.rank);
    MPI_Comm_size(run.comm, &run.ranks);
    struct engine_options opt;
    int local_rank, local_size;
    node_ranks(&local_rank, &local_size);
    int status = parse(argc, argv, run.rank, local_size, &opt);
    if (status >= 0) {
        gpu_warm_up_end();
        MPI_Finalize();
        return status;
    }
    run.opt = &opt;
    int bound_to = cpu_binding_widen(opt.threads);
    enum log_verbosity v = opt.verbosity == 0 ? LOG_QUIET : opt.verbosity == 1 ? LOG_NORMAL
                                                                                : LOG_VERBOSE;
    /* Every rank plans; rank 0 alone tells of it. */
    run_log_init(run.rank, run.rank == 0 ? v : LOG_QUIET);
    if (bound_to > 0)
        savu_log(LOG_WARNING, "mpirun bound this process to %d CPU%s, fewer than its %d "
                 "threads: it runs on all the node's CPUs instead (as with mpirun --bind-to "
                 "none; --threads sets the threads)", bound_to, bound_to == 1 ? "" : "s",
                 opt.threads);
    if (asked_ob1)
        savu_log(LOG_DEBUG, "all ranks on one node: Open MPI's ob1 transport (OMPI_MCA_pml=ob1; "
                            "set OMPI_MCA_pml to choose another)");
    if (provided < MPI_THREAD_SERIALIZED)
        savu_log(LOG_WARNING, "this MPI library does not promise MPI_THREAD_SERIALIZED, which "
                              "the I/O threads need");
    /* The data are opened (darks and flats read) while the GPU starts on its
     * thread; the plugins are set up once the GPU is known. */
    savu_error err = {""};
    int rc = mpi_agree(run.comm, plan_open(&opt, &run.plan, &err), &err);
    run.clock[2] = monotonic_seconds();
    if (rc == 0)
        rc = mpi_agree(run.comm, gpu_select(&opt, local_rank, &err), &err);
    run.clock[3] = monotonic_seconds();
    /* On the CPU, this rank's compute threads on CPUs of their own (the
     * plugins' thread pools are created next, on them). */
    int placed = rc == 0 && opt.gpu_device < 0 && opt.cpu_bind_auto && bound_to == 0
                     ? cpu_placement_apply(local_rank, local_size, opt.threads) : 0;
    if (placed > 0) {
        char cpus[256];
        cpu_placement_describe(cpus, sizeof cpus);
        savu_log(LOG_DEBUG, "rank %d's compute threads on CPU%s %s, its I/O threads on all the "
                 "process's CPUs (--cpu-bind auto)", run.rank,
                 placed == 1 ? "" : "s", cpus);
    }
    if (rc == 0)
        rc = mpi_agree(run.comm, plan_add_plugins(run.plan, &opt, &err), &err);
    run.clock[4] = monotonic_seconds();
    run_log_init(run.rank, v);
    char *stem = output_stem(opt.data_file);
    run.stem = stem;
    if (rc != 0) {
        savu_log(LOG_ERROR, "%s", err.msg);
        status = EXIT_FAILED;
    } else {
        status = run_in_folder(&run, argc, argv);
    }
    run_release_wait(&run);
    plan_free(run.plan);
    free(stem);
    MPI_Finalize();
    return status;
}
