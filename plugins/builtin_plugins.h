/* builtin_plugins.h: the plugins compiled into savu, one descriptor per
 * file (plugins/<name>.c), collected in a NULL-terminated table that the
 * registry (registry.c) loads first. */
#ifndef SAVU_BUILTIN_PLUGINS_H
#define SAVU_BUILTIN_PLUGINS_H

#include "savu_plugin.h"

extern const struct savu_plugin savu_nxtomo_loader;
extern const struct savu_plugin savu_dark_flat_field_correction;
extern const struct savu_plugin savu_tomo_recon;
extern const struct savu_plugin savu_hdf5_saver;
extern const struct savu_plugin savu_tiff_saver;

/* Every built-in descriptor, then NULL. */
extern const struct savu_plugin *const savu_builtin_plugins[];

#endif
