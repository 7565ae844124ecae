/* registry.c: the plugins savu offers. Built-ins are added first, then the
 * plugins of the shared objects in SAVU_PLUGIN_PATH (plugin_loader.c). Every
 * descriptor is checked before it is accepted (plugin_check.c); a plugin
 * that cannot be accepted is recorded as a failure "where: reason" and the
 * others stay usable. Plugins are kept sorted by name, ignoring case.
 * savu_registry_catalog hands the registry to lists/ as a plugin catalog. */
#include "registry_internal.h"
#include "builtin_plugins.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct registered {
    const struct savu_plugin *plugin;
    char *origin; /* NULL for a built-in */
};

static struct {
    bool ready;
    struct registered *items;
    size_t n, cap;
    char **failures;
    size_t n_failures, cap_failures;
} reg;

static const char *const category_names[SAVU_CAT_COUNT] = {
    [SAVU_CAT_LOADER] = "loader",
    [SAVU_CAT_CORRECTION] = "correction",
    [SAVU_CAT_FILTER] = "filter",
    [SAVU_CAT_RING_REMOVAL] = "ring_removal",
    [SAVU_CAT_CENTERING] = "centering",
    [SAVU_CAT_RECONSTRUCTION] = "reconstruction",
    [SAVU_CAT_SAVER] = "saver",
    [SAVU_CAT_OTHER] = "other",
};

const char *savu_category_name(enum savu_category c)
{
    return (unsigned)c < SAVU_CAT_COUNT ? category_names[c] : "unknown";
}

/* Listing order: by name ignoring case, then exactly. */
static int compare_names(const char *a, const char *b)
{
    int c = strcasecmp(a, b);
    return c ? c : strcmp(a, b);
}

static const struct registered *find_nocase(const char *name)
{
    for (size_t i = 0; i < reg.n; i++)
        if (strcasecmp(reg.items[i].plugin->name, name) == 0)
            return &reg.items[i];
    return NULL;
}

int savu_registry_add(const struct savu_plugin *p, const char *origin, savu_error *err)
{
    if (!p)
        return savu_error_set(err, "a NULL plugin descriptor");
    if (savu_plugin_check(p, err) < 0)
        return -1;
    const struct registered *taken = find_nocase(p->name);
    if (taken && !taken->origin)
        return savu_error_set(err, "plugin %s has the name of the built-in plugin %s", p->name,
                              taken->plugin->name);
    if (taken)
        return savu_error_set(err, "plugin %s has the name of plugin %s, already loaded from %s",
                              p->name, taken->plugin->name, taken->origin);
    if (reg.n == reg.cap) {
        size_t cap = reg.cap ? 2 * reg.cap : 16;
        struct registered *grown = realloc(reg.items, cap * sizeof *grown);
        if (!grown)
            return savu_error_set(err, "out of memory");
        reg.items = grown;
        reg.cap = cap;
    }
    char *origin_copy = NULL;
    if (origin && !(origin_copy = strdup(origin)))
        return savu_error_set(err, "out of memory");
    size_t at = reg.n;
    while (at > 0 && compare_names(reg.items[at - 1].plugin->name, p->name) > 0)
        at--;
    memmove(&reg.items[at + 1], &reg.items[at], (reg.n - at) * sizeof *reg.items);
    reg.items[at] = (struct registered){p, origin_copy};
    reg.n++;
    return 0;
}

void savu_registry_record_failure(const char *where, const char *reason)
{
    if (reg.n_failures == reg.cap_failures) {
        size_t cap = reg.cap_failures ? 2 * reg.cap_failures : 8;
        char **grown = realloc(reg.failures, cap * sizeof *grown);
        if (!grown)
            return;
        reg.failures = grown;
        reg.cap_failures = cap;
    }
    size_t size = strlen(where) + strlen(reason) + 3;
    char *line = malloc(size);
    if (!line)
        return;
    snprintf(line, size, "%s: %s", where, reason);
    reg.failures[reg.n_failures++] = line;
}

/* Each directory of a colon-separated list; empty entries are skipped. */
static void load_path(const char *path)
{
    char *copy = strdup(path);
    if (!copy) {
        savu_registry_record_failure("SAVU_PLUGIN_PATH", "out of memory");
        return;
    }
    char *rest = copy;
    for (char *dir; (dir = strsep(&rest, ":"));)
        if (*dir)
            savu_registry_load_dir(dir);
    free(copy);
}

void savu_registry_init(void)
{
    if (reg.ready)
        return;
    reg.ready = true;
    for (size_t i = 0; savu_builtin_plugins[i]; i++) {
        savu_error err;
        if (savu_registry_add(savu_builtin_plugins[i], NULL, &err) < 0)
            savu_registry_record_failure("built-in", err.msg);
    }
    const char *path = getenv("SAVU_PLUGIN_PATH");
    if (path)
        load_path(path);
}

const struct savu_plugin *savu_registry_find(const char *name)
{
    savu_registry_init();
    if (!name)
        return NULL;
    for (size_t i = 0; i < reg.n; i++)
        if (strcmp(reg.items[i].plugin->name, name) == 0)
            return reg.items[i].plugin;
    return NULL;
}

static const struct savu_plugin *catalog_find(void *ctx, const char *name)
{
    (void)ctx;
    return savu_registry_find(name);
}

const savu_plugin_catalog *savu_registry_catalog(void)
{
    static const savu_plugin_catalog catalog = {catalog_find, NULL};
    savu_registry_init();
    return &catalog;
}

const struct savu_plugin *savu_registry_find_nocase(const char *name)
{
    savu_registry_init();
    if (!name)
        return NULL;
    const struct savu_plugin *exact = savu_registry_find(name);
    if (exact)
        return exact;
    const struct registered *r = find_nocase(name);
    return r ? r->plugin : NULL;
}

size_t savu_registry_count(void)
{
    savu_registry_init();
    return reg.n;
}

const struct savu_plugin *savu_registry_at(size_t i)
{
    savu_registry_init();
    return i < reg.n ? reg.items[i].plugin : NULL;
}

const char *savu_registry_origin(const struct savu_plugin *p)
{
    for (size_t i = 0; i < reg.n; i++)
        if (reg.items[i].plugin == p)
            return reg.items[i].origin;
    return NULL;
}

size_t savu_registry_failure_count(void)
{
    savu_registry_init();
    return reg.n_failures;
}

const char *savu_registry_failure(size_t i)
{
    savu_registry_init();
    return i < reg.n_failures ? reg.failures[i] : NULL;
}

void savu_registry_reset(void)
{
    for (size_t i = 0; i < reg.n; i++)
        free(reg.items[i].origin);
    for (size_t i = 0; i < reg.n_failures; i++)
        free(reg.failures[i]);
    free(reg.items);
    free(reg.failures);
    memset(&reg, 0, sizeof reg);
    savu_plugin_loader_reset();
}
