/* registry_internal.h: what the registry (registry.c) and the shared-object
 * loader (plugin_loader.c) tell each other; not part of the plugin API. */
#ifndef SAVU_REGISTRY_INTERNAL_H
#define SAVU_REGISTRY_INTERNAL_H

#include "registry.h"

/* Checks p and adds it unless its name (compared without case) is taken.
 * origin: the shared object's path, NULL for a built-in. */
int savu_registry_add(const struct savu_plugin *p, const char *origin, savu_error *err);

/* Records the failure "where: reason". */
void savu_registry_record_failure(const char *where, const char *reason);

/* Closes every shared object the loader opened and forgets them. */
void savu_plugin_loader_reset(void);

#endif
