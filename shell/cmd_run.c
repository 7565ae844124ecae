/* cmd_run.c: `run DATA OUT_FOLDER [-n N] [engine options]`: runs the current
 * list with the savu engine. Before anything starts it checks the values of
 * the engine's choice options (cmd_run_options.c says which engine options
 * run takes and passes on), the list (as save does, and that every plugin
 * is available here), that DATA is an HDF5 file it can open and OUT_FOLDER
 * a folder it may write in, finds the engine and builds the launcher's
 * command (run_launch.c). It then chooses the output folder's name itself
 * and passes it with -f (the engine's own default, YYYYmmddHHMMSS_<stem>,
 * with _2, _3 ... added when taken), so the folder is known before the
 * engine says so, even with -q. It saves the list: to its file when it has
 * one and has changed, else next to the output as OUT_FOLDER/<folder
 * name>.nxs (which does not become the list's file). It runs the engine
 * (run_stream.c: output streamed, Ctrl-C writes killsignal), then prints
 * the output folder, the preview image and the exit status. A status other
 * than 0 makes the command fail, so that a script stops there. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <hdf5.h>
#include "cmd_common.h"
#include "cmd_run_options.h"
#include "command_table.h"
#include "nexus.h"
#include "run_engine.h"

#define MAX_PROCS 100000

/* What the checks found, and what is needed to start. */
typedef struct run_plan {
    char *data;          /* absolute */
    char *out_dir;       /* absolute */
    char *name;          /* the output folder's name */
    char *folder;        /* out_dir/name */
    char *list_path;     /* where the list is (or will be) saved, absolute */
    bool save_list;      /* it must be written before the run */
    bool adopt;          /* it is the list's own file (mark saved afterwards) */
    int nprocs;
    char *engine;
    run_strv command, env;
} run_plan;

static void plan_free(run_plan *p)
{
    free(p->data);
    free(p->out_dir);
    free(p->name);
    free(p->folder);
    free(p->list_path);
    free(p->engine);
    run_strv_free(&p->command);
    run_strv_free(&p->env);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* ---- checks ---- */

static int check_list(const savu_process_list *pl, savu_error *err)
{
    if (shell_check_loaders(pl, err) < 0)
        return savu_error_prefix(err, "run: ");
    for (size_t i = 0; i < pl->n; i++)
        if (!pl->entries[i]->plugin)
            return savu_error_set(err, "run: plugin %s (%s) is not available in this savu, so the "
                                       "list cannot be run", pl->entries[i]->pos,
                                  pl->entries[i]->name);
    return 0;
}

static int check_nprocs(const shell_args *a, int *nprocs, savu_error *err)
{
    *nprocs = 1;
    if (!shell_args_has(a, RUN_NPROCS))
        return 0;
    const char *text = a->values[RUN_NPROCS][0];
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno || end == text || *end || n < 1 || n > MAX_PROCS)
        return savu_error_set(err, "run: -n: expected a number of processes from 1 to %d, not "
                                   "'%s'", MAX_PROCS, text);
    *nprocs = (int)n;
    return 0;
}

/* DATA: an HDF5 file this process can open read-only. Its absolute path. */
static char *check_data(const char *path, savu_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            savu_error_set(err, "run: the data file '%s' does not exist", path);
        else
            savu_error_set(err, "run: the data file '%s' is not accessible: %s", path,
                           strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        savu_error_set(err, "run: the data file '%s' is a folder", path);
        return NULL;
    }
    if (access(path, R_OK) != 0) {
        savu_error_set(err, "run: the data file '%s' is not readable: %s", path, strerror(errno));
        return NULL;
    }
    H5E_auto2_t printer = NULL;
    void *printer_data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &printer, &printer_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* our message instead of HDF5's stack */
#if H5_VERSION_GE(1, 12, 0)
    htri_t is_hdf5 = H5Fis_accessible(path, H5P_DEFAULT);
#else
    htri_t is_hdf5 = H5Fis_hdf5(path);
#endif
    hid_t file = is_hdf5 > 0 ? H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
    if (file >= 0)
        H5Fclose(file);
    H5Eset_auto2(H5E_DEFAULT, printer, printer_data);
    if (is_hdf5 <= 0) {
        savu_error_set(err, "run: the data file '%s' is not an HDF5 file", path);
        return NULL;
    }
    if (file < 0) {
        savu_error_set(err, "run: the data file '%s' cannot be opened as an HDF5 file", path);
        return NULL;
    }
    char *abs = realpath(path, NULL);
    if (!abs)
        savu_error_set(err, "run: the data file '%s' is not accessible: %s", path,
                       strerror(errno));
    return abs;
}

/* OUT_FOLDER: an existing folder this process may create entries in. */
static char *check_out_dir(const char *path, savu_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            savu_error_set(err, "run: the output folder '%s' does not exist", path);
        else
            savu_error_set(err, "run: the output folder '%s' is not accessible: %s", path,
                           strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        savu_error_set(err, "run: the output folder '%s' is not a folder", path);
        return NULL;
    }
    if (access(path, W_OK | X_OK) != 0) {
        savu_error_set(err, "run: the output folder '%s' is not writable: %s", path,
                       strerror(errno));
        return NULL;
    }
    char *abs = realpath(path, NULL);
    if (!abs)
        savu_error_set(err, "run: the output folder '%s' is not accessible: %s", path,
                       strerror(errno));
    return abs;
}

/* The data file's name without its folder and its last extension (as the
 * engine names its outputs). */
static char *data_stem(const char *data)
{
    const char *base = strrchr(data, '/');
    base = base ? base + 1 : data;
    const char *dot = strrchr(base + (base[0] != '\0'), '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    return len ? strndup(base, len) : strdup("data");
}

/* -f NAME, or YYYYmmddHHMMSS_<stem> (then _2, _3 ... while it, or its
 * list file when the list is to be saved next to it, is taken). */
static int choose_name(const shell_args *a, run_plan *p, bool list_beside, savu_error *err)
{
    int folder_option = shell_run_option_index(SAVU_OPT_FOLDER);
    if (shell_args_has(a, folder_option)) {
        char *name = shell_unquote(a->values[folder_option][0]);
        if (!name)
            return savu_error_set(err, "out of memory");
        p->name = name;
        if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            return savu_error_set(err, "run: -f: the folder name '%s' must be one name, without "
                                       "'/'", name);
        if (asprintf(&p->folder, "%s/%s", p->out_dir, name) < 0)
            return savu_error_set(err, "out of memory");
        if (exists(p->folder))
            return savu_error_set(err, "run: the output folder '%s' exists already", p->folder);
        return 0;
    }
    char *stem = data_stem(p->data);
    if (!stem)
        return savu_error_set(err, "out of memory");
    time_t now = time(NULL);
    struct tm local;
    char stamp[32];
    if (!localtime_r(&now, &local) || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &local) == 0)
        snprintf(stamp, sizeof stamp, "%lld", (long long)now);
    int rc = -1;
    for (int k = 1; k <= 1000 && rc < 0; k++) {
        char *name = NULL, *folder = NULL, *list = NULL;
        if ((k == 1 ? asprintf(&name, "%s_%s", stamp, stem)
                    : asprintf(&name, "%s_%s_%d", stamp, stem, k)) < 0)
            break;
        if (asprintf(&folder, "%s/%s", p->out_dir, name) < 0 ||
            asprintf(&list, "%s/%s.nxs", p->out_dir, name) < 0) {
            free(name);
            free(folder);
            break;
        }
        if (!exists(folder) && !(list_beside && exists(list))) {
            p->name = name;
            p->folder = folder;
            rc = 0;
        } else {
            free(name);
            free(folder);
        }
        free(list);
    }
    free(stem);
    if (rc < 0)
        savu_error_set(err, "run: cannot find a free output folder name in '%s'", p->out_dir);
    return rc;
}

/* Where the list goes: its own file (saved when it has changed or is
 * gone), else out_dir/NAME.nxs. */
static int choose_list_path(const shell_session *s, run_plan *p, savu_error *err)
{
    if (s->filename) {
        p->adopt = true;
        p->save_list = shell_session_modified(s) || !exists(s->filename);
        if (s->filename[0] == '/') {
            p->list_path = strdup(s->filename);
        } else {
            char cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd))
                return savu_error_set(err, "run: cannot find the working folder: %s",
                                      strerror(errno));
            if (asprintf(&p->list_path, "%s/%s", cwd, s->filename) < 0)
                p->list_path = NULL;
        }
        return p->list_path ? 0 : savu_error_set(err, "out of memory");
    }
    p->save_list = true;
    if (asprintf(&p->list_path, "%s/%s.nxs", p->out_dir, p->name) < 0)
        return savu_error_set(err, "out of memory");
    if (exists(p->list_path))
        return savu_error_set(err, "run: '%s' exists already: the list would be saved there "
                                   "(choose another -f NAME, or save the list first)",
                              p->list_path);
    return 0;
}

/* DATA LIST OUT -f NAME, then the engine options given. */
static int engine_arguments(const shell_args *a, const run_plan *p, run_strv *out,
                            savu_error *err)
{
    memset(out, 0, sizeof *out);
    bool ok = run_strv_add(out, p->data) == 0 && run_strv_add(out, p->list_path) == 0 &&
              run_strv_add(out, p->out_dir) == 0 && run_strv_add(out, "-f") == 0 &&
              run_strv_add(out, p->name) == 0 && shell_run_add_engine_options(a, out) == 0;
    if (!ok) {
        run_strv_free(out);
        return savu_error_set(err, "out of memory");
    }
    return 0;
}

/* Everything that can be known before the list is saved and the engine
 * started. */
static int prepare(shell_session *s, const shell_args *a, run_plan *p, savu_error *err)
{
    if (shell_run_check_choices(a, err) < 0 || check_list(s->list, err) < 0 ||
        check_nprocs(a, &p->nprocs, err) < 0)
        return -1;
    char *data = shell_unquote(a->pos[0]), *out = shell_unquote(a->pos[1]);
    if (!data || !out) {
        free(data);
        free(out);
        return savu_error_set(err, "out of memory");
    }
    p->data = check_data(data, err);
    if (p->data)
        p->out_dir = check_out_dir(out, err);
    free(data);
    free(out);
    if (!p->data || !p->out_dir)
        return -1;
    if (choose_name(a, p, !s->filename, err) < 0 || choose_list_path(s, p, err) < 0)
        return -1;
    p->engine = run_find_engine(err);
    if (!p->engine)
        return -1;
    run_strv args;
    if (engine_arguments(a, p, &args, err) < 0)
        return -1;
    int rc = run_build_command(p->nprocs, p->engine, args.v, args.n, &p->command, err);
    run_strv_free(&args);
    if (rc == 0 && run_child_environment(&p->env) < 0)
        rc = savu_error_set(err, "out of memory");
    return rc;
}

/* ---- after the run ---- */

static const char *status_meaning(int status)
{
    switch (status) {
    case 0: return "done";
    case 2: return "usage error";
    case 3: return "stopped by the kill signal";
    default: return "failed";
    }
}

/* The preview image: as the engine said, else <folder>/<stem>_preview.png
 * when it is there. */
static char *preview_path(const run_outcome *o, const run_plan *p)
{
    if (o->preview)
        return strdup(o->preview);
    char *stem = data_stem(p->data), *path = NULL;
    if (stem && asprintf(&path, "%s/%s_preview.png", o->folder, stem) < 0)
        path = NULL;
    free(stem);
    if (path && !exists(path)) {
        free(path);
        path = NULL;
    }
    return path;
}

static int report(const run_outcome *o, const run_plan *p, savu_error *err)
{
    struct stat st;
    bool done = o->exited && o->status == 0;
    if (o->folder && stat(o->folder, &st) == 0 && S_ISDIR(st.st_mode))
        printf("Output folder: %s\n", o->folder);
    if (done) {
        char *preview = preview_path(o, p);
        if (preview)
            printf("Preview: %s\n", preview);
        free(preview);
    }
    if (o->exited)
        printf("Exit status: %d (%s)\n", o->status, status_meaning(o->status));
    else
        printf("Exit status: killed by signal %d (%s)\n", o->status, strsignal(o->status));
    fflush(stdout);
    if (done)
        return 0;
    if (!o->exited)
        return savu_error_set(err, "run: savu was killed by signal %d", o->status);
    switch (o->status) {
    case 2: return savu_error_set(err, "run: savu did not accept its command line (exit status 2)");
    case 3: return savu_error_set(err, "run: savu was stopped (exit status 3)");
    default: return savu_error_set(err, "run: savu failed (exit status %d)", o->status);
    }
}

int cmd_run(shell_session *s, const shell_args *a, savu_error *err)
{
    run_plan p;
    memset(&p, 0, sizeof p);
    int rc = prepare(s, a, &p, err);
    if (rc == 0 && p.save_list) {
        printf("Saving file %s\n", p.list_path);
        rc = savu_nexus_write(s->list, p.list_path, err);
        if (rc == 0 && p.adopt)
            shell_session_mark_saved(s);
    }
    if (rc < 0) {
        plan_free(&p);
        return -1;
    }
    char *shown = run_command_text(p.command.v);
    printf("Running: %s\n", shown ? shown : p.command.v[0]);
    free(shown);
    run_outcome o;
    rc = run_engine_stream(p.command.v, p.env.v, p.folder, &o, err);
    if (rc == 0) {
        if (o.killsignal && o.exited && o.status == 0) { /* it finished first */
            char *kill_path = NULL;
            if (asprintf(&kill_path, "%s/killsignal", o.folder) >= 0)
                unlink(kill_path);
            free(kill_path);
        }
        rc = report(&o, &p, err);
        run_outcome_free(&o);
    }
    plan_free(&p);
    return rc;
}
