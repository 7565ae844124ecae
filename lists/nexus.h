/* nexus.h: reading and writing process lists as Savu's NeXus/HDF5 files
 * (reference savu-config.md §6): 4.0/4.2 and legacy 2.x/3.0 layouts. Saving
 * is atomic: a temporary file beside the target, then rename. */
#ifndef SAVU_NEXUS_H
#define SAVU_NEXUS_H

#include "process_list.h"

/* Reads a process list. Plugins are resolved through the registry; unknown
 * ones are kept opaque (entry->plugin NULL). Returns NULL with one clear line
 * in err for a missing file, a file that is not HDF5, missing groups or bad
 * JSON (naming the plugin position and dataset). */
savu_process_list *savu_nexus_read(const char *path, savu_error *err);

/* Writes the list in Savu 4.2 layout, atomically. */
int savu_nexus_write(const savu_process_list *pl, const char *path, savu_error *err);

/* Savu's version we write to savu_notes/version. */
#define SAVU_NEXUS_VERSION "4.2"

#endif
