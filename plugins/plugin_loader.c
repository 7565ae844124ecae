/* plugin_loader.c: loading third-party plugins from shared objects. Every
 * *.so of a directory (in name order) is opened with dlopen; it must export
 * `savu_plugin_abi` equal to SAVU_PLUGIN_ABI and `savu_plugin_table`, a
 * NULL-terminated array of descriptors (savu_plugin.h). Whatever goes wrong
 * is recorded as "path: reason" and loading goes on with the next one. */
#include "registry_internal.h"
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A table longer than this is taken as one without its NULL end. */
#define MAX_TABLE_LENGTH 4096

/* The shared objects that gave at least one plugin: kept open while the
 * registry holds their descriptors. */
static struct {
    void **handles;
    char **real_paths;
    size_t n, cap;
} loaded;

static void fail(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(const char *path, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    savu_registry_record_failure(path, reason);
}

static bool already_loaded(const char *real_path)
{
    for (size_t i = 0; i < loaded.n; i++)
        if (strcmp(loaded.real_paths[i], real_path) == 0)
            return true;
    return false;
}

static int keep_open(void *handle, char *real_path)
{
    if (loaded.n == loaded.cap) {
        size_t cap = loaded.cap ? 2 * loaded.cap : 8;
        void **handles = realloc(loaded.handles, cap * sizeof *handles);
        if (handles)
            loaded.handles = handles;
        char **paths = realloc(loaded.real_paths, cap * sizeof *paths);
        if (paths)
            loaded.real_paths = paths;
        if (!handles || !paths)
            return -1;
        loaded.cap = cap;
    }
    loaded.handles[loaded.n] = handle;
    loaded.real_paths[loaded.n] = real_path;
    loaded.n++;
    return 0;
}

/* dlerror() usually starts with the path itself; the failure line names it
 * once. */
static const char *dl_reason(const char *path)
{
    const char *msg = dlerror();
    if (!msg)
        return "unknown dlopen error";
    size_t len = strlen(path);
    if (strncmp(msg, path, len) == 0 && strncmp(msg + len, ": ", 2) == 0)
        return msg + len + 2;
    return msg;
}

/* Adds the plugins of an opened object; returns how many were accepted. */
static size_t register_table(void *handle, const char *path)
{
    const int *abi = dlsym(handle, "savu_plugin_abi");
    if (!abi) {
        fail(path, "does not export savu_plugin_abi (is it a savu plugin?)");
        return 0;
    }
    if (*abi != SAVU_PLUGIN_ABI) {
        fail(path, "built for plugin ABI %d but this savu needs ABI %d: rebuild it against "
                   "this savu's savu_plugin.h", *abi, SAVU_PLUGIN_ABI);
        return 0;
    }
    const struct savu_plugin *const *table = dlsym(handle, "savu_plugin_table");
    if (!table) {
        fail(path, "does not export savu_plugin_table");
        return 0;
    }
    size_t accepted = 0, i = 0;
    for (; i < MAX_TABLE_LENGTH && table[i]; i++) {
        savu_error err;
        if (savu_registry_add(table[i], path, &err) < 0)
            fail(path, "%s", err.msg);
        else
            accepted++;
    }
    if (i == 0)
        fail(path, "savu_plugin_table holds no plugins");
    else if (i == MAX_TABLE_LENGTH)
        fail(path, "savu_plugin_table has no NULL end within %d entries", MAX_TABLE_LENGTH);
    return accepted;
}

static void load_object(const char *path)
{
    char *real_path = realpath(path, NULL);
    if (!real_path) {
        fail(path, "%s", strerror(errno));
        return;
    }
    if (already_loaded(real_path)) {
        free(real_path);
        return;
    }
    dlerror();
    /* Lazy binding: a plugin's process functions call the engine services
     * (savu_param_number, ...) that only the `savu` executable exports; the
     * shell loads plugins for their descriptors and never calls them. */
    void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!handle) {
        fail(path, "%s", dl_reason(path));
        free(real_path);
        return;
    }
    if (register_table(handle, path) == 0) {
        dlclose(handle);
        free(real_path);
        return;
    }
    /* Out of memory here leaves it open for good: its plugins are in use. */
    if (keep_open(handle, real_path) < 0)
        free(real_path);
}

static bool is_shared_object_name(const char *name)
{
    size_t len = strlen(name);
    return len > 3 && strcmp(name + len - 3, ".so") == 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The *.so file names of dir, sorted; NULL with *n 0 when there are none. */
static char **shared_object_names(DIR *d, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (!is_shared_object_name(de->d_name))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[*n] = strdup(de->d_name)))
            break;
        (*n)++;
    }
    if (*n)
        qsort(names, *n, sizeof *names, compare_strings);
    return names;
}

void savu_registry_load_dir(const char *dir)
{
    savu_registry_init();
    if (!dir || !*dir)
        return;
    DIR *d = opendir(dir);
    if (!d) {
        fail(dir, "cannot read the plugin directory: %s", strerror(errno));
        return;
    }
    size_t n;
    char **names = shared_object_names(d, &n);
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        size_t size = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(size);
        if (!path)
            break;
        snprintf(path, size, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) < 0)
            fail(path, "%s", strerror(errno));
        else if (S_ISREG(st.st_mode))
            load_object(path);
        free(path);
    }
    free_names(names, n);
}

void savu_plugin_loader_reset(void)
{
    for (size_t i = 0; i < loaded.n; i++) {
        dlclose(loaded.handles[i]);
        free(loaded.real_paths[i]);
    }
    free(loaded.handles);
    free(loaded.real_paths);
    memset(&loaded, 0, sizeof loaded);
}
