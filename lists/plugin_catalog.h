/* plugin_catalog.h: the plugin definitions a caller hands to lists/. The
 * ground floor knows no plugin registry: the reader (nexus.h) and Savu
 * compatibility (compat.h) look plugins up by name in the catalog they are
 * given, which the shell and the engine build on the registry
 * (savu_registry_catalog, plugins/registry.h) and a test may build on
 * anything. A definition is a struct savu_plugin (savu_plugin.h). */
#ifndef SAVU_PLUGIN_CATALOG_H
#define SAVU_PLUGIN_CATALOG_H

#include <stddef.h>

struct savu_plugin;

typedef struct savu_plugin_catalog {
    /* The plugin of exactly (case-sensitively) that name, NULL when unknown. */
    const struct savu_plugin *(*find)(void *ctx, const char *name);
    void *ctx;
} savu_plugin_catalog;

/* catalog->find(name); NULL for a NULL catalog, which knows no plugin. */
static inline const struct savu_plugin *savu_catalog_find(const savu_plugin_catalog *catalog,
                                                          const char *name)
{
    return catalog ? catalog->find(catalog->ctx, name) : NULL;
}

#endif
