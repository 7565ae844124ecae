/* output_folder.c: creating a run's output folder and its run_log/
 * subfolder (output_folder.h), and the stem of the data file's name that
 * the folder and the result files are named after. */
#define _GNU_SOURCE /* realpath with NULL */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output_folder.h"

char *output_stem(const char *data_file)
{
    const char *end = data_file + strlen(data_file);
    while (end > data_file && end[-1] == '/')
        end--;
    const char *start = end;
    while (start > data_file && start[-1] != '/')
        start--;
    const char *dot = NULL;
    for (const char *c = start + 1; c < end; c++) /* a leading dot is part of the name */
        if (*c == '.')
            dot = c;
    if (dot)
        end = dot;
    if (end == start)
        return strdup("data");
    return strndup(start, (size_t)(end - start));
}

/* out_dir must be an existing folder this process may create entries in. */
static int check_out_dir(const char *out_dir, savu_error *err)
{
    struct stat st;
    if (stat(out_dir, &st) != 0) {
        if (errno == ENOENT)
            return savu_error_set(err, "output folder '%s' does not exist", out_dir);
        return savu_error_set(err, "output folder '%s' is not accessible: %s", out_dir,
                              strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return savu_error_set(err, "output folder '%s' is not a folder", out_dir);
    if (access(out_dir, W_OK | X_OK) != 0)
        return savu_error_set(err, "output folder '%s' is not writable: %s", out_dir,
                              strerror(errno));
    return 0;
}

static int check_folder_name(const char *name, savu_error *err)
{
    if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return savu_error_set(err, "folder name '%s' must be one name, without '/'", name);
    return 0;
}

/* "<YYYYmmddHHMMSS>_<stem>" in local time, or the name given. */
static char *folder_leaf(const char *data_file, const char *folder_name, time_t now)
{
    if (folder_name)
        return strdup(folder_name);
    char *stem = output_stem(data_file);
    if (!stem)
        return NULL;
    struct tm local;
    char stamp[32];
    if (!localtime_r(&now, &local) || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &local) == 0)
        snprintf(stamp, sizeof stamp, "%lld", (long long)now);
    char *leaf = NULL;
    if (asprintf(&leaf, "%s_%s", stamp, stem) < 0)
        leaf = NULL;
    free(stem);
    return leaf;
}

/* Creates folder and folder/run_log; on failure removes what it made.
 * Messages name the folder as `shown` (the out_dir given, then the name). */
static int make_folders(const char *folder, const char *shown, savu_error *err)
{
    if (mkdir(folder, 0777) != 0) {
        if (errno == EEXIST)
            return savu_error_set(err, "output folder '%s' already exists", shown);
        return savu_error_set(err, "cannot create output folder '%s': %s", shown,
                              strerror(errno));
    }
    char *run_log = NULL;
    if (asprintf(&run_log, "%s/%s", folder, RUN_LOG_DIR) < 0) {
        rmdir(folder);
        return savu_error_set(err, "cannot create output folder '%s': out of memory", shown);
    }
    int rc = 0;
    if (mkdir(run_log, 0777) != 0) {
        rc = savu_error_set(err, "cannot create output folder '%s/%s': %s", shown, RUN_LOG_DIR,
                            strerror(errno));
        rmdir(folder);
    }
    free(run_log);
    return rc;
}

/* "OUT/NAME" as the caller wrote OUT (without its trailing '/'s), for
 * messages. */
static char *shown_path(const char *out_dir, const char *leaf)
{
    size_t n = strlen(out_dir);
    while (n > 1 && out_dir[n - 1] == '/')
        n--;
    char *shown = NULL;
    if (asprintf(&shown, "%.*s%s%s", (int)n, out_dir, n == 1 && out_dir[0] == '/' ? "" : "/",
                 leaf) < 0)
        shown = NULL;
    return shown;
}

char *output_folder_create(const char *out_dir, const char *data_file, const char *folder_name,
                           time_t now, savu_error *err)
{
    if (check_out_dir(out_dir, err) != 0)
        return NULL;
    if (folder_name && check_folder_name(folder_name, err) != 0)
        return NULL;
    char *base = realpath(out_dir, NULL);
    int base_errno = errno;
    char *leaf = folder_leaf(data_file, folder_name, now);
    char *shown = leaf ? shown_path(out_dir, leaf) : NULL;
    char *folder = NULL;
    if (!base || !leaf || !shown
        || asprintf(&folder, "%s%s%s", base, strcmp(base, "/") ? "/" : "", leaf) < 0) {
        folder = NULL;
        if (!base)
            savu_error_set(err, "output folder '%s' is not accessible: %s", out_dir,
                           strerror(base_errno));
        else
            savu_error_set(err, "cannot create an output folder in '%s': out of memory",
                           out_dir);
    } else if (make_folders(folder, shown, err) != 0) {
        free(folder);
        folder = NULL;
    }
    free(base);
    free(leaf);
    free(shown);
    return folder;
}

char *output_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s", dir, name);
    return path;
}
