/* builtin_plugins.h: the plugins compiled into savu, collected in a
 * NULL-terminated table (builtin_table.c, made from plugins/builtin.am)
 * that the registry (registry.c) loads first. */
#ifndef SAVU_BUILTIN_PLUGINS_H
#define SAVU_BUILTIN_PLUGINS_H

#include "savu_plugin.h"

/* Every built-in descriptor, then NULL. */
extern const struct savu_plugin *const savu_builtin_plugins[];

#endif
