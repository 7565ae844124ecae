/* nexus.h: reading and writing process lists as Savu's NeXus/HDF5 files
 * (reference savu-config.md §6): 4.0/4.2 and legacy 2.x/3.0 layouts. Saving
 * is atomic: a temporary file beside the target, then rename. */
#ifndef SAVU_NEXUS_H
#define SAVU_NEXUS_H

#include <hdf5.h>
#include "plugin_catalog.h"
#include "process_list.h"

/* Reads a process list. Plugins are looked up by name in catalog (NULL: none
 * known); unknown ones are kept opaque (entry->plugin NULL) with their name, id, parameters
 * and citations. Entries keep the file's positions, in natural order; an
 * entry's citations are those stored with it (NULL when it has none). Savu's
 * renames (compat.h) are not applied: that is the caller's choice. Returns
 * NULL with one line in err naming the file and what is wrong, e.g.
 * "<path>: no such file", "<path>: not an HDF5 file", "<path>: no
 * /entry/plugin group (not a Savu process list)", "<path>: plugin 3: data is
 * not valid JSON: <jansson's message>". */
savu_process_list *savu_nexus_read(const char *path, const savu_plugin_catalog *catalog,
                                   savu_error *err);

/* The same from an HDF5 file image in memory (e.g. a fuzzer's input); name
 * stands for the file in messages. */
savu_process_list *savu_nexus_read_image(const void *image, size_t size, const char *name,
                                         const savu_plugin_catalog *catalog, savu_error *err);

/* Writes the list in Savu 4.2 layout with Savu's HDF5 types: framework
 * citations, savu_notes/version, each entry (its citations: see
 * savu_entry_citations) and the iterate groups. Atomic: the file is built in
 * memory, written to a temporary beside the target, made durable and renamed
 * over it; on failure an existing file is left as it was. Errors: "cannot
 * write <path>: <reason>" (e.g. "Permission denied", "File too large"). */
int savu_nexus_write(const savu_process_list *pl, const char *path, savu_error *err);

/* Adds to a file being saved by savu_nexus_write_with: called with the open
 * (in-memory) file once the list's /entry is written. Returns 0, or -1 with
 * the reason in why->msg (left empty: the reason is HDF5's error stack). */
typedef int (*savu_nexus_extra_fn)(hid_t file, void *ctx, savu_error *why);

/* savu_nexus_write, with more in the same file (e.g. the engine's
 * <stem>_processed.nxs, whose /entry carries the results beside the list):
 * extra (NULL: nothing) writes it before the file is saved, atomically. */
int savu_nexus_write_with(const savu_process_list *pl, const char *path, savu_nexus_extra_fn extra,
                          void *ctx, savu_error *err);

/* The citations an entry carries, as a new array of objects {description,
 * doi, bibtex, endnote}: those read from its file when it has them, else its
 * plugin's own (a citation with a dependency only while the parameter has one
 * of the listed values; for a tuned value, any of its values). Empty for an
 * opaque entry without citations; NULL only when out of memory. */
json_t *savu_entry_citations(const savu_entry *e);

/* Savu's version we write to savu_notes/version. */
#define SAVU_NEXUS_VERSION "4.2"

#endif
