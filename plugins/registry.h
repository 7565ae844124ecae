/* registry.h: the plugins savu offers: the built-in ones and those loaded
 * from shared objects in SAVU_PLUGIN_PATH (colon-separated directories).
 * lists/ knows no registry: the shell and the engine hand it this one as a
 * plugin catalog (savu_registry_catalog). */
#ifndef SAVU_REGISTRY_H
#define SAVU_REGISTRY_H

#include <stddef.h>
#include "error.h"
#include "plugin_catalog.h"
#include "savu_plugin.h"

/* Loads built-ins and SAVU_PLUGIN_PATH once; safe to call again. Failures to
 * load a shared object are recorded (see savu_registry_failure). */
void savu_registry_init(void);

/* Exact (case-sensitive) name, as Savu. NULL when unknown. */
const struct savu_plugin *savu_registry_find(const char *name);
/* The registry as the plugin catalog that lists/ reads and converts with
 * (savu_nexus_read, savu_compat_apply): savu_registry_find. Initialises the
 * registry first. */
const savu_plugin_catalog *savu_registry_catalog(void);
/* Case-insensitive lookup, for completion and friendly errors. */
const struct savu_plugin *savu_registry_find_nocase(const char *name);

/* All plugins sorted by name. */
size_t savu_registry_count(void);
const struct savu_plugin *savu_registry_at(size_t i);

/* Loading problems: "path/x.so: reason". */
size_t savu_registry_failure_count(void);
const char *savu_registry_failure(size_t i);

const char *savu_category_name(enum savu_category c); /* "loader", "correction", ... */

/* Loads every *.so in dir (used by init for each SAVU_PLUGIN_PATH entry). */
void savu_registry_load_dir(const char *dir);

/* Where a plugin came from: the shared object's path, or NULL for a
 * built-in (and for a descriptor the registry does not hold). */
const char *savu_registry_origin(const struct savu_plugin *p);

/* Forgets every plugin and failure and closes the shared objects; the next
 * savu_registry_init starts again (reading SAVU_PLUGIN_PATH anew). For tests
 * and for tools that exit cleanly; descriptors of loaded plugins must not be
 * used afterwards. */
void savu_registry_reset(void);

/* Checks a descriptor as the registry does before accepting it: name (one
 * word) and id, known category, visibility and pattern, parameter names
 * unique, dtypes that parse, defaults that are JSON, dependencies naming
 * parameters of the plugin, citations with a description and a DOI or
 * BibTeX. err: e.g. "plugin Foo: parameter size: bad dtype 'itn': ...". */
int savu_plugin_check(const struct savu_plugin *p, savu_error *err);

#endif
