/* compat_recon.h: Savu's reconstruction plugins that wrap other libraries
 * (AstraReconCpu, AstraReconGpu, TomopyRecon,
 * ScikitimageFilterBackProjection) turned into our TomoRecon; used by
 * compat.c when a Savu list is opened. */
#ifndef SAVU_COMPAT_RECON_H
#define SAVU_COMPAT_RECON_H

#include <stdbool.h>
#include <stddef.h>
#include "plugin_catalog.h"
#include "process_list.h"

/* Whether name is one of the Savu plugins converted to TomoRecon. */
bool savu_compat_is_wrapped_recon(const char *name);

/* Replaces entry `index` of pl with a TomoRecon entry (catalog's) when it
 * is one of those plugins and catalog has no plugin of that name (a
 * third-party plugin of the same name wins). Writes the notice into notice.
 * Returns 1 when it replaced the entry, 0 when it did not apply (also when
 * catalog has no TomoRecon), -1 when it failed (out of memory; the entry is
 * unchanged and notice says so). */
int savu_compat_convert_recon(savu_process_list *pl, size_t index,
                              const savu_plugin_catalog *catalog, char *notice, size_t size);

#endif
