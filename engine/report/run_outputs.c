/* run_outputs.c: the run's describing files (see run_outputs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "citations_text.h"
#include "output_folder.h"
#include "processed_nexus.h"
#include "run_log.h"
#include "run_outputs.h"

/* <folder>/run_log/<name>, malloc'd. */
static char *run_log_file(const char *folder, const char *name)
{
    char *dir = output_path(folder, RUN_LOG_DIR);
    char *path = dir ? output_path(dir, name) : NULL;
    free(dir);
    return path;
}

static int copy_file(const char *from, const char *to, savu_error *err)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return savu_error_set(err, "cannot read %s: %s", from, strerror(errno));
    FILE *out = fopen(to, "wb");
    int rc = out ? 0 : savu_error_set(err, "cannot write %s: %s", to, strerror(errno));
    char buf[65536];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = savu_error_set(err, "cannot write %s: %s", to, strerror(errno));
    if (out && fclose(out) != 0 && rc == 0)
        rc = savu_error_set(err, "cannot write %s: %s", to, strerror(errno));
    fclose(in);
    return rc;
}

int run_outputs_begin(const struct run *run, int argc, char **argv, savu_error *err)
{
    if (run->rank != 0)
        return 0;
    if (run_command_write(run->folder, argc, argv, err) != 0)
        return -1;
    const char *list = run->opt->process_list, *slash = strrchr(list, '/');
    char *copy = run_log_file(run->folder, slash ? slash + 1 : list);
    int rc = copy ? copy_file(list, copy, err) : savu_error_set(err, "out of memory");
    free(copy);
    return rc;
}

static char *command_line(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *line = calloc(1, n);
    for (int i = 0; line && i < argc; i++) {
        strcat(line, argv[i]);
        if (i + 1 < argc)
            strcat(line, " ");
    }
    return line;
}

static void format_time(time_t t, char *buf, size_t size)
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* One processed_result per dataset with a result file: each stage's stored
 * output and its outputs 1.. (always stored). */
static size_t collect_results(const struct plan *plan, struct processed_result *results,
                              char (*files)[512], char (*groups)[256], char (*data)[300])
{
    size_t n = 0;
    for (size_t i = 0; i < plan->n_stages; i++) {
        const struct stage *st = &plan->stages[i];
        for (int k = st->stored ? 0 : 1; k <= st->n_extra_out; k++) {
            const struct dataset *ds = k == 0 ? st->out : st->extra_out[k - 1].ds;
            stage_result_names(st, ds, files[n], sizeof files[n], groups[n], sizeof groups[n]);
            snprintf(data[n], sizeof data[n], "/%s/data", groups[n]);
            results[n] = (struct processed_result){files[n], data[n], groups[n], ds,
                                                     k == 0 ? st->final : st->extra_out[k - 1].final};
            n++;
        }
    }
    return n;
}

static int write_processed(const struct run *run, int argc, char **argv, time_t started,
                           savu_error *err)
{
    const struct plan *plan = run->plan;
    size_t cap = plan->n_stages * SAVU_MAX_DATASETS;
    struct processed_result *results = calloc(cap, sizeof *results);
    char (*files)[512] = calloc(cap, sizeof *files);
    char (*groups)[256] = calloc(cap, sizeof *groups);
    char (*data)[300] = calloc(cap, sizeof *data);
    char name[600], begin[32], end[32];
    char *line = command_line(argc, argv);
    int rc = -1;
    if (results && files && groups && data && line) {
        size_t n = collect_results(plan, results, files, groups, data);
        format_time(started, begin, sizeof begin);
        format_time(time(NULL), end, sizeof end);
        struct processed_run info = {run->opt->data_file, json_string_value(dataset_meta(plan->loaded, "data_path")),
                                     plan->loaded, line, begin, end, run->ranks,
                                     (const struct dataset *const *)plan->loaded_more,
                                     plan->n_loaded_more};
        snprintf(name, sizeof name, "%s/%s_processed.nxs", run->folder, run->stem);
        rc = processed_nexus_write(name, plan->pl, results, n, &info, err);
    } else {
        savu_error_set(err, "out of memory");
    }
    free(line);
    free(results);
    free(files);
    free(groups);
    free(data);
    return rc;
}

int run_outputs_complete(const struct run *run, int argc, char **argv, time_t started,
                         savu_error *err)
{
    if (run->rank != 0)
        return 0;
    char *log_dir = output_path(run->folder, RUN_LOG_DIR);
    int rc = log_dir ? 0 : savu_error_set(err, "out of memory");
    if (rc == 0)
        rc = citations_text_write(log_dir, run->plan->pl, err);
    free(log_dir);
    if (rc == 0)
        rc = write_processed(run, argc, argv, started, err);
    return rc;
}

void run_outputs_failed(const struct run *run, const char *message)
{
    if (run->rank != 0 || !run->folder)
        return;
    char *path = run_log_file(run->folder, "FAILED");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%s\n", message);
        fclose(f);
    }
    free(path);
}
